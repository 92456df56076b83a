"""The NPI Registry look-up on the dashboard, against a loopback server that answers as the
CMS registry's API version 2.1 does: a result, no results, a refused query (200 with
"Errors"), an HTTP error and a server that is not there."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from credentialing.models import License
from credentialing.npi import with_check_digit
from directory.models import Practitioner
from tests.factories import AccountFactory, owned_practitioner
from tests.servers import json_answer, refusing_port, serve

NPI = with_check_digit("165432109")
ORGANISATION_NPI = with_check_digit("176543210")


def registry_result(npi: str = NPI) -> dict:
    """One result as the registry writes it: names in capitals, a mailing and a location
    address, a nine-digit ZIP, several taxonomies of which two are acupuncture licenses."""
    return {
        "created_epoch": "1183075200000",
        "enumeration_type": "NPI-1",
        "last_updated_epoch": "1704844800000",
        "number": npi,
        "addresses": [
            {
                "country_code": "US",
                "country_name": "United States",
                "address_purpose": "MAILING",
                "address_type": "DOM",
                "address_1": "PO BOX 12",
                "city": "OAKLAND",
                "state": "CA",
                "postal_code": "94604",
                "telephone_number": "510-555-0199",
            },
            {
                "country_code": "US",
                "country_name": "United States",
                "address_purpose": "LOCATION",
                "address_type": "DOM",
                "address_1": "2100 WEBSTER ST",
                "address_2": "SUITE 410",
                "city": "OAKLAND",
                "state": "CA",
                "postal_code": "946123010",
                "telephone_number": "510-555-0142",
            },
        ],
        "practiceLocations": [],
        "basic": {
            "first_name": "SIOBHAN",
            "last_name": "O'BRIEN-CHAU",
            "middle_name": "M",
            "credential": "L.AC.",
            "sole_proprietor": "YES",
            "gender": "F",
            "enumeration_date": "2007-06-29",
            "last_updated": "2024-01-10",
            "status": "A",
        },
        "taxonomies": [
            {
                "code": "171100000X",
                "taxonomy_group": "",
                "desc": "Acupuncturist",
                "state": "CA",
                "license": "AC 12345",
                "primary": True,
            },
            {
                "code": "225100000X",
                "taxonomy_group": "",
                "desc": "Physical Therapist",
                "state": "CA",
                "license": "PT 999",
                "primary": False,
            },
            {
                "code": "171100000X",
                "taxonomy_group": "",
                "desc": "Acupuncturist",
                "state": "NV",
                "license": "OMD-77",
                "primary": False,
            },
        ],
        "identifiers": [],
        "endpoints": [],
        "other_names": [],
    }


def registry(path: str, query: dict[str, str]):
    """The registry's answers: by number, with version 2.1 required as the real API does."""
    if path != "/api/" or query.get("version") != "2.1":
        return json_answer(200, {"Errors": [{"description": "Invalid version", "field": "v"}]})
    number = query.get("number", "")
    if number == NPI:
        return json_answer(200, {"result_count": 1, "results": [registry_result()]})
    if number == ORGANISATION_NPI:
        organisation = registry_result(ORGANISATION_NPI) | {"enumeration_type": "NPI-2"}
        return json_answer(200, {"result_count": 1, "results": [organisation]})
    if number == with_check_digit("100000000"):
        return 503, b"<html>Service Unavailable</html>", "text/html"
    return json_answer(200, {"result_count": 0, "results": []})


@pytest.fixture
def service(settings):
    with serve(registry) as fake:
        settings.NPI_REGISTRY_URL = f"{fake.url}/api"
        yield fake


@pytest.fixture
def newcomer_client(client, db):
    client.force_login(AccountFactory(email="newcomer@example.com"))
    return client


@pytest.fixture
def owner(db):
    return AccountFactory(email="owner@example.com")


@pytest.fixture
def practitioner(owner):
    return owned_practitioner(owner=owner, slug="mei-chen")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def value_of(html: str, name: str, form: str = "id") -> str:
    tag = re.search(rf'<input[^>]*id="{form}_{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def selected(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*id="id_{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return option.group(1) if option else ""


def test_without_a_configured_registry_the_dashboard_offers_no_look_up(newcomer_client):
    response = newcomer_client.get(reverse("accounts:practitioner-new"), {"npi": NPI})

    assert response.status_code == 200
    assert "NPI Registry" not in response.content.decode()
    assert value_of(response.content.decode(), "first_name") == ""


def test_an_npi_fills_in_the_new_profile_and_is_asked_once(newcomer_client, service):
    url = reverse("accounts:practitioner-new")
    first = newcomer_client.get(url, {"npi": NPI}).content.decode()
    again = newcomer_client.get(url, {"npi": NPI}).content.decode()

    for html in (first, again):
        assert value_of(html, "first_name") == "Siobhan"
        assert value_of(html, "last_name") == "O&#x27;Brien-Chau"
        assert value_of(html, "credentials") == "L.AC."
        assert value_of(html, "npi") == NPI
        assert "check before saving" in html
    assert [(r.path, r.query) for r in service.requests] == [
        ("/api/", {"number": NPI, "version": "2.1"})
    ]
    # Nothing was saved: the practitioner saves the filled-in form as usual.
    assert not Practitioner.objects.filter(npi=NPI).exists()


def test_a_clinic_is_filled_in_from_the_practice_location_not_the_mailing_address(
    owner_client, practitioner, service
):
    Practitioner.objects.filter(pk=practitioner.pk).update(npi=NPI)
    url = reverse("accounts:location-new", kwargs={"slug": practitioner.slug})

    offered = owner_client.get(url).content.decode()
    # The look-up starts from the profile's NPI.
    assert value_of(offered, "npi", form="registry") == NPI
    assert value_of(offered, "address") == ""
    assert service.requests == []  # and asks only when the practitioner presses Look up

    html = owner_client.get(url, {"npi": NPI}).content.decode()
    assert value_of(html, "address") == "2100 Webster St Suite 410"
    assert value_of(html, "city") == "Oakland"
    assert value_of(html, "postal_code") == "94612-3010"
    assert value_of(html, "phone") == "510-555-0142"
    assert selected(html, "jurisdiction") == "US-CA"


def test_a_license_listed_by_the_registry_fills_in_the_license_form(
    owner_client, practitioner, service
):
    url = reverse("accounts:license-new", kwargs={"slug": practitioner.slug})

    listed = owner_client.get(url, {"npi": NPI}).content.decode()
    # Acupuncture taxonomies only (the physical therapy license is not offered).
    assert "Use license AC 12345 (US-CA, Acupuncturist)" in listed
    assert "Use license OMD-77 (US-NV, Acupuncturist)" in listed
    assert "PT 999" not in listed
    assert value_of(listed, "number") == ""

    chosen = owner_client.get(url, {"npi": NPI, "license": "1"}).content.decode()
    assert value_of(chosen, "number") == "OMD-77"
    assert selected(chosen, "jurisdiction") == "US-NV"
    assert not License.objects.filter(number__in=["AC 12345", "OMD-77"]).exists()

    beyond = owner_client.get(url, {"npi": NPI, "license": "7"}).content.decode()
    assert value_of(beyond, "number") == ""


def test_a_claim_is_filled_in_from_a_license_the_registry_lists(newcomer_client, service):
    url = reverse("accounts:claim-new")

    html = newcomer_client.get(url, {"npi": NPI, "license": "0"}).content.decode()

    assert value_of(html, "number") == "AC 12345"
    assert selected(html, "jurisdiction") == "US-CA"


@pytest.mark.parametrize(
    ("npi", "says"),
    [
        (with_check_digit("123456789"), "has no individual provider"),
        (ORGANISATION_NPI, "has no individual provider"),
        (with_check_digit("100000000"), "answered HTTP 503"),
    ],
)
def test_no_record_or_a_failing_registry_fills_in_nothing_and_says_why(
    newcomer_client, service, npi, says
):
    response = newcomer_client.get(reverse("accounts:practitioner-new"), {"npi": npi})
    html = response.content.decode()

    assert response.status_code == 200
    assert says in html
    assert value_of(html, "first_name") == ""


def test_a_refused_query_and_an_unreachable_registry_are_not_cached(newcomer_client, settings):
    url = reverse("accounts:practitioner-new")
    with refusing_port() as port:
        settings.NPI_REGISTRY_URL = f"http://127.0.0.1:{port}/api"
        html = newcomer_client.get(url, {"npi": NPI}).content.decode()
        assert "could not be reached" in html

    with serve(registry) as fake:
        settings.NPI_REGISTRY_URL = f"{fake.url}/v1"  # answers 200 with "Errors"
        html = newcomer_client.get(url, {"npi": NPI}).content.decode()
        assert "refused the query (Invalid version)" in html

        settings.NPI_REGISTRY_URL = f"{fake.url}/api"
        html = newcomer_client.get(url, {"npi": NPI}).content.decode()
        assert value_of(html, "first_name") == "Siobhan"
        assert len(fake.requests) == 2


@pytest.mark.parametrize("npi", ["", "12345", with_check_digit("165432109")[:-1] + "0", "1e+09"])
def test_a_bad_npi_is_refused_with_the_field_named_and_the_registry_not_asked(
    newcomer_client, service, npi
):
    if npi and npi[:-1] == NPI[:-1]:
        assert npi != NPI  # the check digit was changed
    response = newcomer_client.get(reverse("accounts:practitioner-new"), {"npi": npi})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="registry_npi_error"' in html
    assert service.requests == []
