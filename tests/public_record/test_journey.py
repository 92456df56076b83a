"""End to end, through the commands as an operator runs them: an NPPES sample makes the
practitioners (unlisted: licenses pending); a board roster verifies them and they appear in
search; an exclusion list naming one of them takes that one out of search the same day,
with the reason in the staff view."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from credentialing.npi import with_check_digit
from directory.models import Practitioner
from tests.factories import days_from_today, reviewer
from tests.public_record.files import (
    ACUPUNCTURIST,
    leie_excluded_on,
    leie_row,
    nppes_row,
    write_generic_roster,
    write_leie,
    write_nppes,
)

pytestmark = pytest.mark.django_db

MEI = with_check_digit("100000001")
JOSE = with_check_digit("100000002")


def command(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def found(client) -> list[str]:
    body = client.get("/api/v1/practitioners/", {"near": "94110", "radius": 25}).json()
    return [hit["name"] for hit in body["results"]]


def test_nppes_then_roster_then_search_then_exclusion_list(tmp_path, client):
    sample = [
        nppes_row(MEI, last="CHEN", first="MEI", address=("2500 MISSION ST", ""),
                  city="SAN FRANCISCO", state="CA", postal="94110",
                  slots={1: (ACUPUNCTURIST, "AC12345", "CA")}),
        nppes_row(JOSE, last="GARCIA", first="JOSE", address=("500 VALENCIA ST", ""),
                  city="SAN FRANCISCO", state="CA", postal="94103",
                  slots={1: (ACUPUNCTURIST, "AC54321", "CA")}),
    ]  # fmt: skip
    assert "2 created" in command("import_nppes", str(write_nppes(tmp_path, sample)))
    assert Practitioner.objects.count() == 2
    assert found(client) == []  # licenses pending: nobody listed yet

    roster_day = days_from_today(-11)
    expires = [(roster_day + datetime.timedelta(days=days)).isoformat() for days in (150, 241)]
    roster = write_generic_roster(
        tmp_path,
        [
            ["US-CA", "AC12345", "Chen", "Mei", "active", "2015-03-01", expires[0], ""],
            ["US-CA", "AC54321", "Garcia", "Jose", "active", "2018-06-01", expires[1], ""],
        ],
    )
    assert "verified 2" in command(
        "import_roster", "generic-csv", str(roster), file_date=roster_day
    )
    assert sorted(found(client)) == ["Jose Garcia", "Mei Chen"]

    leie = write_leie(tmp_path, [leie_row(last="CHEN", first="MEI", npi=MEI)])
    assert "1 practitioners excluded" in command("screen_exclusions", str(leie))
    assert found(client) == ["Jose Garcia"]  # the same day

    client.force_login(reviewer())
    queue = client.get("/review/").content.decode()
    assert "Mei Chen</a>: Excluded (exact NPI match)" in queue
    assert f"On the US federal exclusion list (LEIE) since {leie_excluded_on()} under 1128b4" in (
        queue
    )
