"""The admin shows claims and sent reminders read-only, and credential documents only
through the permission-checked view."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import SentReminder
from credentialing.models import ProfileClaim
from tests.factories import (
    AccountFactory,
    LicenseFactory,
    PractitionerFactory,
    today,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_license_page_links_its_document_through_the_checked_view(superuser_client, practitioner):
    license = practitioner.licenses.get()
    license.document.save("scan.pdf", upload())
    html = superuser_client.get(
        reverse("admin:credentialing_license_change", args=[license.pk])
    ).content.decode()
    download = f"/dashboard/profile/mei-chen/licenses/{license.public_id}/document/"
    assert f'<a href="{download}">Download</a>' in html
    assert f'<a href="/review/licenses/{license.public_id}/">' in html
    assert 'name="document"' not in html and license.document.name not in html


def test_claims_and_reminders_are_listed_read_only(superuser_client, practitioner):
    unclaimed = PractitionerFactory()
    claim = ProfileClaim.objects.create(
        practitioner=unclaimed,
        claimant=AccountFactory(email="lan@example.com"),
        license=LicenseFactory(practitioner=unclaimed),
    )
    SentReminder.objects.create(
        practitioner=practitioner,
        kind="details",
        lapses_on=today() + datetime.timedelta(days=14),
        days_before=14,
    )
    assert (
        "lan@example.com"
        in superuser_client.get("/admin/credentialing/profileclaim/").content.decode()
    )
    assert superuser_client.get("/admin/credentialing/profileclaim/add/").status_code == 403
    change = superuser_client.get(
        reverse("admin:credentialing_profileclaim_change", args=[claim.pk])
    )
    assert 'name="status"' not in change.content.decode()
    assert superuser_client.get("/admin/accounts/sentreminder/").status_code == 200
