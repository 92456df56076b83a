"""The review pages and the emails they send in Spanish and Chinese: headings, status words
and an email written in the recipient's language (the catalogues are in locale/)."""

from __future__ import annotations

import pytest
from django.utils import translation

from credentialing.models import CredentialStatus
from tests.factories import LicenseFactory, reviewer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "heading", "details"),
    [("/es", "Monitorización", "Detalles"), ("/zh-hans", "监控", "详细信息")],
)
def test_review_pages_speak_spanish_and_chinese(client, prefix, heading, details):
    credential = LicenseFactory(status=CredentialStatus.PENDING, verified_on=None)
    client.force_login(reviewer())

    monitoring = client.get(f"{prefix}/review/monitoring/").content.decode()
    review = client.get(f"{prefix}/review/licenses/{credential.public_id}/").content.decode()

    assert f"<h1>{heading}</h1>" in monitoring
    assert f'<h2 id="details-title">{details}</h2>' in review


@pytest.mark.parametrize(
    ("language", "pending", "verified"),
    [("es", "Pendiente de revisión", "Verificado"), ("zh-hans", "待审核", "已核实")],
)
def test_status_words_are_translated_when_shown(language, pending, verified):
    with translation.override(language):
        assert str(CredentialStatus.PENDING.label) == pending
        assert str(CredentialStatus.VERIFIED.label) == verified
