"""The review pages and the emails they send in Spanish and Chinese: headings, status words
and an email written in the recipient's language (the catalogues are in locale/)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from credentialing.models import CredentialStatus
from tests.factories import AccountFactory, LicenseFactory, PractitionerFactory, reviewer, today


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("es", "Meridian: licencia L.Ac. AC12345 (US-CA): verificado", "Buenas noticias"),
        ("zh-hans", "Meridian: L.Ac. 执照 AC12345(US-CA):已核实", "好消息"),
    ],
)
def test_the_decision_email_is_in_the_owner_language(
    client, mailoutbox, django_capture_on_commit_callbacks, language, subject, body
):
    owner = AccountFactory(email="mei@example.com", language=language)
    license = LicenseFactory(
        practitioner=PractitionerFactory(owner=owner),
        number="AC12345",
        status=CredentialStatus.PENDING,
        verified_on=None,
    )
    client.force_login(reviewer())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/review/licenses/{license.public_id}/",  # the reviewer reads English
            {
                "decision": "approve",
                "source": "https://search.dca.ca.gov/",
                "checked_on": (today() - datetime.timedelta(days=1)).isoformat(),
            },
        )

    assert [(m.subject, body in m.body) for m in mailoutbox] == [(subject, True)]
