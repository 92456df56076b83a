"""`manage.py import_nppes`: files in NPPES's real format (the real 329-column header, every
value quoted) become unclaimed, published practitioners with pending self-reported
licenses; re-runs change nothing; claimed profiles are only filled in; deactivation delists;
bad files change nothing."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from credentialing.models import CredentialStatus, License, VerificationEvent
from credentialing.npi import with_check_digit
from credentialing.rules import Actor, credential_transition
from credentialing.source_models import Discrepancy, ImportedFile
from directory.models import Location, NppesOrganisation, Practitioner
from public_record import nppes
from tests.factories import AccountFactory, days_from_today
from tests.public_record.files import (
    ACUPUNCTURIST,
    MASSAGE_THERAPIST,
    NPPES_COLUMNS,
    deactivated_row,
    nppes_csv,
    nppes_date,
    nppes_file_day,
    nppes_row,
    nppes_weekly_name,
    write_nppes,
    write_nppes_zip,
)

pytestmark = pytest.mark.django_db

TODAY = days_from_today(0)
FILE_DAY = nppes_file_day()  # of the full file write_nppes writes
# The weekly file after it, in which Mei's NPI is deactivated, and the one after that.
WEEKLY_DAY = FILE_DAY + datetime.timedelta(days=7)
DEACTIVATED = FILE_DAY + datetime.timedelta(days=1)
LATER_DAY = WEEKLY_DAY + datetime.timedelta(days=7)
WEEKLY, LATER = nppes_weekly_name(WEEKLY_DAY), nppes_weekly_name(LATER_DAY)
MEI = with_check_digit("100000001")
JOSE = with_check_digit("100000002")
CLINIC = with_check_digit("100000003")
ANNA = with_check_digit("100000004")
OMAR = with_check_digit("100000005")
RUTH = with_check_digit("100000006")


def mei(**changes):
    fields = {
        "last": "CHEN",
        "first": "MEI",
        "address": ("2500 MISSION ST", "SUITE 5, FLOOR 2"),  # a quoted comma
        "city": "SAN FRANCISCO",
        "state": "CA",
        "postal": "941101234",
        "phone": "4155550100",
        "slots": {1: (ACUPUNCTURIST, "AC12345", "CA")},
    } | changes
    return nppes_row(MEI, **fields)


def sample_rows():
    return [
        mei(),
        # The acupuncture taxonomy in slot 9 only, behind another; slots between empty.
        nppes_row(
            JOSE,
            last="GARCIA",
            first="JOSE",
            credential="DACM, L.AC.",
            address=("1 MAIN ST", ""),
            city="PORTLAND",
            state="OR",
            postal="97204",
            slots={1: (MASSAGE_THERAPIST, "MT1", "OR"), 9: (ACUPUNCTURIST, "AC-778", "OR")},
        ),
        # An organisation with the acupuncture taxonomy: kept as an organisation.
        nppes_row(
            CLINIC,
            entity="2",
            organisation="GOLDEN NEEDLE ACUPUNCTURE, INC.",
            city="OAKLAND",
            state="CA",
            postal="94612",
            slots={1: (ACUPUNCTURIST, "", "")},
        ),
        # Practises in California, licensed (so far as NPPES says) in New York.
        nppes_row(
            ANNA,
            last="O'BRIEN",
            first="ANNA",
            city="LOS ANGELES",
            state="CA",
            postal="90012",
            slots={1: (ACUPUNCTURIST, "004567", "NY")},
        ),
        # A foreign practice address in a country Meridian does not list.
        nppes_row(
            OMAR,
            last="HADDAD",
            first="OMAR",
            address=("12 RUE DE RIVOLI", ""),
            city="PARIS",
            state="",
            postal="75001",
            country="FR",
            slots={1: (ACUPUNCTURIST, "AC9001", "NY")},
        ),
        # Not an acupuncturist at all.
        nppes_row(
            RUTH,
            last="MILLER",
            first="RUTH",
            city="SAN FRANCISCO",
            state="CA",
            postal="94110",
            slots={1: (MASSAGE_THERAPIST, "MT2", "CA")},
        ),
    ]


def run(path, **options) -> str:
    out = io.StringIO()
    call_command("import_nppes", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        list(Practitioner.objects.order_by("pk").values()),
        list(Location.objects.order_by("pk").values()),
        list(License.objects.order_by("pk").values()),
        VerificationEvent.objects.count(),
        list(Discrepancy.objects.order_by("pk").values()),
        list(NppesOrganisation.objects.order_by("pk").values()),
    )


def test_individual_acupuncturists_become_unclaimed_unlisted_practitioners(tmp_path):
    output = run(write_nppes(tmp_path, sample_rows()))
    assert output.splitlines()[-1] == (
        f"NPPES file of {FILE_DAY}: 6 rows read, 5 kept; 4 created, 0 updated, 0 unchanged, "
        "1 skipped (address outside Meridian's countries (practitioner kept): 1); "
        "organisations: 1 created, 0 updated, 0 unchanged, 0 deactivated; "
        "4 licenses added as pending; 0 new discrepancies for staff."
    )
    assert sorted(Practitioner.objects.values_list("npi", "first_name", "last_name")) == [
        (MEI, "Mei", "Chen"),
        (JOSE, "Jose", "Garcia"),
        (ANNA, "Anna", "O'Brien"),
        (OMAR, "Omar", "Haddad"),
    ]
    chen = Practitioner.objects.get(npi=MEI)
    assert (chen.owner, chen.published, chen.credentials, chen.slug) == (
        None,
        True,
        "L.AC.",
        "mei-chen",
    )
    [clinic] = chen.locations.all()
    assert (clinic.address, clinic.city, clinic.region, clinic.postal_code, clinic.phone) == (
        "2500 MISSION ST, SUITE 5, FLOOR 2",
        "San Francisco",
        "CA",
        "94110-1234",
        "415-555-0100",
    )
    assert clinic.geocode_precision == "postal" and clinic.latitude is not None
    assert sorted(License.objects.values_list("practitioner__npi", "region", "number")) == [
        (MEI, "CA", "AC12345"),
        (JOSE, "OR", "AC-778"),
        (ANNA, "NY", "004567"),
        (OMAR, "NY", "AC9001"),
    ]
    assert set(License.objects.values_list("status", "source", "expires_on")) == {
        (CredentialStatus.PENDING, "NPPES (self-reported)", None)
    }
    event = VerificationEvent.objects.get(license__number="AC12345")
    assert (event.system_actor, event.from_status, event.to_status, event.source) == (
        f"NPPES file of {FILE_DAY}",
        "",
        "pending",
        "NPPES (self-reported)",
    )
    assert not Practitioner.objects.get(npi=OMAR).locations.exists()
    assert not Location.objects.listable().exists()  # nothing verified yet
    assert ImportedFile.objects.get().counts["created"] == 4
    assert list(NppesOrganisation.objects.values_list("npi", "legal_name", "city")) == [
        (CLINIC, "GOLDEN NEEDLE ACUPUNCTURE, INC.", "Oakland")
    ]


def test_a_second_run_of_the_same_file_changes_nothing(tmp_path):
    path = write_nppes(tmp_path, sample_rows())
    run(path)
    before = snapshot()
    output = run(path)
    assert "0 created, 0 updated, 4 unchanged" in output
    assert "organisations: 0 created, 0 updated, 1 unchanged, 0 deactivated" in output
    assert "0 licenses added" in output
    assert snapshot() == before


def test_the_published_zip_is_read_like_the_csv_inside_it(tmp_path):
    output = run(write_nppes_zip(tmp_path, sample_rows()))
    assert "6 rows read, 5 kept; 4 created" in output
    assert Practitioner.objects.count() == 4


def test_columns_are_found_by_name_not_position(tmp_path):
    # A newer release: a column added at the end and one in the middle.
    columns = [*NPPES_COLUMNS[:5], "Provider Sex Code", *NPPES_COLUMNS[5:], "Certification Date"]
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv([mei()], columns=columns))
    run(path)
    assert Practitioner.objects.get(npi=MEI).last_name == "Chen"


def test_a_license_state_other_than_the_practice_state_does_not_list_the_clinic(tmp_path):
    run(write_nppes(tmp_path, sample_rows()))
    license = License.objects.get(practitioner__npi=ANNA)
    license.expires_on = TODAY + datetime.timedelta(days=300)
    license.save()
    credential_transition(
        credential=license,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.process("test"),
        checked_on=TODAY,
    )
    assert not Location.objects.listable().filter(practitioner__npi=ANNA).exists()


def verify_all() -> None:
    for license in License.objects.filter(status=CredentialStatus.PENDING):
        license.expires_on = TODAY + datetime.timedelta(days=300)
        license.save()
        credential_transition(
            credential=license, to_status="verified", by=Actor.process("test"), checked_on=TODAY
        )


def test_a_deactivated_npi_leaves_search_and_a_reactivation_brings_it_back(tmp_path):
    run(write_nppes(tmp_path, [mei()]))
    verify_all()
    assert Location.objects.listable().filter(practitioner__npi=MEI).exists()

    weekly = write_nppes(tmp_path, [deactivated_row(MEI, nppes_date(DEACTIVATED))], name=WEEKLY)
    assert "1 updated" in run(weekly)
    chen = Practitioner.objects.get(npi=MEI)
    assert chen.npi_deactivated_on == DEACTIVATED
    assert chen.npi_deactivation_note == (
        f"NPPES file of {WEEKLY_DAY}: NPI deactivated on {DEACTIVATED}"
    )
    assert not Location.objects.listable().filter(practitioner__npi=MEI).exists()
    assert Location.objects.listable(on=FILE_DAY).exists()  # before it
    assert "1 unchanged" in run(weekly)  # idempotent

    reactivated_on = DEACTIVATED + datetime.timedelta(days=5)
    reactivated = mei(deactivated=nppes_date(DEACTIVATED), reactivated=nppes_date(reactivated_on))
    later = write_nppes(tmp_path, [reactivated], name=LATER)
    assert "1 updated" in run(later)
    chen.refresh_from_db()
    assert chen.npi_deactivated_on is None
    assert Location.objects.listable().filter(practitioner__npi=MEI).exists()


def test_a_deactivated_npi_unknown_to_meridian_is_skipped(tmp_path):
    output = run(write_nppes(tmp_path, [deactivated_row(MEI, "01/02/2020")]))
    # Its row carries no taxonomy, so the scan does not even keep it.
    assert "1 rows read, 0 kept" in output
    assert not Practitioner.objects.exists()


def test_an_unclaimed_profile_follows_nppes(tmp_path):
    run(write_nppes(tmp_path, [mei()]))
    # What NPPES does not hold about the clinic (staff may have added it) stays.
    Location.objects.filter(practitioner__npi=MEI).update(
        clinic_name="Mission Acupuncture", sliding_scale=True
    )
    [before] = Location.objects.filter(practitioner__npi=MEI)
    moved = mei(address=("88 VALENCIA ST", ""), postal="94103", slots={
        1: (ACUPUNCTURIST, "AC12345", "CA"), 2: (ACUPUNCTURIST, "ac555", "NV")})  # fmt: skip
    output = run(write_nppes(tmp_path, [moved], name=WEEKLY))
    assert "1 updated" in output and "1 licenses added" in output
    [clinic] = Location.objects.filter(practitioner__npi=MEI)
    assert (clinic.address, clinic.postal_code) == ("88 VALENCIA ST", "94103")
    assert (clinic.pk, clinic.clinic_name, clinic.sliding_scale, clinic.created_at) == (
        before.pk,
        "Mission Acupuncture",
        True,
        before.created_at,
    )
    assert sorted(License.objects.values_list("region", "number")) == [
        ("CA", "AC12345"),
        ("NV", "AC555"),
    ]


def test_a_claimed_profile_is_only_filled_in_and_differences_go_to_staff(tmp_path):
    run(write_nppes(tmp_path, [mei()]))
    chen = Practitioner.objects.get(npi=MEI)
    chen.owner = AccountFactory()
    chen.last_name, chen.credentials = "Chen-Wong", ""
    chen.save()
    changed = mei(slots={1: (ACUPUNCTURIST, "AC12345", "CA"), 2: (ACUPUNCTURIST, "X9", "NV")})
    path = write_nppes(tmp_path, [changed], name=WEEKLY)
    output = run(path)
    assert "1 updated" in output and "2 new discrepancies" in output
    chen.refresh_from_db()
    assert (chen.last_name, chen.credentials) == ("Chen-Wong", "L.AC.")  # blank filled
    assert sorted(Discrepancy.objects.values_list("field", "ours", "theirs")) == [
        ("last name", "Chen-Wong", "Chen"),
        ("license", "", "US-NV X9"),
    ]
    assert chen.licenses.count() == 1
    before = snapshot()
    assert "0 new discrepancies" in run(path)
    assert snapshot() == before


def test_malformed_rows_are_reported_by_line_and_skipped(tmp_path):
    good = mei()
    bad_npi = nppes_row("1234567890", last="X", slots={1: (ACUPUNCTURIST, "A1", "CA")})
    iso_date = FILE_DAY.isoformat()  # not how NPPES writes a date
    bad_date = nppes_row(JOSE, last="GARCIA", deactivated=iso_date,
                         slots={1: (ACUPUNCTURIST, "A2", "OR")})  # fmt: skip
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv([bad_npi, good, bad_date]))
    output = run(path)
    assert "  skipped line 2: NPI “1234567890” is not 10 digits with a valid check digit" in output
    assert f"  skipped line 4: NPI Deactivation Date “{iso_date}” is not a date (MM/DD/YYYY)" in (
        output
    )
    assert "1 created" in output and "malformed: 2" in output
    assert list(Practitioner.objects.values_list("npi", flat=True)) == [MEI]


def test_a_short_line_of_a_kept_row_is_reported(tmp_path):
    text = nppes_csv([mei()])
    header, row = text.splitlines()
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(header + "\n" + row.rsplit(",", 3)[0] + "\n")
    output = run(path)
    assert "  skipped line 2: fewer fields than the header" in output
    assert not Practitioner.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('"LASTNAME","FIRSTNAME"\n"DOE","JANE"\n', "not an NPPES data file: line 1 lacks"),
        ("", "not an NPPES data file"),
        (b"\xff\xfe\x00garbage", "not a UTF-8 text file"),
    ],
)
def test_a_file_that_is_not_nppes_is_refused_before_anything_is_written(tmp_path, content, message):
    path = tmp_path / "UPDATED.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert message in str(refused.value)
    assert str(refused.value).endswith("Nothing was imported.")
    assert not Practitioner.objects.exists() and not ImportedFile.objects.exists()


def test_an_archive_without_the_data_file_is_refused(tmp_path):
    path = tmp_path / "NPPES.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(CommandError, match=r"expected one npidata_pfile_…\.csv"):
        run(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "absent.csv")


def test_file_date_may_be_given(tmp_path):
    path = tmp_path / "weekly.csv"
    path.write_text(nppes_csv([mei()]))
    day = days_from_today(-42)
    assert f"NPPES file of {day}" in run(path, file_date=day)
    assert VerificationEvent.objects.get().system_actor == f"NPPES file of {day}"


def test_staff_see_the_differences_in_the_review_queue(tmp_path, client):
    from tests.factories import reviewer

    run(write_nppes(tmp_path, [mei()]))
    chen = Practitioner.objects.get(npi=MEI)
    chen.owner, chen.last_name = AccountFactory(), "Chen-Wong"
    chen.save()
    run(write_nppes(tmp_path, [mei()], name=WEEKLY))
    client.force_login(reviewer())
    page = client.get("/review/").content.decode()
    assert (
        "Mei Chen-Wong</a>: NPPES differs from the claimed profile · last name: "
        "Meridian “Chen-Wong”, source “Chen”"
    ) in page
    assert f"{WEEKLY} of {WEEKLY_DAY}" in page


@pytest.mark.parametrize("last_newline", [True, False])
def test_rows_are_counted_across_read_buffers_with_or_without_a_last_newline(
    tmp_path, last_newline
):
    rows = 50_000  # about 5 MB: more than one 4 MB read
    path = tmp_path / "npidata_pfile_20050523-20261109.csv"
    text = '"NPI","Entity Type Code"\n' + "".join(
        f'"{n:010d}","1","{"x" * 80}"\n' for n in range(rows)
    )
    path.write_text(text if last_newline else text.rstrip("\n"))
    assert path.stat().st_size > 1 << 22
    assert nppes.count_rows(path) == rows
    header_only = tmp_path / "header.csv"
    header_only.write_text('"NPI"' + ("\n" if last_newline else ""))
    assert nppes.count_rows(header_only) == 0


def test_a_kept_row_not_in_utf8_is_reported_and_skipped_never_stored_altered(tmp_path):
    jurgen = nppes_row(JOSE, last="MÜLLER", first="JÜRGEN", city="PORTLAND", state="OR",
                       postal="97204", slots={1: (ACUPUNCTURIST, "AC-778", "OR")})  # fmt: skip
    ruth = sample_rows()[-1] | {"Provider Last Name (Legal Name)": "MÜLLER"}  # not kept
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv([ruth, mei(first="JÖRG"), jurgen]), encoding="utf-8")
    data = path.read_bytes()
    first_row_end = data.index(b"\n", data.index(b"\n") + 1)
    latin = "MÜLLER".encode("latin-1")
    path.write_bytes(
        data[:first_row_end].replace("MÜLLER".encode(), latin)
        + data[first_row_end:].replace("JÜRGEN".encode(), "JÜRGEN".encode("latin-1"))
    )
    output = run(path)
    assert "  skipped line 4: “Provider First Name” is not valid UTF-8" in output
    assert "1 created" in output and "malformed: 1" in output
    assert list(Practitioner.objects.values_list("first_name", "last_name")) == [("Jörg", "Chen")]


def test_a_value_longer_than_meridian_keeps_is_reported_not_cut(tmp_path):
    long_last = "CHEN" * 25  # 100 characters; Meridian keeps 80
    rows = [
        mei(last=long_last),
        nppes_row(
            JOSE,
            last="GARCIA",
            first="JOSE",
            city="PORTLAND",
            state="OR",
            slots={1: (ACUPUNCTURIST, "A" * 61, "OR")},
        ),
        nppes_row(
            ANNA,
            last="O'BRIEN",
            first="ANNA",
            city="LOS ANGELES",
            state="CA",
            address=("1 " + "LONG " * 25 + "ST", "SUITE " + "9" * 100),
            slots={1: (ACUPUNCTURIST, "004567", "CA")},
        ),
        # A city too long for a clinic, in a country Meridian does not list: no clinic kept.
        nppes_row(
            OMAR,
            last="HADDAD",
            first="OMAR",
            city="PARIS" * 30,
            country="FR",
            slots={1: (ACUPUNCTURIST, "AC9001", "NY")},
        ),
    ]
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv(rows))
    output = run(path)
    assert (
        f"  skipped line 2: NPI {MEI}: “Provider Last Name (Legal Name)” is 100 characters, over 80"
    ) in output
    assert f"  skipped line 3: NPI {JOSE}: license number “{'A' * 20}…” is 61 characters" in output
    assert f"  skipped line 4: NPI {ANNA}: the practice address is 237 characters, over 200" in (
        output
    )
    assert "1 created" in output and "malformed: 3" in output
    assert list(Practitioner.objects.values_list("npi", flat=True)) == [OMAR]


def test_a_damaged_zip_is_refused_as_damaged(tmp_path):
    path = write_nppes_zip(tmp_path, sample_rows())
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # cut short, as by an interrupted download
    with pytest.raises(CommandError) as refused:
        run(path)
    assert "the zip archive is damaged (cut short" in str(refused.value)
    start = whole.index(b"npidata_pfile_") + 200  # inside the data file's compressed bytes
    path.write_bytes(
        whole[:start] + bytes(b ^ 0x55 for b in whole[start : start + 40]) + whole[start + 40 :]
    )
    with pytest.raises(CommandError) as refused:
        run(path)
    assert "the zip archive is damaged (" in str(refused.value)
    assert not Practitioner.objects.exists() and not ImportedFile.objects.exists()
