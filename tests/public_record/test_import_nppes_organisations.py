"""`manage.py import_nppes` and NPPES organisations (entity type 2 with an acupuncture
taxonomy): read with their legal business name, kept by NPI as NPPES describes them,
deactivated and reactivated with their NPI, counted apart from practitioners, in the
file's one transaction."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from credentialing.npi import with_check_digit
from credentialing.source_models import ImportedFile
from directory.models import NppesOrganisation, Practitioner
from public_record import nppes
from public_record.nppes_import import nppes_import
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
)

pytestmark = pytest.mark.django_db

FILE_DAY = nppes_file_day()
WEEKLY_DAY = FILE_DAY + datetime.timedelta(days=7)
LATER_DAY = WEEKLY_DAY + datetime.timedelta(days=7)
DEACTIVATED = FILE_DAY + datetime.timedelta(days=1)
WEEKLY, LATER = nppes_weekly_name(WEEKLY_DAY), nppes_weekly_name(LATER_DAY)
NEEDLE = with_check_digit("160000001")
LOTUS = with_check_digit("160000002")
MEI = with_check_digit("100000001")
NAME_COLUMN = "Provider Organization Name (Legal Business Name)"


def needle(**changes):
    fields = {
        "entity": "2",
        "organisation": "GOLDEN NEEDLE ACUPUNCTURE, INC.",
        "address": ("410 14TH ST", "SUITE 200"),
        "city": "OAKLAND",
        "state": "CA",
        "postal": "946121234",
        "phone": "5105550100",
        "slots": {1: ("261QM1300X", "", ""), 2: (ACUPUNCTURIST, "", "")},
    } | changes
    return nppes_row(NEEDLE, **fields)


def mei():
    return nppes_row(MEI, last="CHEN", first="MEI", city="SAN FRANCISCO", state="CA",
                     postal="94110", slots={1: (ACUPUNCTURIST, "AC12345", "CA")})  # fmt: skip


def run(path) -> str:
    out = io.StringIO()
    call_command("import_nppes", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def organisations() -> list[tuple]:
    return list(
        NppesOrganisation.objects.values_list(
            "npi",
            "legal_name",
            "address_line_1",
            "address_line_2",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
            "taxonomy_codes",
            "deactivated_on",
        )
    )


def test_the_reader_reads_an_organisation_with_its_legal_business_name(tmp_path):
    path = write_nppes(tmp_path, [needle(), mei()])
    header = nppes.check_header(path)
    frame = nppes.scan(path, header=header, codes=[ACUPUNCTURIST], known_npis=[]).collect()
    first, second = nppes.records(frame, header=header, codes=[ACUPUNCTURIST])
    assert isinstance(first, nppes.NppesRecord) and isinstance(second, nppes.NppesRecord)
    assert (first.npi, first.is_organisation, first.organisation_name, first.taxonomies) == (
        NEEDLE,
        True,
        "GOLDEN NEEDLE ACUPUNCTURE, INC.",
        [ACUPUNCTURIST],
    )
    assert (second.is_organisation, second.organisation_name, second.last_name) == (
        False,
        "",
        "CHEN",
    )


def test_a_file_without_the_organisation_name_column_is_refused(tmp_path):
    columns = [name for name in NPPES_COLUMNS if name != NAME_COLUMN]
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv([mei()], columns=columns))
    with pytest.raises(CommandError) as refused:
        run(path)
    assert f"not an NPPES data file: line 1 lacks the column “{NAME_COLUMN}”" in str(refused.value)
    assert not Practitioner.objects.exists() and not ImportedFile.objects.exists()


def test_an_organisation_is_created_then_unchanged_then_updated(tmp_path):
    output = run(write_nppes(tmp_path, [needle(), mei()]))
    assert output.splitlines()[-1] == (
        f"NPPES file of {FILE_DAY}: 2 rows read, 2 kept; 1 created, 0 updated, 0 unchanged, "
        "0 skipped; organisations: 1 created, 0 updated, 0 unchanged, 0 deactivated; "
        "1 licenses added as pending; 0 new discrepancies for staff."
    )
    assert organisations() == [
        (
            NEEDLE,
            "GOLDEN NEEDLE ACUPUNCTURE, INC.",
            "410 14TH ST",
            "SUITE 200",
            "Oakland",
            "CA",
            "94612-1234",
            "US",
            "510-555-0100",
            [ACUPUNCTURIST],
            None,
        )
    ]
    assert ImportedFile.objects.get().counts["organisations"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
    }
    [before] = NppesOrganisation.objects.all()

    same = write_nppes(tmp_path, [needle()], name=WEEKLY)
    assert "organisations: 0 created, 0 updated, 1 unchanged, 0 deactivated" in run(same)
    [again] = NppesOrganisation.objects.all()
    assert again.updated_at == before.updated_at

    moved = needle(organisation="GOLDEN NEEDLE HEALTH", address=("1 BROADWAY", ""), phone="")
    assert "organisations: 0 created, 1 updated, 0 unchanged" in run(
        write_nppes(tmp_path, [moved], name=LATER)
    )
    [after] = NppesOrganisation.objects.all()
    assert (after.pk, after.legal_name, after.address_line_1, after.address_line_2) == (
        before.pk,
        "GOLDEN NEEDLE HEALTH",
        "1 BROADWAY",
        "",
    )
    assert (after.phone, after.created_at) == ("", before.created_at)
    assert after.updated_at > before.updated_at


def test_a_deactivated_npi_marks_the_organisation_and_a_reactivation_brings_it_back(tmp_path):
    run(write_nppes(tmp_path, [needle()]))
    # A weekly file carries only the NPI and its date: the scan keeps it as a known NPI.
    weekly = write_nppes(tmp_path, [deactivated_row(NEEDLE, nppes_date(DEACTIVATED))], name=WEEKLY)
    output = run(weekly)
    assert "1 rows read, 1 kept" in output
    assert "organisations: 0 created, 0 updated, 0 unchanged, 1 deactivated" in output
    assert NppesOrganisation.objects.get().deactivated_on == DEACTIVATED
    assert not NppesOrganisation.objects.listed().exists()
    assert "organisations: 0 created, 0 updated, 1 unchanged, 0 deactivated" in run(weekly)

    back_on = nppes_date(DEACTIVATED + datetime.timedelta(days=5))
    reactivated = needle(deactivated=nppes_date(DEACTIVATED), reactivated=back_on)
    output = run(write_nppes(tmp_path, [reactivated], name=LATER))
    assert "organisations: 0 created, 1 updated, 0 unchanged, 0 deactivated" in output
    assert NppesOrganisation.objects.get().deactivated_on is None
    assert list(NppesOrganisation.objects.listed().values_list("npi", flat=True)) == [NEEDLE]


def test_an_organisation_that_drops_the_taxonomy_is_no_longer_listed(tmp_path):
    run(write_nppes(tmp_path, [needle()]))
    other = needle(slots={1: (MASSAGE_THERAPIST, "", "")})
    assert "organisations: 0 created, 1 updated" in run(write_nppes(tmp_path, [other], name=WEEKLY))
    assert NppesOrganisation.objects.get().taxonomy_codes == []
    assert not NppesOrganisation.objects.listed().exists()


def test_an_address_outside_meridians_countries_keeps_the_organisation_without_it(tmp_path):
    abroad = needle(address=("12 RUE DE RIVOLI", ""), city="PARIS", state="", postal="75001",
                    country="FR")  # fmt: skip
    output = run(write_nppes(tmp_path, [abroad]))
    assert "1 skipped (address outside Meridian's countries (organisation kept): 1)" in output
    assert "organisations: 1 created" in output
    assert organisations() == [
        (
            NEEDLE,
            "GOLDEN NEEDLE ACUPUNCTURE, INC.",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            [ACUPUNCTURIST],
            None,
        )
    ]


def test_a_malformed_organisation_row_is_reported_and_skipped(tmp_path):
    nameless = nppes_row(LOTUS, entity="2", city="OAKLAND", state="CA",
                         slots={1: (ACUPUNCTURIST, "", "")})  # fmt: skip
    too_long = needle(organisation="G" * 201)
    path = tmp_path / nppes_weekly_name(FILE_DAY)
    path.write_text(nppes_csv([nameless, too_long, mei()]))
    output = run(path)
    assert "  skipped line 2: an organisation without its legal business name" in output
    assert f"  skipped line 3: NPI {NEEDLE}: “{NAME_COLUMN}” is 201 characters, over 200" in output
    assert "malformed: 2" in output and "organisations: 0 created" in output
    assert not NppesOrganisation.objects.exists()
    assert Practitioner.objects.get().npi == MEI


def test_the_whole_file_is_one_transaction(tmp_path):
    """A failure at the last write (the organisations, inserted after the practitioners)
    leaves nothing of the file behind: no practitioner, no record of the import."""
    path = write_nppes(tmp_path, [mei(), needle()])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse BEFORE INSERT ON directory_nppesorganisation "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
        )
    with pytest.raises(DatabaseError, match="refused by the test"):
        nppes_import(path=path)
    assert not Practitioner.objects.exists()
    assert not ImportedFile.objects.exists()
    assert not NppesOrganisation.objects.exists()


def test_the_same_organisation_twice_in_a_file_is_kept_once(tmp_path):
    renamed = needle(organisation="GOLDEN NEEDLE HEALTH")
    output = run(write_nppes(tmp_path, [needle(), renamed]))
    assert "organisations: 1 created, 1 updated, 0 unchanged" in output
    assert list(NppesOrganisation.objects.values_list("legal_name", flat=True)) == [
        "GOLDEN NEEDLE HEALTH"
    ]
