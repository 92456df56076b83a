"""Organization and Endpoint hold only what Meridian knows: the practice a clinic belongs to
(its clinic name, or the practitioner's own practice) and a clinic's online booking page,
besides the directory's own FHIR base; the role and clinic refer to both."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import TODAY, validate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinics():
    practitioner = PractitionerFactory(slug="jun-chen", first_name="Jun", last_name="Chen")
    LicenseFactory(practitioner=practitioner)
    booked = LocationFactory(
        practitioner=practitioner,
        clinic_name="Mission Acupuncture",
        booking_url="https://book.example.org/mission",
        latitude=37.76,
        longitude=-122.41,
    )
    own = LocationFactory(practitioner=practitioner, clinic_name="", booking_url="")
    return booked, own


def test_practices_endpoints_and_the_references_between_them(fhir, clinics):
    roles = fhir(
        "PractitionerRole?practitioner=jun-chen&_include=PractitionerRole:organization"
        "&_include=PractitionerRole:endpoint"
    ).body
    validate(roles)
    found = {
        (e["resource"]["resourceType"], e["search"]["mode"]): e["resource"] for e in roles["entry"]
    }
    organizations = [
        e["resource"] for e in roles["entry"] if e["resource"]["resourceType"] == "Organization"
    ]
    assert sorted(o["name"] for o in organizations) == ["Jun Chen", "Mission Acupuncture"]
    endpoint = found[("Endpoint", "include")]
    assert endpoint["address"] == "https://book.example.org/mission"
    assert endpoint["connectionType"]["code"] == "rest-non-fhir"
    mission = next(o for o in organizations if o["name"] == "Mission Acupuncture")
    assert endpoint["managingOrganization"]["reference"] == f"Organization/{mission['id']}"
    assert mission["endpoint"] == [
        {"reference": f"Endpoint/{endpoint['id']}", "display": "Online booking"}
    ]
    booked_role = next(
        e["resource"]
        for e in roles["entry"]
        if e["resource"]["resourceType"] == "PractitionerRole" and "endpoint" in e["resource"]
    )
    assert booked_role["organization"]["reference"] == f"Organization/{mission['id']}"

    endpoints = fhir("Endpoint").body
    validate(endpoints)
    assert sorted(e["resource"]["id"] for e in endpoints["entry"]) == sorted(
        ["meridian-fhir", endpoint["id"]]
    )
    assert endpoints["total"] == 2
    own = fhir("Endpoint/meridian-fhir").body
    assert own["address"].endswith("/fhir") and own["payloadMimeType"] == ["application/fhir+json"]
    assert fhir("Endpoint?connection-type=rest-non-fhir").body["total"] == 1
    assert fhir("Organization?name=mission").body["total"] == 1
    assert fhir("Organization?name=chen").body["total"] == 1  # the practitioner's own practice
    assert fhir(f"Organization?endpoint=Endpoint/{endpoint['id']}").body["total"] == 1
    assert fhir(f"Location?organization=Organization/{mission['id']}").body["total"] == 1
    assert fhir(f"Organization/{mission['id']}/_history").body["total"] == 1


def test_roles_are_found_by_a_current_new_patients_answer(fhir, clinics):
    practitioner = clinics[0].practitioner
    for accepting, newpt, nopt in [(False, 0, 2), (True, 2, 0)]:
        practitioner.accepting_new_patients = accepting
        practitioner.accepting_new_patients_on = TODAY
        practitioner.save()
        found = fhir("PractitionerRole?new-patient=newpt").body
        validate(found)
        assert (found["total"], fhir("PractitionerRole?new-patient=nopt").body["total"]) == (
            newpt,
            nopt,
        )
    practitioner.accepting_new_patients_on = TODAY - datetime.timedelta(days=91)
    practitioner.save()  # an answer too old to show matches neither
    assert fhir("PractitionerRole?new-patient=newpt,nopt").body["total"] == 0
