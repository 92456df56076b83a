"""Abuse limits: each answers 429 with Retry-After (a page, or the API's error shape), is
configured from the environment, and is counted in the cache, which Redis can share
between processes."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from rest_framework.authtoken.models import Token

from common import limits
from common.env import cache_settings
from credentialing.models import License, ProfileClaim
from tests.factories import (
    AccountFactory,
    LicenseFactory,
    PractitionerFactory,
    owned_practitioner,
    png_bytes,
    today,
    upload,
)
from tests.ops.processes import database_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def assert_friendly_429(response, retry_after: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(retry_after)
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    assert "Please wait" in html


def assert_api_429(response) -> None:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    assert response.json() == {
        "detail": f"Request was throttled. Expected available in {wait} seconds.",
        "errors": {},
    }


def test_sign_ups_are_limited_per_address(client):
    """Default: 10 an hour from one IP address."""
    statuses = []
    for number in range(11):
        response = client.post(
            "/accounts/signup/",
            {
                "email": f"new{number}@example.com",
                "password1": "a long practitioner passphrase",
                "password2": "a long practitioner passphrase",
            },
        )
        statuses.append(response.status_code)
    assert statuses == [302] * 10 + [429]
    assert_friendly_429(response, retry_after=3600)
    assert len(mail.outbox) == 10


def test_wrong_passwords_for_one_account_are_limited(client):
    """Default: 5 failures per account in 5 minutes (and 10 a minute per IP address)."""
    AccountFactory(email="mei@example.com")
    attempts = [
        client.post("/accounts/login/", {"login": "mei@example.com", "password": "wrong"})
        for _ in range(6)
    ]
    assert [r.status_code for r in attempts[:5]] == [400] * 5
    assert_friendly_429(attempts[5], retry_after=300)
    right = client.post(
        "/accounts/login/", {"login": "mei@example.com", "password": "correct horse battery"}
    )
    assert "_auth_user_id" not in client.session  # not even the right one gets in
    assert_friendly_429(right, retry_after=300)


def test_log_in_attempts_from_one_address_are_limited(client):
    """Default: 10 failures a minute per IP address, whatever the accounts tried (and 30
    attempts a minute)."""
    responses = [
        client.post("/accounts/login/", {"login": f"x{n}@example.com", "password": "x"})
        for n in range(31)
    ]
    assert [r.status_code for r in responses] == [400] * 10 + [429] * 21
    # The page is guarded by "login" (a minute) and "login_failed" (up to 5 minutes).
    assert_friendly_429(responses[-1], retry_after=300)


def test_password_reset_requests_are_limited_per_address(client):
    """Default: 5 an hour for one email address (each sends it a message)."""
    AccountFactory(email="mei@example.com")
    statuses = [
        client.post("/accounts/password/reset/", {"email": "mei@example.com"}).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    response = client.post("/accounts/password/reset/", {"email": "mei@example.com"})
    assert_friendly_429(response, retry_after=3600)


def test_claim_attempts_are_limited_per_account(client):
    """Default: 10 an hour. Each claim names a license number, so many are guessing."""
    practitioner = PractitionerFactory(slug="lan-nguyen")
    LicenseFactory(practitioner=practitioner, region="NY", number="012345")
    client.force_login(AccountFactory(email="lan@example.com"))
    statuses = [
        client.post("/dashboard/claim/", {"jurisdiction": "US-NY", "number": f"9{n:05d}"})
        for n in range(10)
    ]
    assert [r.status_code for r in statuses] == [400] * 10  # "no such license", ten times
    right = client.post("/dashboard/claim/", {"jurisdiction": "US-NY", "number": "012345"})
    assert right.status_code == 429
    assert 3500 < int(right["Retry-After"]) <= 3600
    assert "<h1>Too many attempts</h1>" in right.content.decode()
    assert not ProfileClaim.objects.exists()
    assert client.get("/dashboard/claim/").status_code == 200  # reading the form is fine


@pytest.fixture
def uploader(client, settings, tmp_path, monkeypatch):
    storage = License._meta.get_field("document").storage
    for attribute in ("base_location", "location"):
        monkeypatch.setattr(storage, attribute, str(tmp_path))
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "2/hour"}
    owner = AccountFactory(email="owner@example.com")
    practitioner = owned_practitioner(owner=owner, slug="mei-chen")
    client.force_login(owner)
    return practitioner


def license_form(**fields):
    return {
        "jurisdiction": "US-NY",
        "license_type": "L.Ac.",
        "number": "012345",
        "expires_on": (today() + datetime.timedelta(days=3 * 365)).isoformat(),
        **fields,
    }


def test_document_uploads_are_limited_per_account_across_dashboard_and_api(client, uploader):
    new = "/dashboard/profile/mei-chen/licenses/new/"
    first = client.post(new, license_form(document=upload()))
    assert first.status_code == 302
    edit = first_license_url = f"/dashboard/profile/mei-chen/licenses/{_newest(uploader)}/"
    assert client.post(edit, license_form(number="012346")).status_code == 302  # no file
    token = Token.objects.create(user=uploader.owner)
    api = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    second = client.post(
        "/api/v1/me/licenses/",
        {**license_form(number="054321"), "document": upload("scan.png", png_bytes())},
        **api,
    )
    assert second.status_code == 201
    third = client.post(first_license_url, license_form(document=upload()))
    assert_friendly_429(third, retry_after=int(third["Retry-After"]))
    assert 3500 < int(third["Retry-After"]) <= 3600
    over = client.post(
        "/api/v1/me/licenses/", {**license_form(number="099999"), "document": upload()}, **api
    )
    assert_api_429(over)
    assert uploader.licenses.count() == 3  # the factory's, and the two uploads let through
    # Edits without a document are not uploads.
    response = client.patch(
        f"/api/v1/me/licenses/{_newest(uploader)}/",
        {"license_type": "Dipl. Ac."},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == 200


def _newest(practitioner) -> str:
    return str(practitioner.licenses.order_by("-created_at").first().public_id)


def test_anonymous_api_use_is_limited_per_address_and_spoofing_does_not_help(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anon": "3/minute", "places": "4/minute"}
    responses = [
        client.get("/api/v1/practitioners/nobody/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(4)
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 429]
    assert_api_429(responses[-1])
    assert 55 <= int(responses[-1]["Retry-After"]) <= 60
    # Autocomplete has its own, larger allowance. (Each look-up differs: a repeated one is
    # answered from the origin's cache of public answers, which limits do not count.)
    words = ["Bro", "Brook", "Bronx", "Brooklyn", "Boston"]
    places = [client.get("/api/v1/places/", {"q": word}).status_code for word in words]
    assert places == [200] * 4 + [429]


def test_signed_in_api_clients_are_not_held_to_the_anonymous_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anon": "2/minute"}
    token = Token.objects.create(user=AccountFactory())
    statuses = [
        client.get(
            "/api/v1/practitioners/nobody/", headers={"Authorization": f"Token {token.key}"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [404] * 4


def test_an_empty_rate_switches_a_limit_off(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anon": ""}
    statuses = {client.get("/api/v1/practitioners/nobody/").status_code for _ in range(130)}
    assert statuses == {404}


def test_rates_come_from_the_environment_and_bad_ones_stop_start_up():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from allauth.account import app_settings; "
        "print(json.dumps([settings.RATE_LIMITS, app_settings.RATE_LIMITS['signup'], "
        "app_settings.RATE_LIMITS['reset_password']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "RATE_LIMIT_SIGNUP": "3/m/ip, 10/d/ip",
        "RATE_LIMIT_PASSWORD_RESET": "",
        "RATE_LIMIT_CLAIM": "4/day",
        "RATE_LIMIT_UPLOAD": "",
        "API_ANON_RATE": "60/minute",
        "API_PLACES_RATE": "300/15m",
        "FHIR_RATE": "90/minute",
    }
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        {
            "claim": "4/d",
            "upload": "",
            "clinic": "30/h",
            "api_anon": "60/m",
            "places": "300/15m",
            "fhir": "90/m",
            "fhir_export": "10/h",
        },
        "3/m/ip,10/d/ip",
        "",
    ]
    env["RATE_LIMIT_CLAIM"] = "ten per hour"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "RATE_LIMIT_CLAIM='ten per hour': give AMOUNT/DURATION (e.g. '10/h')" in run.stderr


def test_one_syntax_for_every_limit(monkeypatch):
    assert limits.parse("20/m/ip, 5/1.5h/key", allauth=True) == [(20, 60), (5, 5400)]
    assert limits.parse("120/minute", allauth=False) == [(120, 60)]
    assert limits.parse("10/5m", allauth=False) == [(10, 300)]
    for bad, allauth in [("5/fortnight", False), ("5/5m/key,nonsense", True), ("5/h/ip", False)]:
        with pytest.raises(ValueError):
            limits.parse(bad, allauth=allauth)
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILED", "20/m/ip, 5/1.5h/key")
    monkeypatch.setenv("RATE_LIMIT_UPLOAD", "")
    rates = limits.configured()
    assert (rates["login_failed"], rates["upload"]) == ("20/m/ip,5/1.5h/key", "")
    assert set(rates) == set(limits.LIMITS)
    monkeypatch.setenv("RATE_LIMIT_UPLOAD", "5/h,10/d")  # a throttle counts one window
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_UPLOAD"):
        limits.configured()


def test_cache_url_selects_the_cache():
    assert cache_settings("") == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert cache_settings("redis://cache.internal:6379/2", "meridian") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "meridian",
    }
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        cache_settings("memcached://x")


REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        socket.create_connection(REDIS, 1).close()
    except OSError:
        return False
    return True


@pytest.mark.process  # two processes of the app, one Redis
@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db  # the children read the directory's version from the test database
def test_with_redis_two_processes_count_against_one_limit():
    """Two separate processes, one Redis: the second is refused once both together
    reach the limit. (With the default per-process cache each would have its own.)"""
    code = """
import django, json
django.setup()
from django.test import Client
client = Client()
answers = [client.get("/api/v1/places/") for _ in range(3)]
print(json.dumps([[a.status_code, sorted(a.json()["errors"])] for a in answers]))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "testserver",
        "CACHE_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "CACHE_KEY_PREFIX": f"meridian-test-{uuid.uuid4()}",
        "API_PLACES_RATE": "5/minute",
    }

    def run() -> list[list]:
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    invalid = [400, ["q"]]  # counted even when the request is refused as invalid
    assert run() == [invalid, invalid, invalid]
    assert run() == [invalid, invalid, [429, []]]
