"""The clinic and credential forms help: the practitioner's own country first, the payers of
the clinic's country (chosen without JavaScript), certifying bodies from the vocabulary, and
hints that say the rule."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from credentialing import certification_bodies
from credentialing.models import Certification
from directory.models import Location
from tests.accounts.conftest import on
from tests.factories import PDF_BYTES, CertificationFactory, restore_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabulary():
    restore_vocabulary()


def optgroups(html: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]+)"', html)


def test_regions_are_grouped_by_country_with_the_practitioners_own_first(
    owner_client, practitioner
):
    location = practitioner.locations.get()
    Location.objects.filter(pk=location.pk).update(country="GB", region="ENG")
    html = owner_client.get(reverse("accounts:location-new", args=[practitioner.slug])).text
    groups = optgroups(html)
    assert groups[0] == "United Kingdom"
    assert len(groups) == len(set(groups)) > 1
    Location.objects.filter(pk=location.pk).update(country="US", region="CA")
    html = owner_client.get(reverse("accounts:location-new", args=[practitioner.slug])).text
    assert optgroups(html)[0] == "United States"


def test_choosing_the_country_then_showing_its_payers_saves_nothing(owner_client, practitioner):
    location = practitioner.locations.get()
    url = reverse("accounts:location-edit", args=[practitioner.slug, location.pk])
    assert 'value="medicare-us"' in owner_client.get(url).text
    response = owner_client.post(
        url,
        {
            "clinic_name": "Renamed",
            "address": location.address,
            "city": "London",
            "jurisdiction": "GB-ENG",
            "postal_code": location.postal_code,
            "payers": ["medicare-us"],
            "show_payers": "1",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert 'value="bupa-gb"' in html and 'value="medicare-us"' not in html
    assert 'value="Renamed"' in html  # what was typed is kept
    assert re.search(r'<option value="GB-ENG" selected', html)
    location.refresh_from_db()
    assert (location.clinic_name, location.country) != ("Renamed", "GB")


def test_the_expiry_hint_says_it_is_required_and_the_form_agrees(owner_client, practitioner):
    url = reverse("accounts:license-new", args=[practitioner.slug])
    html = owner_client.get(url).text
    assert "Required: a credential without one cannot be verified" in html
    assert "Empty only while not known" not in html
    response = owner_client.post(
        url,
        {
            "jurisdiction": "US-NY",
            "license_type": "L.Ac.",
            "number": "99",
            "issued_on": on(-30),
        },
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors


def certification_post(client, practitioner, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "credential": "Dipl. Ac.",
        "number": "123456",
        "issued_on": on(-30),
        "expires_on": on(700),
        "document": SimpleUploadedFile("c.pdf", PDF_BYTES, "application/pdf"),
        **fields,
    }
    return client.post(reverse("accounts:certification-new", args=[practitioner.slug]), data)


def test_a_certifying_body_is_chosen_from_the_vocabulary(owner_client, practitioner):
    html = owner_client.get(reverse("accounts:certification-new", args=[practitioner.slug])).text
    assert '<select name="body"' in html and '<option value="NCCAOM">' in html
    assert '<option value="other">' in html
    assert certification_post(owner_client, practitioner, body="NCCAOM").status_code == 302
    assert Certification.objects.filter(practitioner=practitioner, body="NCCAOM").exists()


@pytest.mark.parametrize(
    ("other", "stored"),
    [("nccaom", "NCCAOM"), ("Board of Somewhere Acupuncture", "Board of Somewhere Acupuncture")],
)
def test_other_takes_the_bodys_name_for_staff(owner_client, practitioner, other, stored):
    response = certification_post(
        owner_client, practitioner, body="other", body_other=other, number=f"N{len(other)}"
    )
    assert response.status_code == 302, response.text
    assert Certification.objects.get(practitioner=practitioner).body == stored


def test_other_without_a_name_is_a_400(owner_client, practitioner):
    response = certification_post(owner_client, practitioner, body="other", body_other="")
    assert response.status_code == 400
    assert "body_other" in response.context["form"].errors
    assert not Certification.objects.filter(practitioner=practitioner).exists()


def test_staff_see_an_other_body_in_the_review_queue(reviewer_client):
    CertificationFactory(body="Board of Somewhere Acupuncture", status="pending")
    html = reviewer_client.get("/review/").text
    assert "other body: Board of Somewhere Acupuncture" in html


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("nccaom", "NCCAOM"),
        ("N.C.C.A.O.M.", "NCCAOM"),
        ("National Certification Commission for Acupuncture and Oriental Medicine", "NCCAOM"),
        ("aborm", "ABORM"),
        ("Board of Somewhere", ""),
    ],
)
def test_free_text_maps_onto_the_vocabulary(written, canonical):
    assert certification_bodies.canonical(written) == canonical


def test_the_data_migration_normalises_existing_bodies_unless_that_would_duplicate():
    from importlib import import_module

    migration = import_module("credentialing.migrations.0009_certification_bodies_normalised")
    lower = CertificationFactory(body="nccaom", number="1")
    dotted = CertificationFactory(body="N.C.C.A.O.M.", number="2")
    CertificationFactory(body="NCCAOM", number="3")
    clash = CertificationFactory(body="nccaom", number="3")
    unknown = CertificationFactory(body="Board of Somewhere", number="4")
    migration.normalise(apps, None)
    bodies = {
        c.pk: c.body
        for c in Certification.objects.filter(pk__in=[lower.pk, dotted.pk, clash.pk, unknown.pk])
    }
    assert bodies == {
        lower.pk: "NCCAOM",
        dotted.pk: "NCCAOM",
        clash.pk: "nccaom",
        unknown.pk: "Board of Somewhere",
    }
