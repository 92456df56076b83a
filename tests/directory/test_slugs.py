"""Slugs are profiles' public ids, and FHIR ids are built on them (FHIR allows 64 characters,
as does the table of published versions): however long a name, every id stays within it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from credentialing.npi import with_check_digit
from directory.models import Practitioner, slug_base
from directory.models.practitioner import SLUG_BASE_LENGTH
from directory.services import practitioner_create
from fhir_api.selectors import location_id
from tests.factories import AccountFactory, LocationFactory
from tests.public_record.files import ACUPUNCTURIST, nppes_row, write_nppes

pytestmark = pytest.mark.django_db

FIRST = "Maria Guadalupe Concepcion"
LAST = "Fernandez-Rodriguez de la Santisima Trinidad Villanueva"
FHIR_ID_LIMIT = 64


def longest_fhir_id(practitioner: Practitioner) -> int:
    """The practitioner's own id, a clinic's, and that clinic's booking endpoint's."""
    clinic = location_id(LocationFactory(practitioner=practitioner))
    return max(len(practitioner.slug), len(clinic), len(f"{clinic}-booking"))


def test_a_long_name_is_cut_short_without_a_trailing_hyphen():
    base = slug_base(f"{FIRST} {LAST}")
    assert base == "maria-guadalupe-concepcion-fernan"
    assert len(base) <= SLUG_BASE_LENGTH
    assert slug_base("Ann " + "b" * 28 + " Smith") == "ann-" + "b" * 28  # not "...b-"
    assert slug_base("!!!") == "practitioner"


def test_a_profile_created_with_a_long_name_has_fhir_ids_within_the_limit():
    practitioners = [
        practitioner_create(
            owner=AccountFactory(), practitioner=Practitioner(first_name=FIRST, last_name=LAST)
        )
        for _ in range(2)
    ]
    assert [practitioner.slug for practitioner in practitioners] == [
        "maria-guadalupe-concepcion-fernan",
        "maria-guadalupe-concepcion-fernan-2",
    ]
    assert max(map(longest_fhir_id, practitioners)) <= FHIR_ID_LIMIT


def test_nppes_practitioners_with_one_long_name_have_fhir_ids_within_the_limit(tmp_path):
    rows = [
        nppes_row(
            with_check_digit(f"10000000{number}"),
            last=LAST.upper(),
            first=FIRST.upper(),
            address=("1 MAIN ST", ""),
            city="SAN FRANCISCO",
            state="CA",
            postal="94110",
            phone="4155550100",
            slots={1: (ACUPUNCTURIST, f"AC{number}", "CA")},
        )
        for number in range(1, 4)
    ]
    call_command("import_nppes", str(write_nppes(tmp_path, rows)), stdout=io.StringIO())
    imported = list(Practitioner.objects.all())
    assert len(imported) == 3
    assert max(map(longest_fhir_id, imported)) <= FHIR_ID_LIMIT
