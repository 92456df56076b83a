"""HealthcareService: acupuncture by one practitioner at one clinic, under the clinic's id,
built only from what the clinic row holds; the role refers to it, searches and includes
reach it both ways, and it leaves with the listing."""

from __future__ import annotations

import datetime
import decimal

import pytest

from directory.hours import Interval
from directory.models import Practitioner
from directory.services import opening_hours_replace
from evidence.models import Condition, Intervention
from fhir_api.history import versions_record
from fhir_api.selectors import location_id
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import TODAY, search, validate

pytestmark = pytest.mark.django_db(transaction=True)

NDH = "http://hl7.org/fhir/us/ndh"
SERVICE_TYPE = "http://terminology.hl7.org/CodeSystem/service-type"
CATEGORY = "http://terminology.hl7.org/CodeSystem/ndh-healthcare-service-category"
PROVISION = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
STRICT = {"Prefer": "handling=strict"}
ROLE_AND_SERVICE = [("PractitionerRole", "match"), ("HealthcareService", "include")]


@pytest.fixture
def mei():
    """A practitioner with a named clinic that has hours, prices and a booking page, and a
    second clinic of her own with none of these."""
    practitioner = PractitionerFactory(
        slug="mei-chen", first_name="Mei", last_name="Chen", languages=["en", "yue"]
    )
    practitioner.techniques.add(Intervention.objects.techniques().order_by("slug").first())
    practitioner.conditions.add(Condition.objects.order_by("slug").first())
    LicenseFactory(practitioner=practitioner)
    mission = LocationFactory(
        practitioner=practitioner,
        clinic_name="Mission Acupuncture",
        phone="+1 415 555 0100",
        website="https://mission.example.org/",
        booking_url="https://book.example.org/mission",
        first_visit_fee=decimal.Decimal("120"),
        sliding_scale=True,
        hours_note="By appointment only",
        latitude=37.7562,
        longitude=-122.4188,
    )
    at = datetime.time
    opening_hours_replace(
        location=mission,
        intervals=[Interval(day, at(9), at(17)) for day in (0, 2)] + [Interval(5, at(10), at(14))],
    )
    own = LocationFactory(
        practitioner=practitioner, clinic_name="", city="Oakland", latitude=37.8, longitude=-122.27
    )
    return location_id(mission), location_id(own)


def test_a_service_holds_what_the_clinic_row_holds(fhir, mei):
    mission, _ = mei
    answer = fhir(f"HealthcareService/{mission}")
    assert answer.status == 200
    body = answer.body
    validate(body)
    assert answer.headers["etag"] == f'W/"{body["meta"]["versionId"]}"'
    assert body["meta"]["profile"] == [f"{NDH}/StructureDefinition/ndh-ndapi-HealthcareService"]
    technique = Intervention.objects.techniques().order_by("slug").first()
    condition = Condition.objects.order_by("slug").first()
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in body["extension"]}
    delivery = extensions["base-ext-delivery-method"]["extension"][0]
    assert {name: code_of(extension) for name, extension in extensions.items()} == {
        "base-ext-verification-status": "incomplete",
        "newpatients": None,
        "newpatients-as-of": None,
        "base-ext-delivery-method": None,
        "condition-treated": condition.slug,
    }
    assert code_of(extensions["newpatients"]["extension"][0]) == "newpt"
    assert extensions["newpatients-as-of"]["valueDate"] == TODAY.isoformat()
    assert (delivery["url"], code_of(delivery)) == ("deliveryMethodtype", "physical")
    assert {key: value for key, value in body.items() if key not in {"meta", "extension"}} == {
        "resourceType": "HealthcareService",
        "id": mission,
        "active": True,
        "providedBy": {"reference": f"Organization/{mission}", "display": "Mission Acupuncture"},
        "category": [concept(CATEGORY, "prov", "Medical Provider")],
        "type": [concept(SERVICE_TYPE, "13", "Acupuncture")],
        "specialty": [
            concept("http://nucc.org/provider-taxonomy", "171100000X", "Acupuncturist"),
            concept(
                "http://127.0.0.1:8000/fhir/CodeSystem/technique", technique.slug, technique.name
            ),
        ],
        "location": [{"reference": f"Location/{mission}", "display": "Mission Acupuncture"}],
        "name": "Acupuncture with Mei Chen at Mission Acupuncture",
        "telecom": [
            {"system": "phone", "value": "+1 415 555 0100", "use": "work"},
            {"system": "url", "value": "https://mission.example.org/", "use": "work"},
        ],
        "serviceProvisionCode": [
            concept(PROVISION, "cost", "Fees apply"),
            concept(PROVISION, "disc", "Discounts Available"),
        ],
        "communication": [
            {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}], "text": "English"},
            {"coding": [{"system": "urn:ietf:bcp:47", "code": "yue"}], "text": "Cantonese"},
        ],
        "availableTime": [
            {
                "daysOfWeek": ["mon", "wed"],
                "availableStartTime": "09:00:00",
                "availableEndTime": "17:00:00",
            },
            {
                "daysOfWeek": ["sat"],
                "availableStartTime": "10:00:00",
                "availableEndTime": "14:00:00",
            },
        ],
        "availabilityExceptions": "By appointment only",
        "endpoint": [{"reference": f"Endpoint/{mission}-booking", "display": "Online booking"}],
    }


def concept(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def code_of(extension: dict) -> str | None:
    value = extension.get("valueCodeableConcept")
    return value["coding"][0]["code"] if value else None


def test_what_the_clinic_did_not_say_is_left_out(fhir, mei):
    _, own = mei
    body = fhir(f"HealthcareService/{own}").body
    validate(body)
    assert body["name"] == "Acupuncture with Mei Chen in Oakland"
    assert body["providedBy"] == {"reference": f"Organization/{own}", "display": "Mei Chen"}
    for absent in ("serviceProvisionCode", "availableTime", "availabilityExceptions", "endpoint"):
        assert absent not in body


def test_roles_refer_to_their_service_and_find_and_include_it(fhir, mei):
    mission, own = mei
    role = fhir(f"PractitionerRole/{mission}").body
    assert role["healthcareService"] == [
        {
            "reference": f"HealthcareService/{mission}",
            "display": "Acupuncture with Mei Chen at Mission Acupuncture",
        }
    ]
    for value in (f"HealthcareService/{mission}", mission):
        found = search(fhir, f"PractitionerRole?service={value}")
        assert [e["resource"]["id"] for e in found["entry"]] == [mission]
    unknown = search(fhir, "PractitionerRole?service=HealthcareService/nobody-0123456789")
    assert unknown["total"] == 0
    with_services = search(fhir, "PractitionerRole?_include=PractitionerRole:service")
    assert sorted(
        (e["resource"]["resourceType"], e["resource"]["id"], e["search"]["mode"])
        for e in with_services["entry"]
    ) == sorted(
        [(kind, clinic, mode) for clinic in (mission, own) for kind, mode in ROLE_AND_SERVICE]
    )
    referred = search(fhir, "HealthcareService?_revinclude=PractitionerRole:service")
    assert sorted(
        (e["resource"]["resourceType"], e["search"]["mode"]) for e in referred["entry"]
    ) == sorted([("HealthcareService", "match"), ("PractitionerRole", "include")] * 2)


def test_services_are_searched_by_their_own_parameters(fhir, mei):
    mission, own = mei
    technique = Intervention.objects.techniques().order_by("slug").first()
    both, just_mission, none = sorted([mission, own]), [mission], []
    expected = {
        "": both,
        f"_id={own}": [own],
        f"_id={mission},{own}": both,
        "active=true": both,
        f"location=Location/{mission}": just_mission,
        f"organization=Organization/{own}": [own],
        f"endpoint=Endpoint/{mission}-booking": just_mission,
        f"service-category={CATEGORY}|prov": both,
        "service-category=outpat": none,
        f"service-type={SERVICE_TYPE}|13": both,
        "service-type=13": both,
        "service-type=http://example.org|13": none,
        "specialty=171100000X": both,
        f"specialty={technique.slug}": both,
        "new-patient=newpt": both,
        "new-patient=nopt": none,
        "verification-status=incomplete": both,
        "identifier=x": none,
        f"_lastUpdated=ge{TODAY.isoformat()}": both,
        f"_lastUpdated=lt{TODAY.isoformat()}": none,
        f"_filter=location eq Location/{own} or _id eq {mission}": both,
        f"_filter=location ne Location/{own}": just_mission,
    }
    for query, ids in expected.items():
        found = search(fhir, f"HealthcareService?{query}".replace(" ", "%20"))
        assert sorted(e["resource"]["id"] for e in found.get("entry", [])) == ids, query
        assert found["total"] == len(ids), query
    assert fhir("HealthcareService?near=37.7|-122.4|10|km", headers=STRICT).status == 400


def test_services_include_and_are_included_by_their_clinic(fhir, mei):
    mission, _ = mei
    found = search(
        fhir,
        f"HealthcareService?_id={mission}&_include=HealthcareService:location"
        "&_include=HealthcareService:organization&_include=HealthcareService:endpoint",
    )
    assert sorted((e["resource"]["resourceType"], e["resource"]["id"]) for e in found["entry"]) == [
        ("Endpoint", f"{mission}-booking"),
        ("HealthcareService", mission),
        ("Location", mission),
        ("Organization", mission),
    ]
    for query in (
        f"Location?_id={mission}&_revinclude=HealthcareService:location",
        f"Organization?_id={mission}&_revinclude=HealthcareService:organization",
        f"Endpoint?_id={mission}-booking&_revinclude=HealthcareService:endpoint",
    ):
        included = search(fhir, query)["entry"][1:]
        assert [(e["resource"]["resourceType"], e["resource"]["id"]) for e in included] == [
            ("HealthcareService", mission)
        ], query


def test_a_service_leaves_with_the_listing_and_keeps_its_history(fhir, mei):
    mission, _ = mei
    assert fhir("HealthcareService/nobody-0123456789").status == 404
    versions_record()
    current = fhir(f"HealthcareService/{mission}").body
    history = fhir(f"HealthcareService/{mission}/_history").body
    validate(history)
    assert [e["resource"] for e in history["entry"]] == [current]
    again = fhir(f"HealthcareService/{mission}/_history/{current['meta']['versionId']}")
    assert again.status == 200 and again.body == current

    # Unpublished: unknown, as on the site.
    Practitioner.objects.filter(slug="mei-chen").update(published=False)
    assert fhir(f"HealthcareService/{mission}").status == 404
    Practitioner.objects.filter(slug="mei-chen").update(published=True)
    practitioner = Practitioner.objects.get(slug="mei-chen")
    practitioner.licenses.update(expires_on=TODAY - datetime.timedelta(days=1))
    gone = fhir(f"HealthcareService/{mission}")
    assert gone.status == 410
    validate(gone.body)
    assert search(fhir, "HealthcareService")["total"] == 0
    versions_record()
    deleted = fhir("HealthcareService/_history").body
    validate(deleted)
    assert sorted(
        e["request"]["url"] for e in deleted["entry"] if e["request"]["method"] == "DELETE"
    ) == sorted(f"HealthcareService/{clinic}" for clinic in mei)
