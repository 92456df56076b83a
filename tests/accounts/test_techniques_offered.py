"""The dashboard's "Techniques you use" and /api/v1/me/ offer only techniques practitioners
practise (Intervention.is_technique), never the evidence vocabulary's comparison arms."""

from __future__ import annotations

import pytest

from evidence.models import Intervention

pytestmark = pytest.mark.django_db

COMPARISON_ARMS = ["sham-acupuncture", "waiting-list", "triptans"]


def test_the_profile_form_lists_techniques_only(owner_client, practitioner):
    response = owner_client.get(f"/dashboard/profile/{practitioner.slug}/edit/")
    html = response.content.decode()
    offered = set(response.context["form"].fields["techniques"].queryset)
    assert offered == set(Intervention.objects.filter(is_technique=True))
    assert Intervention.objects.get(slug="cupping") in offered
    for slug in COMPARISON_ARMS:
        arm = Intervention.objects.get(slug=slug)
        assert arm not in offered
        assert f">{arm.name}</label>" not in html


def test_a_comparison_arm_posted_to_the_form_is_refused(owner_client, practitioner):
    sham = Intervention.objects.get(slug="sham-acupuncture")
    data = {"first_name": "Mei", "last_name": "Chen", "techniques": [sham.pk]}
    response = owner_client.post(f"/dashboard/profile/{practitioner.slug}/edit/", data)
    assert response.status_code == 400
    assert "techniques" in response.context["form"].errors
    assert not practitioner.techniques.exists()


def test_the_api_refuses_a_comparison_arm_and_accepts_a_technique(owner_client, practitioner):
    url = "/api/v1/me/profile/"
    refused = owner_client.patch(
        url, {"techniques": ["waiting-list"]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "techniques" in refused.json()["errors"]
    assert not practitioner.techniques.exists()
    accepted = owner_client.patch(url, {"techniques": ["cupping"]}, content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["techniques"] == ["cupping"]
