"""`manage.py screen_exclusions`: the LEIE in its real format. An exact NPI match is out of
search the same day, with the reason for staff; a reinstatement brings them back; a name and
state match is only possible, for staff; profiles say when the list was last checked."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from credentialing.npi import with_check_digit
from credentialing.source_models import ExclusionMatch, ImportedFile
from directory.models import Location
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    days_from_today,
    reviewer,
)
from tests.public_record.files import (
    leie_date,
    leie_excluded_on,
    leie_row,
    write_leie,
)

pytestmark = pytest.mark.django_db

MEI = with_check_digit("100000001")
OTHER = with_check_digit("100000009")
TODAY = days_from_today(0)
EXCLUDED = leie_excluded_on()  # leie_row's exclusions date from a week ago
MONTH = f"{TODAY:%y%m}"  # the OIG's monthly supplements: <yy><mm>excl.csv, <yy><mm>rein.csv


@pytest.fixture
def mei():
    practitioner = PractitionerFactory(first_name="Mei", last_name="Chen", npi=MEI, slug="mei")
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner)
    return practitioner


@pytest.fixture
def jose():
    """Listed, without an NPI."""
    practitioner = PractitionerFactory(first_name="José Luis", last_name="García", npi="")
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner)
    return practitioner


def run(path, **options) -> str:
    out = io.StringIO()
    call_command("screen_exclusions", str(path), stdout=out, **options)
    return out.getvalue()


def listed(practitioner) -> bool:
    return Location.objects.listable().filter(practitioner=practitioner).exists()


def test_an_exact_npi_match_is_out_of_search_the_same_day(tmp_path, mei, jose, client):
    assert listed(mei)
    path = write_leie(tmp_path, [leie_row(last="CHEN", first="MEI", npi=MEI)])
    output = run(path)
    assert output.splitlines()[-1] == (
        f"LEIE file of {TODAY} (the whole list): 1 rows read, 0 malformed (skipped); "
        "1 practitioners excluded (out of search), 0 possible matches for staff, "
        "0 reinstated, 0 matches unchanged."
    )
    assert not listed(mei)
    assert listed(jose)
    assert client.get("/practitioners/mei/").status_code == 404
    match = ExclusionMatch.objects.get()
    assert (match.status, match.delisted_from, match.reason) == (
        "excluded",
        EXCLUDED,
        f"On the US federal exclusion list (LEIE) since {EXCLUDED} under 1128b4, found in "
        f"US federal exclusion list (LEIE) file UPDATED.csv of {TODAY}",
    )
    client.force_login(reviewer())
    page = client.get("/review/").content.decode()
    assert "Mei Chen</a>: Excluded (exact NPI match) · the list names “CHEN, MEI” (CA)" in page
    assert "1 matches unchanged" in run(path)  # idempotent


def test_an_exclusion_dated_ahead_delists_from_today(tmp_path, mei):
    ahead = leie_date(TODAY + datetime.timedelta(days=19))
    run(write_leie(tmp_path, [leie_row(last="CHEN", first="MEI", npi=MEI, excluded=ahead)]))
    assert ExclusionMatch.objects.get().delisted_from == TODAY
    assert not listed(mei)


def test_a_reinstatement_supplement_lifts_the_exclusion(tmp_path, mei):
    excluded = [leie_row(last="CHEN", first="MEI", npi=MEI)]
    run(write_leie(tmp_path, excluded, name=f"{MONTH}excl.csv"))
    assert not listed(mei)
    reinstated_on = EXCLUDED + datetime.timedelta(days=5)
    rein = leie_row(last="CHEN", first="MEI", npi=MEI, reinstated=leie_date(reinstated_on))
    output = run(write_leie(tmp_path, [rein], name=f"{MONTH}rein.csv"))
    assert "(a supplement of reinstatements)" in output and "1 reinstated" in output
    assert listed(mei)
    match = ExclusionMatch.objects.get()
    assert (match.status, match.reinstated_on) == ("reinstated", reinstated_on)
    # The past stays as it was: out of search between exclusion and reinstatement.
    assert (
        not Location.objects.listable(on=EXCLUDED + datetime.timedelta(days=3))
        .filter(practitioner=mei)
        .exists()
    )


def test_an_npi_gone_from_the_whole_list_is_reinstated(tmp_path, mei):
    run(write_leie(tmp_path, [leie_row(last="CHEN", first="MEI", npi=MEI)]))
    output = run(write_leie(tmp_path, [leie_row(last="DOE", first="JANE", state="NY")]))
    assert "1 reinstated" in output
    assert listed(mei)


def test_no_npi_is_reinstated_by_absence_while_a_row_of_the_list_is_unread(tmp_path, mei):
    run(write_leie(tmp_path, [leie_row(last="CHEN", first="MEI", npi=MEI)]))
    rows = [leie_row(last="GARCÍA", first="ANA", state="NY"), leie_row(last="CHÉN", npi=MEI)]
    path = write_leie(tmp_path, rows)
    path.write_bytes(path.read_bytes().replace("CHÉN".encode(), "CHÉN".encode("latin-1")))
    output = run(path)  # Mei's row, with a byte that is not UTF-8: not read
    assert "  skipped line 3: not valid UTF-8" in output
    assert "  skipped no NPI taken off the list as reinstated: 1 rows unread" in output
    assert "0 reinstated" in output and not listed(mei)


def test_a_name_and_state_match_without_npi_is_only_possible(tmp_path, mei, jose):
    rows = [
        leie_row(last="GARCIA", first="JOSE", state="CA"),  # accents, middle name ignored
        leie_row(last="GARCIA", first="JOSE", state="NY"),  # another state
        leie_row(last="CHEN", first="MEI", npi=OTHER),  # both have NPIs, and they differ
        leie_row(business="GOLDEN NEEDLE LLC", state="CA"),
    ]
    output = run(write_leie(tmp_path, rows))
    assert "0 practitioners excluded (out of search), 1 possible matches" in output
    [match] = ExclusionMatch.objects.all()
    assert (match.practitioner, match.status, match.delisted_from) == (jose, "possible", None)
    assert listed(jose)  # never automatic


def test_staff_confirming_a_possible_match_delists(tmp_path, jose, client):
    run(write_leie(tmp_path, [leie_row(last="GARCIA", first="JOSE")]))
    client.force_login(reviewer(is_superuser=True))
    match = ExclusionMatch.objects.get()
    client.post(
        "/admin/credentialing/exclusionmatch/",
        {"action": "confirm", "_selected_action": [match.pk]},
    )
    match.refresh_from_db()
    assert match.status == "confirmed"
    assert not listed(jose)


def test_the_profile_says_when_the_list_was_checked(tmp_path, mei, jose, client):
    page = client.get("/practitioners/mei/").content.decode()
    assert "exclusion list" not in page  # never checked: nothing said
    run(write_leie(tmp_path, [leie_row(last="DOE", first="JANE", state="NY")]))
    page = client.get("/practitioners/mei/").content.decode()
    assert (
        f'Not on the US federal exclusion list (checked <time datetime="{TODAY}">'
        f"{date_format(TODAY)}</time>)"
    ) in page
    no_npi = client.get(jose.get_absolute_url()).content.decode()
    assert "exclusion list" not in no_npi  # no NPI: nothing to say it by


def test_malformed_rows_are_reported_by_line_and_skipped(tmp_path, mei):
    rows = [
        leie_row(last="DOE", first="JANE", excluded=EXCLUDED.isoformat()),  # not YYYYMMDD
        leie_row(last="ROE", first="RICH", npi="1234567890"),
        leie_row(last="CHEN", first="MEI", npi=MEI),
    ]
    output = run(write_leie(tmp_path, rows))
    assert f"  skipped line 2: EXCLDATE “{EXCLUDED}” is not a date (YYYYMMDD)" in output
    assert "  skipped line 3: NPI “1234567890” is not 10 digits with a valid check digit" in output
    assert "2 malformed (skipped); 1 practitioners excluded" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('"NPI","Entity Type Code"\n"1234567893","1"\n', "not the LEIE: line 1 lacks"),
        ("", "not the LEIE"),
    ],
)
def test_a_file_that_is_not_the_leie_changes_nothing(tmp_path, mei, content, message):
    path = tmp_path / "UPDATED.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert message in str(refused.value) and "Nothing was changed." in str(refused.value)
    assert not ImportedFile.objects.exists() and listed(mei)


def rows_fetched(queries: list[dict]) -> int:
    """The rows the screening's SELECTs returned, counted by running each again (the test's
    transaction still holds the same data)."""
    total = 0
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(query["sql"])
                total += len(cursor.fetchall())
    return total


def test_screening_reads_each_clinic_and_license_once(tmp_path, jose):
    """The name index grows with clinics plus licenses, not with their product: 30 clinics
    and 10 licenses in states of their own made a join of 90,000 rows for one practitioner."""
    states = ["AK", "AL", "AR", "AZ", "CO", "CT", "DE", "FL", "GA", "HI"]
    for n in range(30):
        LocationFactory(practitioner=jose, region=states[n % 10], city=f"Town {n}")
    for state in states:
        LicenseFactory(practitioner=jose, region=state)
    path = write_leie(tmp_path, [leie_row(last="GARCIA", first="JOSE", state="HI")])
    with CaptureQueriesContext(connection) as captured:
        output = run(path)
    assert "1 possible matches for staff" in output
    assert ExclusionMatch.objects.get().practitioner == jose
    assert rows_fetched(captured.captured_queries) < 100


def test_a_row_not_in_utf8_is_reported_and_skipped_never_stored_altered(tmp_path, jose):
    rows = [
        leie_row(last="GARCÍA", first="JOSÉ", state="CA"),  # UTF-8, as the list is written
        leie_row(last="MÜLLER", first="JÜRGEN", state="CA"),  # to be re-encoded below
        leie_row(last="CHEN", first="MEI", npi=MEI),
    ]
    path = write_leie(tmp_path, rows)
    path.write_bytes(path.read_bytes().replace("MÜLLER".encode(), "MÜLLER".encode("latin-1")))
    output = run(path)
    assert "  skipped line 3: not valid UTF-8 (0xDC at byte 3 of the line)" in output
    assert "3 rows read, 1 malformed (skipped)" in output
    assert [m.entry_name for m in ExclusionMatch.objects.all()] == ["GARCÍA, JOSÉ"]


def test_a_list_in_windows_1252_is_read_in_it(tmp_path, jose):
    path = write_leie(tmp_path, [leie_row(last="GARCÍA", first="JOSÉ", state="CA")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    assert "0 malformed (skipped)" in run(path)
    assert ExclusionMatch.objects.get().entry_name == "GARCÍA, JOSÉ"


def test_a_field_over_the_size_bound_is_a_malformed_row_not_a_crash(tmp_path, mei):
    rows = [
        leie_row(last="DOE", first="JANE", state="NY") | {"ADDRESS": "x" * 200_000},
        leie_row(last="DOE" * 30, first="JOHN", state="NY"),
        leie_row(last="CHEN", first="MEI", npi=MEI),
    ]
    output = run(write_leie(tmp_path, rows))
    assert "  skipped line 2: a field longer than 1,048,576 characters" not in output
    assert "  skipped line 3: LASTNAME longer than 80 characters" in output
    assert "1 practitioners excluded" in output
    huge = [leie_row(last="ROE", first="RAY") | {"ADDRESS": "x" * 1_100_000}, rows[2]]
    output = run(write_leie(tmp_path, huge))
    assert "  skipped line 2: a field longer than 1,048,576 characters" in output
    assert "2 rows read, 1 malformed (skipped)" in output
