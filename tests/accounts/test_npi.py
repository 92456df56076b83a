"""The NPI on the dashboard and /api/v1/me/: accepted when its check digit holds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

NPI = "1234567893"


def test_dashboard_accepts_a_valid_npi_and_refuses_a_bad_one(owner_client, practitioner):
    url = f"/dashboard/profile/{practitioner.slug}/edit/"
    form = {
        "first_name": practitioner.first_name,
        "last_name": practitioner.last_name,
        "languages": ["en"],
        "published": "on",
    }
    response = owner_client.post(url, {**form, "npi": "1234567890"})
    assert response.status_code == 400
    assert "check" in response.content.decode()
    owner_client.post(url, {**form, "npi": NPI})
    practitioner.refresh_from_db()
    assert practitioner.npi == NPI


def test_api_me_accepts_a_valid_npi_and_refuses_a_bad_one(owner_client, practitioner):
    bad = owner_client.patch(
        "/api/v1/me/profile/", {"npi": "1234567890"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["npi"]
    good = owner_client.patch("/api/v1/me/profile/", {"npi": NPI}, content_type="application/json")
    assert (good.status_code, good.json()["npi"]) == (200, NPI)
