"""The public profile shows exactly what the listing rule allows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from credentialing.models import CredentialStatus
from evidence.models import Condition, Intervention
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    listed_practitioner,
    today,
)

pytestmark = pytest.mark.django_db


def profile_url(practitioner) -> str:
    return reverse("directory:practitioner-detail", kwargs={"slug": practitioner.slug})


def test_profile_shows_care_locations_and_verified_credentials(client):
    practitioner = listed_practitioner(
        first_name="Mei",
        last_name="Chen",
        credentials="L.Ac., Dipl. O.M.",
        languages=["en", "yue"],
        telehealth=True,
    )
    practitioner.conditions.set(Condition.objects.filter(slug__in=["migraine", "insomnia"]))
    practitioner.techniques.set(Intervention.objects.filter(slug="cupping"))
    license = practitioner.licenses.get()
    CertificationFactory(practitioner=practitioner, number="123456")

    response = client.get(profile_url(practitioner))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Mei Chen" in html and "L.Ac., Dipl. O.M." in html
    assert "Accepting new patients" in html and "Offers telehealth" in html
    assert (
        '<a href="/conditions/insomnia/">Insomnia</a>, <a href="/conditions/migraine/">Migraine</a>'
        in html
    )
    assert "Cupping" in html
    assert "Cantonese, English" in html or "English, Cantonese" in html
    assert "1 Market St" in html and "(postal code centre)" in html
    assert "California, United States" in html and "(US-CA)" in html
    assert license.number in html
    assert license.expires_on.strftime("%Y-%m-%d") in html
    assert license.verified_on.strftime("%Y-%m-%d") in html
    assert 'href="https://search.dca.ca.gov/"' in html
    assert "Certification: Dipl. Ac." in html and "123456" in html


def test_profile_hides_locations_and_credentials_that_do_not_count(client):
    practitioner = listed_practitioner()
    LocationFactory(practitioner=practitioner, clinic_name="Oregon Annex", region="OR")
    LicenseFactory(practitioner=practitioner, region="NY", number="NY-PENDING", status="pending")
    LicenseFactory(
        practitioner=practitioner,
        region="WA",
        number="WA-EXPIRED",
        expires_on=today() - datetime.timedelta(days=1),
    )
    CertificationFactory(practitioner=practitioner, number="999999", status="rejected")

    html = client.get(profile_url(practitioner)).content.decode()

    assert "Oregon Annex" not in html
    assert "NY-PENDING" not in html
    assert "WA-EXPIRED" not in html
    assert "999999" not in html


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: listed_practitioner(published=False), id="unpublished"),
        pytest.param(
            lambda: LicenseFactory(status=CredentialStatus.PENDING).practitioner,
            id="pending-license-only",
        ),
        pytest.param(lambda: LicenseFactory().practitioner, id="no-location"),
        pytest.param(lambda: LocationFactory().practitioner, id="no-license"),
        pytest.param(lambda: PractitionerFactory(), id="nothing"),
    ],
)
def test_practitioner_with_nothing_listable_is_not_found(client, make):
    practitioner = make()
    response = client.get(profile_url(practitioner))
    assert response.status_code == 404


def test_landing_page_leads_to_search(client):
    response = client.get("/")
    assert response.status_code == 200
    search_url = reverse("directory:search")
    assert f'<a class="button button-primary" href="{search_url}">Find a practitioner</a>' in (
        response.content.decode()
    )
    placeholder = client.get(search_url)
    assert placeholder.status_code == 200
    assert "Find a practitioner" in placeholder.content.decode()
