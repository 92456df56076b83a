"""GET /fhir/metadata and /fhir/<type>/<id>: valid resources, stable ids, ETag and meta,
404 for ids nobody has, 410 for practitioners who left the listing."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from directory import photos
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    photo_upload,
)
from tests.fhir_api.conftest import TODAY, validate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mei():
    practitioner = PractitionerFactory(
        slug="mei-chen",
        first_name="Mei",
        last_name="Chen",
        credentials="L.Ac., Dipl. O.M.",
        languages=["en", "yue"],
        telehealth=True,
    )
    location = LocationFactory(
        practitioner=practitioner,
        clinic_name="Mission Acupuncture",
        address="2500 Mission St",
        postal_code="94110",
        latitude=37.7562,
        longitude=-122.4188,
        phone="+1 415 555 0100",
    )
    license = LicenseFactory(practitioner=practitioner, number="AC12345")
    certification = CertificationFactory(practitioner=practitioner, number="123456")
    return practitioner, location, license, certification


ACTIVE_IDENTIFIER = {
    "url": "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-identifier-status",
    "valueCode": "active",
}


def test_metadata_declares_every_resource_and_parameter_with_its_type(fhir):
    answer = fhir("metadata")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/fhir+json")
    validate(answer.body)
    assert answer.body["fhirVersion"] == "4.0.1"
    resources = {entry["type"]: entry for entry in answer.body["rest"][0]["resource"]}
    assert set(resources) == {
        "Practitioner",
        "PractitionerRole",
        "Location",
        "Organization",
        "Endpoint",
        "HealthcareService",
        "VerificationResult",
    }
    for entry in resources.values():
        assert [i["code"] for i in entry["interaction"]] == [
            "read",
            "vread",
            "search-type",
            "history-instance",
            "history-type",
        ]
    # Names as R4 and NDH spell them: no chain is declared as a name.
    assert not [name for kind, name in types_of(resources) if "." in name]
    types = {
        (kind, parameter["name"]): parameter["type"]
        for kind, entry in resources.items()
        for parameter in entry["searchParam"]
    }
    assert types[("Location", "near")] == "special"
    assert types[("PractitionerRole", "near")] == "special"
    assert types[("Practitioner", "name")] == "string"
    assert types[("Practitioner", "identifier")] == "token"
    assert types[("PractitionerRole", "practitioner")] == "reference"
    assert types[("Location", "_lastUpdated")] == "date"
    assert "km" in next(
        p["documentation"] for p in resources["Location"]["searchParam"] if p["name"] == "near"
    )
    assert resources["PractitionerRole"]["searchInclude"] == [
        "PractitionerRole:practitioner",
        "PractitionerRole:location",
        "PractitionerRole:organization",
        "PractitionerRole:endpoint",
        "PractitionerRole:service",
    ]


def types_of(resources: dict) -> list[tuple[str, str]]:
    return [(kind, p["name"]) for kind, entry in resources.items() for p in entry["searchParam"]]


def test_practitioner_read_has_names_identifier_qualifications_and_version(fhir, mei):
    _practitioner, _, license, _certification = mei
    answer = fhir("Practitioner/mei-chen")
    assert answer.status == 200
    body = answer.body
    validate(body)
    assert body["id"] == "mei-chen"
    assert answer.headers["etag"] == f'W/"{body["meta"]["versionId"]}"'
    assert body["meta"]["lastUpdated"].endswith("Z")
    assert body["name"] == [
        {
            "use": "official",
            "text": "Mei Chen",
            "family": "Chen",
            "given": ["Mei"],
            "suffix": ["L.Ac.", "Dipl. O.M."],
        }
    ]
    assert body["identifier"] == [
        {
            "extension": [ACTIVE_IDENTIFIER],
            "use": "official",
            "system": "http://127.0.0.1:8000/practitioners/",
            "value": "mei-chen",
        }
    ]
    assert body["meta"]["profile"] == [
        "http://hl7.org/fhir/us/ndh/StructureDefinition/ndh-ndapi-Practitioner"
    ]
    assert [c["coding"][0]["code"] for c in body["communication"]] == ["en", "yue"]
    license_q, certification_q = body["qualification"]
    assert license_q["id"] == str(license.public_id)
    assert license_q["identifier"] == [{"value": "AC12345"}]
    assert license_q["period"] == {
        "start": (TODAY - datetime.timedelta(days=365)).isoformat(),
        "end": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    assert license_q["issuer"]["display"].startswith("California Acupuncture Board")
    assert license_q["extension"] == [
        {
            "url": "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-practitioner-qualification",
            "extension": [
                {"url": "status", "valueCode": "active"},
                {
                    "url": "whereValid",
                    "valueCodeableConcept": {
                        "coding": [{"system": "https://www.usps.com/", "code": "CA"}],
                        "text": "California, United States",
                    },
                },
            ],
        }
    ]
    assert certification_q["code"] == {"text": "NCCAOM Dipl. Ac."}
    assert certification_q["issuer"] == {
        "reference": "Organization/certifying-nccaom",
        "display": "NCCAOM",
    }


def test_if_none_match_with_the_etag_answers_304(fhir, mei):
    etag = fhir("Practitioner/mei-chen").headers["etag"]
    assert fhir("Practitioner/mei-chen", headers={"If-None-Match": etag}).status == 304


def test_location_and_role_read_under_one_stable_id(fhir, mei):
    _practitioner, _location, _, _ = mei
    roles = fhir("PractitionerRole?practitioner=Practitioner/mei-chen").body["entry"]
    (role,) = [entry["resource"] for entry in roles]
    role_id = role["id"]
    # The practitioner's slug and a digest: no sequential number is published.
    assert role_id.startswith("mei-chen-") and len(role_id.removeprefix("mei-chen-")) == 10
    read_role = fhir(f"PractitionerRole/{role_id}").body
    read_location = fhir(f"Location/{role_id}").body
    validate(read_role)
    validate(read_location)
    assert read_role == role
    assert read_location["address"] == {
        "use": "work",
        "type": "physical",
        "line": ["2500 Mission St"],
        "city": "San Francisco",
        "state": "CA",
        "postalCode": "94110",
        "country": "US",
    }
    assert read_location["position"] == {"latitude": 37.7562, "longitude": -122.4188}
    assert read_location["telecom"] == [
        {"system": "phone", "value": "+1 415 555 0100", "use": "work"}
    ]
    assert read_role["practitioner"] == {
        "reference": "Practitioner/mei-chen",
        "display": "Mei Chen",
    }
    assert read_role["location"][0]["reference"] == f"Location/{role_id}"
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in read_role["extension"]}
    assert (
        extensions["newpatients"]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        == "newpt"
    )
    assert extensions["newpatients-as-of"]["valueDate"] == TODAY.isoformat()
    assert extensions["telehealth"]["valueBoolean"] is True


def test_location_carries_opening_hours_and_the_note(fhir, mei):
    from directory.hours import Interval
    from directory.services import opening_hours_replace

    _practitioner, location, _, _ = mei
    role_id = fhir("PractitionerRole?practitioner=Practitioner/mei-chen").body["entry"][0][
        "resource"
    ]["id"]
    assert "hoursOfOperation" not in fhir(f"Location/{role_id}").body  # no hours given
    at = datetime.time
    week = [Interval(day, at(9), at(17)) for day in (0, 1, 3)]
    week += [Interval(4, at(9), at(13)), Interval(4, at(14), at(19)), Interval(5, at(10), at(14))]
    opening_hours_replace(location=location, intervals=week)
    location.hours_note = "Closed on public holidays"
    location.save()
    read = fhir(f"Location/{role_id}").body
    validate(read)
    assert read["hoursOfOperation"] == [
        {"daysOfWeek": ["mon", "tue", "thu"], "openingTime": "09:00:00", "closingTime": "17:00:00"},
        {"daysOfWeek": ["fri"], "openingTime": "09:00:00", "closingTime": "13:00:00"},
        {"daysOfWeek": ["sat"], "openingTime": "10:00:00", "closingTime": "14:00:00"},
        {"daysOfWeek": ["fri"], "openingTime": "14:00:00", "closingTime": "19:00:00"},
    ]
    assert read["availabilityExceptions"] == "Closed on public holidays"


def test_verification_result_in_the_ndh_shape(fhir, mei):
    _, _, license, _ = mei
    answer = fhir(f"VerificationResult/{license.public_id}")
    assert answer.status == 200
    body = answer.body
    validate(body)
    assert body["meta"]["profile"] == [
        "http://hl7.org/fhir/us/ndh/StructureDefinition/ndh-Verification"
    ]
    assert body["target"][0]["reference"] == "Practitioner/mei-chen"
    assert body["targetLocation"] == [
        f"Practitioner.qualification.where(id = '{license.public_id}')"
    ]
    assert body["status"] == "validated"
    assert body["validationType"]["coding"][0]["code"] == "primary"
    assert body["validationProcess"][0]["coding"][0]["code"] == "primary"
    (source,) = body["primarySource"]
    assert source["type"][0]["coding"][0]["code"] == "lic-board"
    assert source["validationDate"] == license.verified_on.isoformat()
    assert source["who"]["display"].startswith("California Acupuncture Board")
    # REVERIFY_AFTER_DAYS after its last confirmation, or its expiry if sooner.
    cycle = license.verified_on + datetime.timedelta(days=settings.REVERIFY_AFTER_DAYS)
    assert body["nextScheduled"] == min(cycle, license.expires_on).isoformat()


@pytest.mark.parametrize(
    "path",
    [
        "Practitioner/nobody",
        "Location/nobody-0123456789",
        "PractitionerRole/x",
        "VerificationResult/00000000-0000-0000-0000-000000000000",
        "VerificationResult/not-a-uuid",
        "Practitioner/has%20space",
        "Patient/1",
    ],
)
def test_unknown_ids_answer_404_operation_outcome(fhir, path):
    answer = fhir(path)
    assert answer.status == 404
    validate(answer.body)
    assert answer.body["resourceType"] == "OperationOutcome"


def test_a_practitioner_whose_license_expired_yesterday_is_gone(fhir, time_machine):
    practitioner = PractitionerFactory(slug="lapsed")
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner, expires_on=TODAY - datetime.timedelta(days=1))
    answer = fhir("Practitioner/lapsed")
    assert answer.status == 410
    validate(answer.body)
    assert fhir("Practitioner?_id=lapsed").body.get("total") == 0


def test_a_practitioner_with_a_photo_carries_its_address(fhir, mei):
    practitioner = mei[0]
    assert "photo" not in fhir("Practitioner/mei-chen").body
    photos.practitioner_photo_set(
        practitioner=practitioner, photo=photos.photo_prepare(photo_upload())
    )
    body = fhir("Practitioner/mei-chen").body
    validate(body)
    largest = photos.file_names(practitioner.photo)[288]
    assert body["photo"] == [
        {
            "contentType": "image/webp",
            "url": f"http://127.0.0.1:8000/photos/{largest}",
            "title": "Mei Chen",
        }
    ]


def test_an_unpublished_practitioner_is_unknown(fhir):
    practitioner = PractitionerFactory(slug="hidden", published=False)
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner)
    assert fhir("Practitioner/hidden").status == 404
