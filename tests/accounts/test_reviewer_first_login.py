"""A new reviewer's first login: sign in, ask for the queue, set up TOTP without being asked
for the password again, see the recovery codes, and continue to the queue."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from accounts.adapter import LOGGED_IN_AT
from tests.factories import AccountFactory
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in_new_staff(client):
    AccountFactory(email="new.reviewer@example.org", is_staff=True)
    response = client.post(
        "/accounts/login/", {"login": "new.reviewer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_new_reviewer_sets_up_totp_and_lands_on_the_queue(client):
    sign_in_new_staff(client)
    asked = client.get("/review/")
    assert asked["Location"] == "/accounts/2fa/totp/activate/"

    # Just signed in: no "Confirm access" password prompt before the TOTP form.
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.text
    ) or re.search(r'value="([A-Z2-7]{16,})"', page.text)
    assert secret, page.text
    done = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret.group(1))})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/2fa/recovery-codes/"

    codes = client.get(done["Location"])
    assert codes.status_code == 200
    assert 'id="continue-after-codes" href="/review/"' in codes.text

    queue = client.get("/review/")
    assert queue.status_code == 200
    # Arrived: the recovery codes page no longer offers the way on.
    assert "continue-after-codes" not in client.get("/accounts/2fa/recovery-codes/").text


def test_a_sign_in_long_past_asks_for_the_password_again(client):
    sign_in_new_staff(client)
    session = client.session
    session[LOGGED_IN_AT] = session[LOGGED_IN_AT] - 3600
    session.save()
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")


def test_an_unsafe_stored_destination_is_not_offered(client):
    sign_in_new_staff(client)
    session = client.session
    session["meridian_staff_next"] = "https://evil.example/review/"
    session.save()
    page = client.get("/accounts/2fa/recovery-codes/")
    assert "evil.example" not in page.text
