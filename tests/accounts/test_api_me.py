"""/api/v1/me/: the same rules as the dashboard, answered in the shared error shape."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from credentialing.models import CredentialStatus, License, VerificationEvent
from directory.models import GeocodePrecision, Place
from tests.accounts.conftest import license_fields, on
from tests.factories import CertificationFactory, LicenseFactory, png_bytes, today, upload

pytestmark = pytest.mark.django_db


def invalid(errors: dict) -> dict:
    return {"detail": "Invalid input.", "errors": errors}


@pytest.fixture
def api(owner_client, practitioner):
    return owner_client


def test_read_your_profile(api, practitioner):
    response = api.get("/api/v1/me/profile/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "mei-chen",
        "url": "/practitioners/mei-chen/",
        "first_name": "Mei",
        "last_name": "Chen",
        "credentials": "L.Ac.",
        "npi": "",
        "bio": "Acupuncture for headache and chronic pain.",
        "bio_language": "",
        "practice_started": 2010,
        "gender": "",
        "gender_description": "",
        "pronouns": "",
        "languages": ["en"],
        "conditions": [],
        "techniques": [],
        "accepting_new_patients": True,
        "accepting_new_patients_on": today().isoformat(),
        "telehealth": False,
        "published": True,
        "details_confirmed_on": today().isoformat(),
        "photo_urls": [],
    }


def test_update_your_profile(api, practitioner):
    response = api.patch(
        "/api/v1/me/profile/",
        {"accepting_new_patients": False, "conditions": ["migraine"], "techniques": ["cupping"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["accepting_new_patients"], body["conditions"], body["techniques"]) == (
        False,
        ["migraine"],
        ["cupping"],
    )
    practitioner.refresh_from_db()
    assert practitioner.accepting_new_patients is False


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"languages": ["xx"]}, {"languages": ['0: "xx" is not a valid choice.']}),
        (
            {"practice_started": 1800},
            {"practice_started": ["Ensure this value is greater than or equal to 1900."]},
        ),
        (
            {"conditions": ["not-a-condition"]},
            {"conditions": ["Object with slug=not-a-condition does not exist."]},
        ),
        ({"first_name": ""}, {"first_name": ["This field may not be blank."]}),
    ],
)
def test_bad_profile_input_is_a_400_and_changes_nothing(api, practitioner, data, errors):
    response = api.patch("/api/v1/me/profile/", data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == invalid(errors)
    practitioner.refresh_from_db()
    assert (practitioner.first_name, practitioner.languages) == ("Mei", ["en"])


def test_malformed_json_is_a_400(api):
    response = api.patch("/api/v1/me/profile/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


CLINIC = {
    "clinic_name": "Mission Acupuncture",
    "address": "1 Market St",
    "city": "San Francisco",
    "jurisdiction": "US-CA",
    "postal_code": "94105",
}


# What a clinic added without them says about its phone, prices and access.
NO_CLINIC_FACTS = {
    "phone": "",
    "website": "",
    "booking_url": "",
    "currency": "",
    "first_visit_fee": None,
    "first_visit_fee_max": None,
    "follow_up_fee": None,
    "follow_up_fee_max": None,
    "sliding_scale": False,
    "free_first_consultation": False,
    "step_free_entrance": False,
    "accessible_toilet": False,
    "parking": False,
    "near_public_transport": False,
    "hours": [],
    "hours_note": "",
    "payers": [],
}


def test_add_move_and_remove_a_clinic(api, practitioner):
    created = api.post("/api/v1/me/locations/", CLINIC, content_type="application/json")
    assert created.status_code == 201
    place = Place.objects.get(kind="postal", postal_code="94105")
    body = created.json()
    assert body == {
        "id": body["id"],
        **CLINIC,
        **NO_CLINIC_FACTS,
        # placed at the centre of its ZIP code (the offline gazetteer)
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geocode_precision": GeocodePrecision.POSTAL,
        "time_zone": "America/Los_Angeles",
    }
    url = f"/api/v1/me/locations/{body['id']}/"
    moved = api.patch(
        url, {"latitude": 37.79, "longitude": -122.39}, content_type="application/json"
    )
    assert (moved.json()["latitude"], moved.json()["geocode_precision"]) == (37.79, "rooftop")
    listed = api.get("/api/v1/me/locations/").json()
    assert sorted(item["clinic_name"] for item in listed) == sorted(
        ["Mission Acupuncture", practitioner.locations.first().clinic_name]
    )
    assert api.delete(url).status_code == 204
    assert practitioner.locations.count() == 1


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"jurisdiction": "US-XX"},
            {
                "jurisdiction": [
                    "'US-XX' is not a jurisdiction Meridian lists (use a code like US-CA or GB)."
                ]
            },
        ),
        ({"jurisdiction": "US"}, {"jurisdiction": ["Choose the state, province or nation."]}),
        (
            {"latitude": 37.7},
            {"non_field_errors": ["Give both latitude and longitude for the pin, or neither."]},
        ),
        (
            {"latitude": 95, "longitude": 0},
            {"latitude": ["Ensure this value is less than or equal to 90."]},
        ),
        ({"city": ""}, {"city": ["This field may not be blank."]}),
    ],
)
def test_bad_clinic_input_is_a_400_and_changes_nothing(api, practitioner, change, errors):
    response = api.post(
        "/api/v1/me/locations/", {**CLINIC, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == invalid(errors)
    assert practitioner.locations.count() == 1


def test_add_a_license_with_its_document(api, practitioner, owner):
    fields = license_fields()
    response = api.post(
        "/api/v1/me/licenses/", {**fields, "document": upload("scan.png", png_bytes())}
    )
    assert response.status_code == 201
    body = response.json()
    license = License.objects.get(number="012345")
    assert body == {
        "id": str(license.public_id),
        **fields,
        "status": "pending",
        "verified_on": None,
        "source": "",
        "expired": False,
        "has_document": True,
        "decision_reason": "",
    }
    assert VerificationEvent.objects.get(license=license).actor == owner


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"document": None}, {"document": ["Upload a scan of the document (PDF, PNG or JPEG)."]}),
        (
            {"document": "not-a-scan"},
            {
                "document": [
                    "This file is not a PDF, PNG or JPEG. Upload a scan in one of those formats "
                    "(the file's contents are checked, not its name)."
                ]
            },
        ),
        (
            {"expires_on": on(-7 * 365)},
            {"expires_on": ["The expiry date must be after the issue date."]},
        ),
        (
            {"expires_on": "soon"},
            {
                "expires_on": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {"jurisdiction": "ZZ"},
            {
                "jurisdiction": [
                    "'ZZ' is not a jurisdiction Meridian lists (use a code like US-CA or GB)."
                ]
            },
        ),
        (
            {"number": "DUPLICATE"},
            {
                "non_field_errors": [
                    "This license number is already listed for this jurisdiction and type. "
                    "If it is yours, claim the profile that holds it instead."
                ]
            },
        ),
    ],
)
def test_bad_license_input_is_a_400_and_changes_nothing(api, practitioner, change, errors):
    LicenseFactory(region="NY", number="DUPLICATE")
    data = {**license_fields(), "document": upload(), **change}
    if change.get("document") == "not-a-scan":
        data["document"] = upload("scan.pdf", b"just text")
    if data["document"] is None:
        del data["document"]
    before = License.objects.count()
    response = api.post("/api/v1/me/licenses/", data)
    assert response.status_code == 400
    assert response.json() == invalid(errors)
    assert License.objects.count() == before
    assert not VerificationEvent.objects.exists()


def test_changing_a_license_number_sends_it_back_to_review(api, practitioner):
    license = practitioner.licenses.get()
    response = api.patch(
        f"/api/v1/me/licenses/{license.public_id}/",
        {"number": "AC77777", "status": "verified", "source": "self"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["number"], response.json()["status"], response.json()["source"]) == (
        "AC77777",
        "pending",
        license.source,  # read-only: what staff recorded stays
    )
    event = VerificationEvent.objects.get(license=license)
    assert (event.from_status, event.to_status) == ("verified", "pending")


def test_certifications_work_the_same_way(api, practitioner):
    existing = CertificationFactory(practitioner=practitioner, status=CredentialStatus.REJECTED)
    VerificationEvent.objects.create(
        certification=existing, to_status="rejected", reason="Blurry scan."
    )
    listed = api.get("/api/v1/me/certifications/").json()
    assert [(c["number"], c["status"], c["decision_reason"]) for c in listed] == [
        (existing.number, "rejected", "Blurry scan.")
    ]
    created = api.post(
        "/api/v1/me/certifications/",
        {
            "body": "NCCAOM",
            "credential": "Dipl. O.M.",
            "number": "555555",
            "expires_on": on(2 * 365),
            "document": upload(),
        },
    )
    assert created.status_code == 201
    assert created.json()["status"] == "pending"


def test_the_me_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/me/profile/",
        "/api/v1/me/locations/",
        "/api/v1/me/locations/{id}/",
        "/api/v1/me/licenses/",
        "/api/v1/me/licenses/{public_id}/",
        "/api/v1/me/certifications/",
        "/api/v1/me/certifications/{public_id}/",
    ]:
        assert f"{path}:" in schema, path
    assert "tokenAuth" in schema and "multipart/form-data" in schema


def test_tokens_are_created_shown_once_replaced_and_revoked(owner_client, owner):
    created = owner_client.post("/dashboard/api-token/", {"action": "create"})
    first = Token.objects.get(user=owner)
    assert first.key in created.content.decode()
    assert first.key not in owner_client.get("/dashboard/api-token/").content.decode()

    owner_client.post("/dashboard/api-token/", {"action": "create"})
    second = Token.objects.get(user=owner)
    assert second.key != first.key
    listed = owner_client.get("/dashboard/api-token/").content.decode()
    assert f"<code>{second.key[:6]}…</code>" in listed and second.key not in listed

    owner_client.post("/dashboard/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=owner).exists()


def test_the_token_page_needs_a_log_in(client):
    assert client.get("/dashboard/api-token/")["Location"] == (
        "/accounts/login/?next=/dashboard/api-token/"
    )
