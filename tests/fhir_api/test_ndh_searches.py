"""NDH's Location new-patient and accessibility and Practitioner qualification-code and gender: each
finds exactly what the resources it returns show, over the live API."""

from __future__ import annotations

import datetime
import urllib.parse

import pytest

from credentialing.models import CredentialStatus
from tests.factories import CertificationFactory, LicenseFactory
from tests.fhir_api.conftest import TODAY, clinic, validate

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
NEW_PATIENTS = f"{PLAN_NET}/StructureDefinition/newpatients"
ACCEPTING = f"{PLAN_NET}/CodeSystem/AcceptingPatientsCS"
ACCESSIBILITY = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-accessibility"
THO_ACCESSIBILITY = "http://terminology.hl7.org/CodeSystem/care-service-accessibility"
MERIDIAN_ACCESSIBILITY = "http://127.0.0.1:8000/fhir/CodeSystem/accessibility"
NUCC = "http://nucc.org/provider-taxonomy"


def found(fhir, path: str) -> set[str]:
    """The ids a search returns (one page is enough for these few rows)."""
    answer = fhir(path)
    assert answer.status == 200, answer.body
    validate(answer.body)
    return {entry["resource"]["id"] for entry in answer.body.get("entry", [])}


def query(**parameters: str) -> str:
    return urllib.parse.urlencode(parameters)


def location_id(fhir, slug: str) -> str:
    roles = fhir(f"PractitionerRole?practitioner=Practitioner/{slug}").body
    return roles["entry"][0]["resource"]["id"]


def accepting_code(resource: dict) -> str | None:
    for extension in resource.get("extension", []):
        if extension["url"] == NEW_PATIENTS:
            return extension["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
    return None


@pytest.fixture
def answers():
    """Three clinics: accepting (confirmed today), not accepting (confirmed 90 days ago, the
    last day it shows), and accepting but confirmed 91 days ago (too old to show)."""
    clinic("open", 37.77, -122.41, accepting_new_patients=True, accepting_new_patients_on=TODAY)
    clinic(
        "full",
        37.78,
        -122.42,
        accepting_new_patients=False,
        accepting_new_patients_on=TODAY - datetime.timedelta(days=90),
    )
    clinic(
        "stale",
        37.79,
        -122.43,
        accepting_new_patients=True,
        accepting_new_patients_on=TODAY - datetime.timedelta(days=91),
    )


def test_locations_are_found_by_the_new_patients_answer_they_show(fhir, answers):
    ids = {slug: location_id(fhir, slug) for slug in ["open", "full", "stale"]}
    shown = {slug: accepting_code(fhir(f"Location/{ids[slug]}").body) for slug in ids}
    assert shown == {"open": "newpt", "full": "nopt", "stale": None}
    # The Location says what the role at the same clinic says.
    for slug, place in ids.items():
        assert accepting_code(fhir(f"PractitionerRole/{place}").body) == shown[slug]

    assert found(fhir, "Location?new-patient=newpt") == {ids["open"]}
    assert found(fhir, "Location?" + query(**{"new-patient": f"{ACCEPTING}|nopt"})) == {ids["full"]}
    assert found(fhir, "Location?new-patient=newpt,nopt") == {ids["open"], ids["full"]}
    other_system = "http://terminology.hl7.org/CodeSystem/accepting-patients|newpt"
    assert found(fhir, "Location?" + query(**{"new-patient": other_system})) == set()
    assert found(fhir, "Location?new-patient=existptonly") == set()


@pytest.fixture
def access():
    _, ramp = clinic("ramp", 37.77, -122.41)
    ramp.step_free_entrance = ramp.near_public_transport = True
    ramp.save()
    _, car = clinic("car", 37.78, -122.42)
    car.parking = True
    car.save()
    clinic("plain", 37.79, -122.43)


def access_codes(resource: dict) -> list[set[tuple[str, str]]]:
    return [
        {(c["system"], c["code"]) for c in e["valueCodeableConcept"]["coding"]}
        for e in resource["extension"]
        if e["url"] == ACCESSIBILITY
    ]


def test_locations_are_found_by_the_access_features_they_show(fhir, access):
    ids = {slug: location_id(fhir, slug) for slug in ["ramp", "car", "plain"]}
    assert access_codes(fhir(f"Location/{ids['ramp']}").body) == [
        {(MERIDIAN_ACCESSIBILITY, "step-free-entrance")},
        {(THO_ACCESSIBILITY, "pubtrans"), (MERIDIAN_ACCESSIBILITY, "near-public-transport")},
    ]
    assert access_codes(fhir(f"Location/{ids['car']}").body) == [
        {(MERIDIAN_ACCESSIBILITY, "parking")}
    ]
    assert access_codes(fhir(f"Location/{ids['plain']}").body) == []

    assert found(fhir, "Location?accessibility=step-free-entrance") == {ids["ramp"]}
    assert found(fhir, "Location?accessibility=pubtrans") == {ids["ramp"]}
    assert found(fhir, "Location?" + query(accessibility=f"{THO_ACCESSIBILITY}|pubtrans")) == {
        ids["ramp"]
    }
    assert found(fhir, "Location?" + query(accessibility=f"{MERIDIAN_ACCESSIBILITY}|parking")) == {
        ids["car"]
    }
    assert found(fhir, "Location?accessibility=parking,step-free-entrance") == {
        ids["ramp"],
        ids["car"],
    }
    # Repeated, the parameter is AND: no clinic has both.
    assert found(fhir, "Location?accessibility=parking&accessibility=step-free-entrance") == set()
    # THO's code only where it says the same thing; a code under the wrong system is not it.
    assert found(fhir, "Location?accessibility=handiaccess") == set()
    assert found(fhir, "Location?" + query(accessibility=f"{THO_ACCESSIBILITY}|parking")) == set()
    assert found(fhir, "Location?accessibility=accessible-toilet") == set()


@pytest.fixture
def credentials():
    """Two licensed practitioners; one also NCCAOM-certified, one with an expired and one
    unverified certification (neither public)."""
    certified, _ = clinic("certified", 37.77, -122.41)
    CertificationFactory(practitioner=certified)
    other, _ = clinic("other", 37.78, -122.42)
    CertificationFactory(
        practitioner=other, body="Herbal Board", expires_on=TODAY - datetime.timedelta(days=1)
    )
    CertificationFactory(
        practitioner=other, credential="Dipl. O.M.", status=CredentialStatus.PENDING
    )
    LicenseFactory(practitioner=other, license_type="R.Ac.", region="NY")


def test_practitioners_are_found_by_the_qualifications_they_show(fhir, credentials):
    body = fhir("Practitioner/certified").body
    validate(body)
    license_q, certification_q = body["qualification"]
    assert license_q["code"]["coding"] == [
        {"system": NUCC, "code": "171100000X", "display": "Acupuncturist"}
    ]
    assert license_q["code"]["text"].startswith("L.Ac. license")
    assert certification_q["code"] == {"text": "NCCAOM Dipl. Ac."}

    assert found(fhir, "Practitioner?qualification-code=171100000X") == {"certified", "other"}
    assert found(fhir, "Practitioner?" + query(**{"qualification-code": f"{NUCC}|171100000X"})) == {
        "certified",
        "other",
    }
    assert found(fhir, "Practitioner?qualification-code=Dipl.%20Ac.") == set()  # not a code
    assert found(fhir, "Practitioner?qualification-code:text=nccaom") == {"certified"}
    assert found(fhir, "Practitioner?qualification-code:text=dipl") == {"certified"}
    assert found(fhir, "Practitioner?qualification-code:text=r.ac") == {"other"}
    assert found(fhir, "Practitioner?qualification-code:text=herbal") == set()  # expired
    assert found(fhir, "Practitioner?qualification-code:text=o.m.") == set()  # not verified
    assert found(fhir, "Practitioner?qualification-code:text=%25") == set()  # no wildcard


def test_practitioners_are_found_by_the_gender_category_they_show(fhir):
    clinic("woman", 37.77, -122.41, gender="woman", gender_description="Two-spirit")
    clinic("man", 37.78, -122.41, gender="man")
    clinic("nonbinary", 37.79, -122.41, gender="nonbinary")
    clinic("another", 37.80, -122.41, gender="another")
    clinic("unsaid", 37.81, -122.41, gender="")

    shown = {
        slug: fhir(f"Practitioner/{slug}").body.get("gender")
        for slug in ["woman", "man", "nonbinary", "another", "unsaid"]
    }
    assert shown == {
        "woman": "female",
        "man": "male",
        "nonbinary": "other",
        "another": "other",
        "unsaid": None,  # nothing chosen: the element is left out
    }
    assert found(fhir, "Practitioner?gender=female") == {"woman"}
    assert found(fhir, "Practitioner?gender=male") == {"man"}
    assert found(fhir, "Practitioner?gender=other") == {"nonbinary", "another"}
    assert found(fhir, "Practitioner?gender=female,male") == {"woman", "man"}
    system = "http://hl7.org/fhir/administrative-gender"
    assert found(fhir, "Practitioner?" + query(gender=f"{system}|male")) == {"man"}
    assert found(fhir, "Practitioner?gender=unknown") == set()
    assert found(fhir, "Practitioner?" + query(gender="http://example.org|male")) == set()


@pytest.mark.parametrize(
    "path",
    [
        "Location?new-patient:not=newpt",
        "Location?accessibility:text=parking",
        "Practitioner?qualification-code:below=171100000X",
        "Practitioner?gender:text=male",
    ],
)
def test_the_ndh_searches_refuse_a_modifier_they_do_not_serve(fhir, path):
    answer = fhir(path)
    assert answer.status == 400
    validate(answer.body)
    parameter = path.split("?")[1].split("=")[0]  # e.g. new-patient:not
    assert answer.diagnostics().startswith(f"{parameter}:")
