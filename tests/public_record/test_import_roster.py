"""`manage.py import_roster LAYOUT FILE`: a board's roster, read through a declarative
layout (the generic CSV and the California board's fixed-width file), verifies, expires,
revokes or notes licenses through the rulebook; doubts go to staff; bad files change nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from credentialing.models import CredentialStatus, License, VerificationEvent
from credentialing.source_models import Discrepancy
from directory.models import Location
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory, days_from_today
from tests.public_record.files import (
    ca_board_line,
    write_ca_board_roster,
    write_generic_roster,
)

pytestmark = pytest.mark.django_db

ROSTER_DAY = days_from_today(-11)  # the board's file is a week and a half old
ON_ROSTER_DAY = f"{ROSTER_DAY:%-d %b %Y}"  # as sources name it: "1 Nov 2026"
EXPIRES = ROSTER_DAY + datetime.timedelta(days=150)
LAPSED = ROSTER_DAY - datetime.timedelta(days=1)


def holder(first: str, last: str, number: str, **license_fields) -> License:
    practitioner = PractitionerFactory(first_name=first, last_name=last)
    LocationFactory(practitioner=practitioner)
    fields = {"status": CredentialStatus.PENDING, "verified_on": None, "source": ""}
    return LicenseFactory(practitioner=practitioner, number=number, **(fields | license_fields))


def run(layout: str, path) -> str:
    out = io.StringIO()
    call_command("import_roster", layout, str(path), file_date=ROSTER_DAY, stdout=out)
    return out.getvalue()


def listed(license: License) -> bool:
    return Location.objects.listable().filter(practitioner=license.practitioner_id).exists()


def test_an_active_roster_entry_with_agreeing_name_verifies(tmp_path):
    license = holder("Mei", "Chen", "AC12345", expires_on=None)
    path = write_generic_roster(
        tmp_path,
        [["US-CA", "ac12345", "CHÉN", "Mei Ling", "Active", "2015-03-01", EXPIRES.isoformat(), ""]],
    )
    assert run("generic-csv", path).strip() == (
        f"Licensing board roster of {ON_ROSTER_DAY}: 1 rows read, 1 matched a license in "
        "Meridian; verified 1."
    )
    license.refresh_from_db()
    assert (license.status, license.source, license.verified_on, license.expires_on) == (
        "verified",
        f"Licensing board roster of {ON_ROSTER_DAY}",
        ROSTER_DAY,
        EXPIRES,
    )
    event = license.events.last()
    assert (event.system_actor, event.to_status, event.checked_on) == (
        f"Licensing board roster of {ROSTER_DAY.isoformat()}",
        "verified",
        ROSTER_DAY,
    )
    assert listed(license)
    events = VerificationEvent.objects.count()
    assert run("generic-csv", path).strip().endswith("in Meridian; unchanged 1.")
    assert VerificationEvent.objects.count() == events


def test_a_name_that_disagrees_changes_nothing_and_goes_to_staff(tmp_path):
    license = holder("Mei", "Chen", "AC12345", expires_on=None)
    path = write_generic_roster(
        tmp_path, [["US-CA", "AC12345", "Wong", "Mei", "active", "", EXPIRES.isoformat(), ""]]
    )
    assert "name differs (for staff) 1" in run("generic-csv", path)
    license.refresh_from_db()
    assert license.status == "pending"
    discrepancy = Discrepancy.objects.get()
    assert (discrepancy.kind, discrepancy.ours, discrepancy.theirs) == (
        "roster-name",
        "Mei Chen",
        "Mei Wong",
    )
    assert "unchanged 1" in run("generic-csv", path)
    assert Discrepancy.objects.count() == 1


def test_suspended_revokes_with_the_boards_words_and_lapsed_sets_expiry(tmp_path):
    suspended = holder("Jose", "Garcia", "AC1", status="verified", verified_on=ROSTER_DAY)
    lapsed = holder("Ruth", "Miller", "AC2", status="verified", verified_on=ROSTER_DAY)
    path = write_generic_roster(
        tmp_path,
        [
            ["US-CA", "AC1", "Garcia", "José", "Suspended", "", "", ""],
            ["US-CA", "AC2", "Miller", "R.", "Delinquent", "", LAPSED.isoformat(), ""],
        ],
    )
    output = run("generic-csv", path)
    assert "lapsed (expiry set) 1, revoked 1" in output
    suspended.refresh_from_db()
    assert suspended.status == "revoked"
    assert suspended.events.last().reason == "The board lists this license as Suspended."
    lapsed.refresh_from_db()
    assert lapsed.expires_on == LAPSED
    assert not listed(suspended) and not listed(lapsed)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["US-CA", "AC1", "Garcia", "Jose", "on vacation", "", "", ""]], "line 3: status “on"),
        ([["XX-ZZ", "AC1", "Garcia", "Jose", "active", "", "", ""]], "line 3: jurisdiction"),
        ([["US-CA", "AC1", "Garcia", "Jose", "active", "", "31/12/2027", ""]], "line 3: expires"),
        ([["US-CA", "", "Garcia", "Jose", "active", "", "", ""]], "line 3: no license number"),
    ],
)
def test_a_malformed_roster_changes_nothing_and_names_its_line(tmp_path, rows, message):
    license = holder("Mei", "Chen", "AC12345", expires_on=None)
    good = ["US-CA", "AC12345", "Chen", "Mei", "active", "", EXPIRES.isoformat(), ""]
    path = write_generic_roster(tmp_path, [good, *rows])
    with pytest.raises(CommandError) as refused:
        run("generic-csv", path)
    assert message in str(refused.value) and "Nothing was changed." in str(refused.value)
    license.refresh_from_db()
    assert license.status == "pending"


def test_a_roster_line_not_in_utf8_or_with_a_huge_field_is_refused_by_line(tmp_path):
    license = holder("Mei", "Chen", "AC12345", expires_on=None)
    good = ["US-CA", "AC12345", "Chen", "Mei", "active", "", EXPIRES.isoformat(), ""]
    other = ["US-CA", "AC2", "Müller", "Jürgen", "active", "", EXPIRES.isoformat(), ""]
    path = write_generic_roster(tmp_path, [good, other])
    path.write_bytes(path.read_bytes().replace("Müller".encode(), "Müller".encode("latin-1")))
    with pytest.raises(CommandError) as refused:
        run("generic-csv", path)
    assert str(refused.value) == (
        "roster.csv: line 3: not valid UTF-8 (0xFC at byte 12 of the line). Nothing was changed."
    )
    huge = ["US-CA", "AC2", "Roe", "Ray", "active", "", "", "x" * 1_100_000]
    with pytest.raises(CommandError) as refused:
        run("generic-csv", write_generic_roster(tmp_path, [good, huge]))
    assert str(refused.value) == (
        "roster.csv: line 3: a field longer than 1,048,576 characters. Nothing was changed."
    )
    license.refresh_from_db()
    assert license.status == "pending"
    # Beyond Python's default limit (131,072), within ours: the field's own size is checked.
    long_action = [*good[:7], "x" * 200_000]
    with pytest.raises(CommandError) as refused:
        run("generic-csv", write_generic_roster(tmp_path, [long_action]))
    assert "line 2: board action longer than 300 characters" in str(refused.value)


def test_a_roster_without_the_layouts_columns_or_an_unknown_layout_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("license,name\nAC1,Chen\n")
    with pytest.raises(CommandError, match="lacks the column"):
        run("generic-csv", path)
    with pytest.raises(CommandError, match="No roster layout “nowhere”"):
        run("nowhere", path)


def california_board_file() -> list[str]:
    """Five licensees as the board's file lists them, its quirks included: a number written
    AC012345 or "AC 20001", a public action beside a probation, a lapsed and a revoked one."""
    day = ROSTER_DAY
    years = datetime.timedelta(days=365)
    return [
        ca_board_line("AC012345", "CHEN", "MEI", "CLEAR", day - 11 * years, EXPIRES),
        ca_board_line(
            "AC 20001", "O'BRIEN", "ANNE MARIE", "PROBATION", day - 14 * years,
            EXPIRES + datetime.timedelta(days=91),
            "Probation, 3 years, case AC-2025-118 (public decision)",
        ),
        ca_board_line(
            "AC20002", "NGUYEN", "THANH", "DELINQUENT", day - 16 * years,
            day - datetime.timedelta(days=274),
        ),
        ca_board_line(
            "AC20003", "SMITH", "JOHN", "REVOKED", day - 18 * years,
            day - datetime.timedelta(days=246), "Revoked, case AC-2024-077",
        ),
        ca_board_line("AC20004", "PATEL", "RAVI", "CLEAR", day - 7 * years, EXPIRES + years),
    ]  # fmt: skip


def test_the_california_fixed_width_file(tmp_path, client):
    chen = holder("Mei", "Chen", "AC12345", expires_on=None)  # the board writes AC012345
    obrien = holder("Anne", "O'Brien", "AC20001", expires_on=None)  # "AC 20001", probation
    nguyen = holder("Thanh", "Nguyen", "AC20002", status="verified", verified_on=ROSTER_DAY)
    smith = holder("John", "Smith", "AC20003", status="verified", verified_on=ROSTER_DAY)
    missing = holder("Lee", "Park", "AC77777", status="verified", verified_on=ROSTER_DAY)
    oregon = holder("Ann", "Lake", "AC88888", status="verified", region="OR")
    path = write_ca_board_roster(tmp_path, california_board_file(), day=ROSTER_DAY)
    output = run("ca-acupuncture-fixed", path)
    assert output.strip() == (
        f"California Acupuncture Board roster of {ON_ROSTER_DAY}: 5 rows read, 4 matched a "
        "license in Meridian; lapsed (expiry set) 1, not in the roster (flagged) 1, revoked 1, "
        "verified 2."
    )
    for license in (chen, obrien, nguyen, smith):
        license.refresh_from_db()
    assert (chen.status, obrien.status, smith.status) == ("verified", "verified", "revoked")
    assert smith.events.last().reason == "The board lists this license as REVOKED."
    assert nguyen.expires_on == ROSTER_DAY - datetime.timedelta(days=274) and not listed(nguyen)
    assert listed(chen) and listed(obrien)
    page = client.get(obrien.practitioner.get_absolute_url()).content.decode()
    assert (
        "The board lists a public action: Probation, 3 years, case AC-2025-118 (public "
        'decision), see <a href="https://search.dca.ca.gov/"'
    ) in page
    flagged = Discrepancy.objects.get(kind="not-in-roster")
    assert flagged.practitioner_id == missing.practitioner_id
    assert flagged.theirs == f"not in the California Acupuncture Board roster of {ON_ROSTER_DAY}"
    missing.refresh_from_db()
    assert missing.status == "verified"  # never revoked automatically
    assert not Discrepancy.objects.filter(practitioner=oregon.practitioner).exists()
    history = client.get(chen.practitioner.get_absolute_url() + "verification/").content.decode()
    assert f"California Acupuncture Board roster of {ON_ROSTER_DAY}" in history
    assert f"by the system (California Acupuncture Board roster of {ROSTER_DAY})" in history
    events = VerificationEvent.objects.count()
    assert run("ca-acupuncture-fixed", path).strip() == (
        f"California Acupuncture Board roster of {ON_ROSTER_DAY}: 5 rows read, 4 matched a "
        "license in Meridian; unchanged 4."
    )
    assert VerificationEvent.objects.count() == events
