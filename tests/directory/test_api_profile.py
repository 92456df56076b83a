from __future__ import annotations

import pytest

from credentialing.models import CredentialStatus
from tests.factories import CertificationFactory, LicenseFactory, listed_practitioner

pytestmark = pytest.mark.django_db


def test_profile_endpoint_returns_listable_locations_and_credentials_in_force(client):
    practitioner = listed_practitioner(first_name="Mei", last_name="Chen")
    LicenseFactory(practitioner=practitioner, region="NY", status=CredentialStatus.PENDING)
    CertificationFactory(practitioner=practitioner, number="123456")
    license = practitioner.licenses.get(region="CA")

    response = client.get(f"/api/v1/practitioners/{practitioner.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Mei Chen"
    assert [location["jurisdiction"] for location in body["locations"]] == ["US-CA"]
    assert body["licenses"] == [
        {
            "license_type": "L.Ac.",
            "jurisdiction": "US-CA",
            "number": license.number,
            "issued_on": license.issued_on.isoformat(),
            "expires_on": license.expires_on.isoformat(),
            "status": "verified",
            "verified_on": license.verified_on.isoformat(),
            "source": "https://search.dca.ca.gov/",
        }
    ]
    assert [c["number"] for c in body["certifications"]] == ["123456"]


def test_unlisted_profile_is_not_found_in_the_shared_error_shape(client):
    practitioner = listed_practitioner(published=False)
    response = client.get(f"/api/v1/practitioners/{practitioner.slug}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Practitioner matches the given query.", "errors": {}}


def test_schema_and_offline_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/practitioners/{slug}/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
