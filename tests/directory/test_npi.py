"""The NPI: optional, unique, checked by its Luhn digit; entered on the dashboard and
/api/v1/me/, shown on the profile, and a look-up key for the search API without `near`."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from credentialing.npi import is_valid_npi, with_check_digit
from directory.models import Practitioner
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/practitioners/"
NPI = "1234567893"  # the example NPI of the CMS check-digit note


def test_check_digit_follows_the_npi_standard():
    assert is_valid_npi(NPI)
    assert with_check_digit("123456789") == NPI
    assert not is_valid_npi("1234567890")  # wrong check digit
    assert not is_valid_npi("123456789")  # nine digits
    assert not is_valid_npi("12345678９3")  # a non-ASCII digit


def test_an_invalid_or_duplicate_npi_is_refused_by_the_model():
    PractitionerFactory(npi=NPI)
    with pytest.raises(ValidationError) as bad_digit:
        PractitionerFactory.build(npi="1234567890").full_clean(exclude=["owner"])
    assert "check" in str(bad_digit.value)
    with pytest.raises(ValidationError) as duplicate:
        PractitionerFactory.build(npi=NPI).full_clean(exclude=["owner"])
    assert "Another profile already has this NPI" in str(duplicate.value)


def test_many_profiles_may_have_no_npi():
    PractitionerFactory(npi="")
    PractitionerFactory(npi="")
    assert Practitioner.objects.filter(npi="").count() == 2


def test_profile_shows_the_npi(client):
    practitioner = PractitionerFactory(npi=NPI)
    LicenseFactory(practitioner=practitioner)
    LocationFactory(practitioner=practitioner)
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert f'<span class="code" id="npi">{NPI}</span>' in page


def test_search_api_looks_up_an_npi_without_a_place(client):
    practitioner = PractitionerFactory(npi=NPI, slug="mei-chen")
    LicenseFactory(practitioner=practitioner, number="AC12345")
    location = LocationFactory(practitioner=practitioner)
    response = client.get(SEARCH, {"npi": NPI})
    assert response.status_code == 200
    body = response.json()
    [hit] = body.pop("results")
    assert body == {
        "count": 1,
        "count_is_capped": False,
        "page": 1,
        "page_size": 1,
        "page_count": 1,
        "next": None,
        "previous": None,
        "near": None,
        "radius": None,
        "unit": None,
    }
    assert (hit["slug"], hit["distance"], hit["distance_km"]) == ("mei-chen", None, None)
    assert (hit["location"]["clinic_name"], hit["license"]["number"]) == (
        location.clinic_name,
        "AC12345",
    )


def test_npi_look_up_finds_nobody_unlisted(client):
    practitioner = PractitionerFactory(npi=NPI)
    LocationFactory(practitioner=practitioner)  # no verified license: not listed
    body = client.get(SEARCH, {"npi": NPI}).json()
    assert (body["count"], body["results"]) == (0, [])


def test_npi_look_up_refuses_a_bad_npi_and_other_parameters(client):
    bad = client.get(SEARCH, {"npi": "1234567890"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"npi": ["Enter a 10-digit NPI with a valid check digit."]}
    mixed = client.get(SEARCH, {"npi": NPI, "near": "94110"})
    assert mixed.status_code == 400
    assert mixed.json()["errors"] == {"near": ["Not allowed with `npi`."]}
