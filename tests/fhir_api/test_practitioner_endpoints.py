"""A practitioner's online booking pages are their endpoints (NDH's endpoint extension on
Practitioner): one for each listed clinic of theirs with a booking page, found by
`Practitioner?endpoint=`, brought by `_include=Practitioner:endpoint`, and bringing the
practitioner back with `Endpoint?_revinclude=Practitioner:endpoint`."""

from __future__ import annotations

import datetime

import pytest

from fhir_api.systems import NDH_ENDPOINT_REFERENCE
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import validate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def practitioners():
    jun = PractitionerFactory(slug="jun-chen", first_name="Jun", last_name="Chen")
    LicenseFactory(practitioner=jun)
    booked = LocationFactory(practitioner=jun, booking_url="https://book.example.org/mission")
    LocationFactory(practitioner=jun, booking_url="")  # no booking page: no endpoint
    ana = PractitionerFactory(slug="ana-diaz", first_name="Ana", last_name="Diaz")
    LicenseFactory(practitioner=ana)
    LocationFactory(practitioner=ana, booking_url="")
    return booked


def endpoint_ids(resource: dict) -> list[str]:
    return [
        extension["valueReference"]["reference"].removeprefix("Endpoint/")
        for extension in resource.get("extension", [])
        if extension["url"] == NDH_ENDPOINT_REFERENCE
    ]


def ids(bundle: dict, resource_type: str, mode: str) -> list[str]:
    return sorted(
        entry["resource"]["id"]
        for entry in bundle.get("entry", [])
        if entry["resource"]["resourceType"] == resource_type and entry["search"]["mode"] == mode
    )


def test_a_booking_page_is_the_practitioners_endpoint(fhir, practitioners):
    endpoints = fhir("Endpoint?connection-type=rest-non-fhir").body
    (booking,) = ids(endpoints, "Endpoint", "match")

    jun = fhir("Practitioner/jun-chen").body
    validate(jun)
    assert endpoint_ids(jun) == [booking]
    assert endpoint_ids(fhir("Practitioner/ana-diaz").body) == []

    found = fhir(f"Practitioner?endpoint=Endpoint/{booking}").body
    assert ids(found, "Practitioner", "match") == ["jun-chen"]
    assert fhir("Practitioner?endpoint=Endpoint/meridian-fhir").body["total"] == 0
    assert fhir("Practitioner?endpoint=Endpoint/nobody-0123456789-booking").body["total"] == 0

    included = fhir("Practitioner?_include=Practitioner:endpoint").body
    validate(included)
    assert ids(included, "Practitioner", "match") == ["ana-diaz", "jun-chen"]
    assert ids(included, "Endpoint", "include") == [booking]

    back = fhir("Endpoint?_revinclude=Practitioner:endpoint").body
    validate(back)
    assert ids(back, "Endpoint", "match") == sorted(["meridian-fhir", booking])
    assert ids(back, "Practitioner", "include") == ["jun-chen"]


def test_a_new_booking_page_changes_the_practitioner(fhir, practitioners, time_machine):
    before = fhir("Practitioner/jun-chen").body
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1))
    practitioners.booking_url = ""
    practitioners.save()

    after = fhir("Practitioner/jun-chen").body
    assert endpoint_ids(after) == []
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] > before["meta"]["lastUpdated"]
