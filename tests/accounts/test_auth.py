"""Sign-up, verification, log-in, password and email changes through allauth, and the
two-factor rule for staff."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests.factories import TOTP_SECRET, AccountFactory, UserFactory, reviewer
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts (and used TOTP codes) in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def link_in(message, path: str) -> str:
    match = re.search(rf"http://testserver({path}[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_needs_the_emailed_link_before_the_account_can_log_in(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "New@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert [m.to for m in mailoutbox] == [["new@example.com"]]
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    elsewhere = client.__class__()
    attempt = elsewhere.post("/accounts/login/", {"login": "new@example.com", "password": PASSWORD})
    assert attempt["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in elsewhere.session

    assert client.get(link).status_code == 200
    confirmed = client.post(link)
    assert confirmed["Location"] == "/dashboard/"
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not an email", "password1": PASSWORD, "password2": PASSWORD}, "email"),
        ({"email": "new@example.com", "password1": PASSWORD, "password2": "other"}, "password2"),
        ({"email": "new@example.com", "password1": "123", "password2": "123"}, "password1"),
    ],
)
def test_a_refused_sign_up_is_a_400_with_the_field_message_and_creates_nothing(
    client, mailoutbox, data, field
):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # the message, tied to its field
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert mailoutbox == []


def test_a_verified_account_logs_in_and_out(client):
    user = AccountFactory(email="mei@example.com")
    response = client.post("/accounts/login/", {"login": "MEI@example.com", "password": PASSWORD})
    assert response["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_refused_for_a_while_with_a_429(client):
    """A lock-out is a rate limit like the others: 429 with Retry-After (the failed-log-in
    limit's longest window, five minutes for one account), not a form error."""
    AccountFactory(email="mei@example.com")
    wrong = {"login": "mei@example.com", "password": "wrong"}
    responses = [client.post("/accounts/login/", wrong) for _ in range(6)]
    assert [r.status_code for r in responses] == [400] * 5 + [429]
    assert responses[4].context["form"].errors == {
        "__all__": ["The email address and/or password you specified are not correct."]
    }
    assert responses[5]["Retry-After"] == "300"
    assert "<h1>Too many attempts</h1>" in responses[5].content.decode()
    right = client.post("/accounts/login/", {"login": "mei@example.com", "password": PASSWORD})
    assert (right.status_code, right["Retry-After"]) == (429, "300")
    assert "_auth_user_id" not in client.session


def test_password_reset_by_emailed_link(client, mailoutbox):
    AccountFactory(email="mei@example.com")
    client.post("/accounts/password/reset/", {"email": "mei@example.com"})
    assert len(mailoutbox) == 1
    link = link_in(mailoutbox[0], "/accounts/password/reset/key/")
    form_url = client.get(link)["Location"]  # allauth hides the key behind a redirect
    response = client.post(
        form_url, {"password1": "a new long secret", "password2": "a new long secret"}
    )
    assert response["Location"] == "/accounts/password/reset/key/done/"
    assert client.login(email="mei@example.com", password="a new long secret")


def test_a_password_reset_revokes_the_api_token(client, mailoutbox):
    """Whoever knew the old password may have made a token: it goes with the password."""
    user = AccountFactory(email="mei@example.com")
    token = Token.objects.create(user=user)
    assert client.get("/api/v1/me/locations/", **bearer(token)).status_code in {200, 404}
    client.post("/accounts/password/reset/", {"email": "mei@example.com"})
    form_url = client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"))["Location"]
    client.post(form_url, {"password1": "a new long secret", "password2": "a new long secret"})
    assert not Token.objects.filter(user=user).exists()
    assert client.get("/api/v1/me/locations/", **bearer(token)).status_code == 401


def test_a_password_change_revokes_the_api_token_and_a_refused_one_does_not(client):
    user = AccountFactory(email="mei@example.com")
    other = Token.objects.create(user=AccountFactory(email="lan@example.com"))
    Token.objects.create(user=user)
    client.force_login(user)
    refused = client.post(
        "/accounts/password/change/",
        {"oldpassword": "nope", "password1": "another secret 1", "password2": "another secret 1"},
    )
    assert refused.status_code == 400
    assert Token.objects.filter(user=user).exists()
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another secret 1", "password2": "another secret 1"},
    )
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(pk=other.pk).exists()  # nobody else's


def bearer(token) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_password_change_needs_the_old_password(client):
    user = AccountFactory(email="mei@example.com")
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "nope", "password1": "another secret 1", "password2": "another secret 1"},
    )
    assert wrong.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another secret 1", "password2": "another secret 1"},
    )
    user.refresh_from_db()
    assert user.check_password("another secret 1")


def test_a_new_email_address_counts_only_once_verified(client, mailoutbox):
    user = AccountFactory(email="old@example.com")
    client.force_login(user)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    user.refresh_from_db()
    assert user.email == "old@example.com"
    assert [m.to for m in mailoutbox] == [["new@example.com"]]

    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new@example.com", True)
    ]


@pytest.mark.parametrize("path", ["/admin/", "/review/", "/admin/credentialing/license/"])
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(client, path):
    client.force_login(AccountFactory(is_staff=True, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("path", ["/admin/", "/review/"])
def test_staff_with_an_authenticator_app_reach_staff_pages(client, path):
    client.force_login(reviewer(is_superuser=True))
    assert client.get(path).status_code == 200


def test_staff_sign_in_with_password_then_a_code_from_their_app(client):
    staff = reviewer(email="staff@example.com")
    response = client.post("/accounts/login/", {"login": "staff@example.com", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "_auth_user_id" not in client.session

    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/review/").status_code == 200


def test_the_admin_login_form_is_replaced_by_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", ["/admin/", "/review/"])
def test_practitioners_are_refused_staff_pages(client, path):
    client.force_login(AccountFactory())
    assert client.get(path, follow=True).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in_for_the_queue(client):
    response = client.get("/review/")
    assert response["Location"] == "/accounts/login/?next=/review/"


def test_an_unverified_account_made_outside_allauth_cannot_log_in(client, mailoutbox):
    UserFactory(email="made@example.com")
    response = client.post("/accounts/login/", {"login": "made@example.com", "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mailoutbox] == [["made@example.com"]]


def test_a_flood_of_log_in_attempts_from_one_address_is_answered_429(client):
    responses = [
        client.post("/accounts/login/", {"login": f"x{n}@example.com", "password": "x"})
        for n in range(31)
    ]
    assert [r.status_code for r in responses] == [400] * 10 + [429] * 21
    assert "Too many attempts" in responses[-1].content.decode()
    assert responses[10]["Retry-After"] == "300"
