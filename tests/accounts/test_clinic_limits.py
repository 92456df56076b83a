"""A practitioner adds a bounded number of clinics, at a bounded pace: a profile flooded with
thousands of clinics would slow every search and screening that reads it."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from directory.models import Location
from tests.factories import reviewer

pytestmark = pytest.mark.django_db

CLINIC = {
    "clinic_name": "Mission Acupuncture",
    "address": "1 Market St",
    "city": "San Francisco",
    "jurisdiction": "US-CA",
    "postal_code": "94105",
}
TOO_MANY = (
    "You already have {limit} clinics, as many as a profile may list. Remove one first, or "
    "ask us to allow more."
)


def add_clinics(practitioner, count: int) -> None:
    Location.objects.bulk_create(
        Location(
            practitioner=practitioner,
            clinic_name=f"Clinic {number}",
            address="1 Main St",
            city="Albany",
            country="US",
            region="NY",
            postal_code="12207",
        )
        for number in range(count)
    )


def test_the_api_refuses_a_clinic_beyond_the_limit_with_a_field_message(
    owner_client, practitioner, settings
):
    settings.CLINICS_PER_PRACTITIONER = 3
    add_clinics(practitioner, 1)  # with the factory's clinic: two
    created = owner_client.post("/api/v1/me/locations/", CLINIC, content_type="application/json")
    assert created.status_code == 201
    refused = owner_client.post("/api/v1/me/locations/", CLINIC, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Invalid input.",
        "errors": {"clinic_name": [TOO_MANY.format(limit=3)]},
    }
    assert practitioner.locations.count() == 3
    # Editing a clinic that exists is still fine.
    location = practitioner.locations.get(clinic_name="Mission Acupuncture")
    edited = owner_client.patch(
        f"/api/v1/me/locations/{location.pk}/", {"city": "Oakland"}, content_type="application/json"
    )
    assert edited.status_code == 200


def test_the_dashboard_refuses_a_clinic_beyond_the_default_limit(owner_client, practitioner):
    add_clinics(practitioner, 19)  # twenty, the default
    response = owner_client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC)
    assert response.status_code == 400
    assert TOO_MANY.format(limit=20) in response.content.decode()
    assert practitioner.locations.count() == 20


def test_staff_can_allow_one_practitioner_more_clinics(owner_client, practitioner, settings):
    settings.CLINICS_PER_PRACTITIONER = 1
    refused = owner_client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC)
    assert refused.status_code == 400
    practitioner.clinic_limit = 2
    practitioner.save(update_fields=["clinic_limit"])
    assert owner_client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC).status_code == 302
    assert practitioner.locations.count() == 2


def test_the_clinic_limit_is_edited_in_the_admin(client, practitioner):
    client.force_login(reviewer(is_superuser=True))
    page = client.get(f"/admin/directory/practitioner/{practitioner.pk}/change/")
    assert page.status_code == 200
    assert 'name="clinic_limit"' in page.content.decode()


def test_the_practitioner_cannot_raise_their_own_limit(owner_client, practitioner):
    response = owner_client.patch(
        "/api/v1/me/profile/", {"clinic_limit": 5000}, content_type="application/json"
    )
    practitioner.refresh_from_db()
    assert practitioner.clinic_limit is None
    assert "clinic_limit" not in response.json()


def test_clinics_added_are_rate_limited_across_dashboard_and_api(
    client, owner, practitioner, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "clinic": "2/hour"}
    client.force_login(owner)
    assert client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC).status_code == 302
    token = Token.objects.create(user=owner)
    api = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    created = client.post("/api/v1/me/locations/", CLINIC, content_type="application/json", **api)
    assert created.status_code == 201
    over_api = client.post("/api/v1/me/locations/", CLINIC, content_type="application/json", **api)
    assert over_api.status_code == 429
    assert 3500 < int(over_api["Retry-After"]) <= 3600
    over_page = client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC)
    assert over_page.status_code == 429
    assert "<h1>Too many attempts</h1>" in over_page.content.decode()
    assert practitioner.locations.count() == 3
    # Reading and editing are not counted.
    assert client.get("/api/v1/me/locations/", **api).status_code == 200
    location = practitioner.locations.get(pk=created.json()["id"])
    edit = client.post(f"/dashboard/profile/mei-chen/clinics/{location.pk}/", CLINIC)
    assert edit.status_code == 302
