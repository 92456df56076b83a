"""Claiming a profile that Meridian already lists: the claimant proves a license number
and jurisdiction; staff approve before anything changes hands."""

from __future__ import annotations

import pytest

from credentialing.models import ProfileClaim, ProfileClaimStatus
from directory.models import Practitioner
from tests.factories import AccountFactory, LicenseFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unclaimed(db):
    practitioner = PractitionerFactory(slug="lan-nguyen", first_name="Lan", last_name="Nguyen")
    LicenseFactory(practitioner=practitioner, region="NY", number="012345")
    return practitioner


@pytest.fixture
def claimant_client(client):
    client.force_login(AccountFactory(email="lan@example.com"))
    return client


def test_a_matching_license_opens_a_claim_for_review(claimant_client, unclaimed):
    response = claimant_client.post(
        "/dashboard/claim/", {"jurisdiction": "US-NY", "number": " 012 345 "}
    )
    claim = ProfileClaim.objects.get()
    assert response["Location"] == f"/dashboard/claims/{claim.public_id}/"
    assert (claim.practitioner, claim.claimant.email, claim.status) == (
        unclaimed,
        "lan@example.com",
        ProfileClaimStatus.PENDING,
    )
    unclaimed.refresh_from_db()
    assert unclaimed.owner is None  # not until staff approve
    start = claimant_client.get("/dashboard/").content.decode()
    assert "Lan Nguyen" in start and "Pending review" in start
    assert 'href="/dashboard/new/"' not in start


@pytest.mark.parametrize(
    "data",
    [
        {"jurisdiction": "US-CA", "number": "012345"},  # right number, wrong state
        {"jurisdiction": "US-NY", "number": "012346"},
    ],
)
def test_a_license_that_does_not_match_opens_nothing(claimant_client, unclaimed, data):
    response = claimant_client.post("/dashboard/claim/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "number": [
            "No unclaimed profile holds this license number in this jurisdiction. "
            "Check both, or create a new profile instead."
        ]
    }
    assert not ProfileClaim.objects.exists()
    unclaimed.refresh_from_db()
    assert unclaimed.owner is None


def test_a_claimed_profile_cannot_be_claimed_again(claimant_client, unclaimed):
    Practitioner.objects.filter(pk=unclaimed.pk).update(owner=AccountFactory())
    response = claimant_client.post(
        "/dashboard/claim/", {"jurisdiction": "US-NY", "number": "012345"}
    )
    assert response.status_code == 400
    assert "number" in response.context["form"].errors
    assert not ProfileClaim.objects.exists()


def test_one_pending_claim_at_a_time(claimant_client, unclaimed):
    data = {"jurisdiction": "US-NY", "number": "012345"}
    claimant_client.post("/dashboard/claim/", data)
    again = claimant_client.post("/dashboard/claim/", data)
    assert again.status_code == 400
    assert again.context["form"].errors == {
        "__all__": ["You already have a claim waiting for review."]
    }
    assert ProfileClaim.objects.count() == 1
    refused = claimant_client.post(
        "/dashboard/new/", {"first_name": "Lan", "last_name": "Nguyen", "published": "on"}
    )
    assert refused.status_code == 400
    assert "Withdraw it first" in refused.context["form"].errors["__all__"][0]
    assert ProfileClaim.objects.get().status == ProfileClaimStatus.PENDING
    assert list(Practitioner.objects.all()) == [unclaimed]


def test_withdrawing_a_claim(claimant_client, unclaimed):
    claimant_client.post("/dashboard/claim/", {"jurisdiction": "US-NY", "number": "012345"})
    claim = ProfileClaim.objects.get()
    claimant_client.post(f"/dashboard/claims/{claim.public_id}/")
    claim.refresh_from_db()
    assert claim.status == ProfileClaimStatus.WITHDRAWN
    assert 'href="/dashboard/new/"' in claimant_client.get("/dashboard/").content.decode()
