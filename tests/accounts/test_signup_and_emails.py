"""The practitioners' sign-up page says what they get, need and do; the emails name the site
by SITE_NAME and read like a person wrote them."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_sign_up_page_says_what_a_practitioner_gets_needs_and_does(client):
    html = client.get("/accounts/signup/").text
    for text in [
        "A verified listing is free.",
        "Your license number and the state, province or country that issued it.",
        "A PDF or a photo of your license",
        "Submit your license with its document.",
        "Once it is verified, patients find you in search.",
    ]:
        assert text in html
    assert '<label for="id_email"' in html  # visible labels, not placeholders only


@pytest.mark.parametrize("site_name", ["Meridian", "Acu Finder"])
def test_the_confirmation_email_names_the_site_not_the_host(
    client, mailoutbox, settings, site_name
):
    settings.SITE_NAME = site_name
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{site_name}: "
    client.post(
        "/accounts/signup/",
        {"email": "lin.acu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    (message,) = mailoutbox
    assert message.subject == f"{site_name}: please confirm your email address"
    assert f"used this address (lin.acu@example.org) to create an account on {site_name}." in (
        message.body
    )
    assert f"The {site_name} team" in message.body
    assert "Hello from" not in message.body
    assert "user lin.acu@example.org" not in message.body
    assert "testserver!" not in message.body


def test_the_password_reset_email_reads_like_a_person_wrote_it(client, mailoutbox):
    AccountFactory(email="lin.acu@example.org")
    client.post("/accounts/password/reset/", {"email": "lin.acu@example.org"})
    (message,) = mailoutbox
    assert message.subject == "Meridian: reset your password"
    assert "asked to reset the password of your Meridian account" in message.body
    assert "The Meridian team" in message.body
