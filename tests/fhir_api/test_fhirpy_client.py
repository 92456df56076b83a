"""An outside app's view: fhirpy, a FHIR client library, drives the live server the way a
patient app would: who is near me, page by page, with the practitioners included, then
one practitioner read by reference."""

from __future__ import annotations

import json

import pytest
from fhirpy import SyncFHIRClient

from tests.fhir_api.conftest import clinic, validate
from tests.fhir_api.test_search import ORIGIN, POINTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fhir_client_finds_pages_includes_and_reads(live_server):
    for slug, point in POINTS.items():
        clinic(slug, *point, first_name=slug.split("-")[1].title(), last_name="Tester")
    client = SyncFHIRClient(f"{live_server.url}/fhir")

    nearby = (
        client.resources("PractitionerRole")
        .search(**{"location.near": f"{ORIGIN[0]}|{ORIGIN[1]}|20|km"})
        .include("PractitionerRole", "practitioner")
        .limit(2)
    )
    first_page = nearby.fetch_raw()
    validate(json.loads(json.dumps(first_page)))
    included = [e.resource for e in first_page.entry if e.search.mode == "include"]
    assert {resource.resourceType for resource in included} == {"Practitioner"}
    assert len(first_page.entry) == 4 and "total" not in first_page  # two roles, two people

    roles = nearby.fetch_all()  # follows the `next` links
    assert [role.practitioner.reference for role in roles] == [
        "Practitioner/close-hayes",
        "Practitioner/near-mission",
        "Practitioner/mid-sunset",
        "Practitioner/far-oakland",
    ]
    practitioner = roles[1]["practitioner"].to_resource()
    validate(practitioner.serialize())
    assert practitioner.name[0].family == "Tester"
    assert practitioner.qualification[0].code.text == "L.Ac. license (California, United States)"
    same = client.resources("Practitioner").search(name="mission").get()
    assert same.id == practitioner.id == "near-mission"
