"""Security settings: `check --deploy` is clean, every main page carries the headers, cookies
are Secure/HttpOnly/SameSite under production settings, and every form is CSRF-protected."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from common.security import content_security_policy, csp_header, tile_source
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    listed_practitioner,
    owned_practitioner,
    reviewer,
)

ROOT = Path(__file__).resolve().parents[2]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DENIED = (
    "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), {geolocation}, "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
PERMISSIONS_POLICY = DENIED.format(geolocation="geolocation=()")
SEARCH_PERMISSIONS_POLICY = DENIED.format(geolocation="geolocation=(self)")


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, a real key, a host name (and
    not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which this process may carry)."""
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "meridian.example,testserver",
        "MAP_TILE_URL": "",
        **extra,
    }


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.django_db(transaction=True)
def test_production_cookies_are_secure_http_only_same_site_and_hsts_is_sent(settings):
    """A production process (its own settings, this test database) signs a user in over
    HTTPS; its session and CSRF cookies and headers are read back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    AccountFactory(email="cookie@example.com")
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    database_url = f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"
    code = """
import json, django
django.setup()
from django.test import Client
client = Client()
signed_in = client.post(
    "/accounts/login/",
    {"login": "cookie@example.com", "password": "correct horse battery"},
    secure=True,
)
plain = client.get("/", secure=False)
cookies = {
    name: {key: morsel[key] for key in ("secure", "httponly", "samesite")}
    for name, morsel in client.cookies.items()
}
print(json.dumps({
    "hsts": signed_in.headers.get("Strict-Transport-Security"),
    "signed_in": signed_in.status_code,
    "http_redirect": [plain.status_code, plain.headers.get("Location")],
    "cookies": cookies,
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["signed_in"] == 302
    assert seen["http_redirect"] == [301, "https://testserver/"]
    expected = {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["cookies"] == {"csrftoken": expected, "messages": expected, "sessionid": expected}


def test_a_tile_server_is_admitted_for_images_only():
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert tile_source("https://{s}.tiles.example:8443/{z}/{x}/{y}.png?key=k") == (
        "https://*.tiles.example:8443"
    )
    policy = content_security_policy(map_tile_url="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert csp_header(policy) == CSP.replace("data:;", "data: https://tile.openstreetmap.org;")
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL must be an absolute"):
        tile_source("/tiles/{z}/{x}/{y}.png")


def test_map_tile_url_reaches_the_policy_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SECURE_CSP['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["'self'", "data:", "https://*.tile.example.org"]


@pytest.fixture
def personas(db):
    owner = AccountFactory(email="owner@example.com")
    practitioner = owned_practitioner(owner=owner, slug="mei-chen")
    CertificationFactory(practitioner=practitioner)
    listed_practitioner(slug="listed")
    staff = reviewer(email="staff@example.com", is_superuser=True)
    return {"owner": owner, "staff": staff, "practitioner": practitioner}


def client_for(persona: str, personas) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


MAIN_PAGES = [
    ("anonymous", "/", 200),
    ("anonymous", "/search/?near=94105", 200),
    ("anonymous", "/practitioners/listed/", 200),
    ("anonymous", "/practitioners/listed/verification/", 200),
    ("anonymous", "/no-such-page/", 404),
    ("anonymous", "/evidence/", 200),
    ("anonymous", "/evidence/claims/", 200),
    ("anonymous", "/conditions/migraine/", 200),
    ("anonymous", "/api/v1/studies/", 200),
    ("anonymous", "/api/v1/claims/", 200),
    ("anonymous", "/api/v1/conditions/", 200),
    ("anonymous", "/accounts/login/", 200),
    ("anonymous", "/accounts/signup/", 200),
    ("anonymous", "/accounts/password/reset/", 200),
    ("anonymous", "/admin/login/", 302),
    ("anonymous", "/api/v1/practitioners/?near=94105", 200),
    ("anonymous", "/api/v1/practitioners/listed/", 200),
    ("anonymous", "/api/v1/places/?q=San", 200),
    ("anonymous", "/api/v1/me/profile/", 401),
    ("anonymous", "/api/schema/", 200),
    ("anonymous", "/api/docs/", 200),
    ("anonymous", "/api/docs/?script=", 200),
    ("owner", "/dashboard/profile/mei-chen/", 200),
    ("owner", "/dashboard/profile/mei-chen/edit/", 200),
    ("owner", "/dashboard/api-token/", 200),
    ("owner", "/api/v1/me/profile/", 200),
    ("owner", "/accounts/email/", 200),
    ("staff", "/review/", 200),
    ("staff", "/admin/", 200),
    ("staff", "/admin/directory/practitioner/", 200),
    ("staff", "/accounts/2fa/", 200),
]


@pytest.mark.parametrize(("persona", "path", "status"), MAIN_PAGES)
def test_main_pages_carry_the_security_headers(personas, persona, path, status):
    response = client_for(persona, personas).get(path)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == CSP
    expected_policy = (
        SEARCH_PERMISSIONS_POLICY if path.startswith("/search/") else (PERMISSIONS_POLICY)
    )
    assert response["Permissions-Policy"] == expected_policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_search_results_fragment_keeps_geolocation(personas):
    response = Client().get("/search/?near=94105", headers={"HX-Request": "true"})
    assert response["Permissions-Policy"] == SEARCH_PERMISSIONS_POLICY


def test_a_private_document_keeps_its_own_stricter_policy(personas, tmp_path, monkeypatch):
    from credentialing.models import License
    from tests.factories import png_bytes, upload

    storage = License._meta.get_field("document").storage
    for attribute in ("base_location", "location"):
        monkeypatch.setattr(storage, attribute, str(tmp_path))
    license = personas["practitioner"].licenses.get()
    license.document.save("scan.png", upload("scan.png", png_bytes(), "image/png"))
    url = f"/dashboard/profile/mei-chen/licenses/{license.public_id}/document/?inline=1"
    response = client_for("staff", personas).get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


class PostForms(HTMLParser):
    """Collects, for each <form method="post">, the names of the inputs inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.open: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.open = {"action": attributes.get("action"), "inputs": []}
            self.forms.append(self.open)
        elif tag == "input" and self.open is not None:
            self.open["inputs"].append(attributes.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = None


FORM_PAGES = [
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/accounts/signup/"),
    ("anonymous", "/accounts/password/reset/"),
    ("owner", "/dashboard/profile/mei-chen/"),
    ("owner", "/dashboard/profile/mei-chen/edit/"),
    ("owner", "/dashboard/profile/mei-chen/clinics/new/"),
    ("owner", "/dashboard/profile/mei-chen/licenses/new/"),
    ("owner", "/dashboard/profile/mei-chen/certifications/new/"),
    ("owner", "/dashboard/claim/"),
    ("owner", "/dashboard/api-token/"),
    ("owner", "/accounts/email/"),
    ("owner", "/accounts/password/change/"),
    ("staff", "/review/"),
    ("staff", "/accounts/2fa/"),
    ("staff", "/admin/directory/practitioner/"),
]


@pytest.mark.parametrize(("persona", "path"), FORM_PAGES)
def test_every_form_that_posts_carries_a_csrf_token(personas, persona, path):
    response = client_for(persona, personas).get(path)
    assert response.status_code == 200
    parser = PostForms()
    parser.feed(response.content.decode())
    assert parser.forms, "expected at least one POST form (the log-out button at least)"
    for form in parser.forms:
        assert "csrfmiddlewaretoken" in form["inputs"], form


@pytest.mark.parametrize(
    ("persona", "path", "data"),
    [
        ("anonymous", "/accounts/login/", {"login": "owner@example.com", "password": "x"}),
        ("anonymous", "/accounts/signup/", {"email": "new@example.com"}),
        ("owner", "/dashboard/profile/mei-chen/confirm/", {}),
        ("owner", "/dashboard/api-token/", {"action": "create"}),
        ("owner", "/accounts/logout/", {}),
        ("staff", "/admin/logout/", {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(personas, persona, path, data):
    client = client_for(persona, personas)
    client.handler.enforce_csrf_checks = True
    response = client.post(path, data)
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>This form has expired</h1>" in html
    assert response["Content-Security-Policy"] == CSP


def test_the_api_refuses_a_session_write_without_the_csrf_token(personas):
    client = client_for("owner", personas)
    client.handler.enforce_csrf_checks = True
    response = client.patch(
        "/api/v1/me/profile/", {"telehealth": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set.", "errors": {}}
    # A token client is not a browser: no cookie, so no CSRF token is needed.
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=personas["owner"])
    api = Client(enforce_csrf_checks=True)
    response = api.patch(
        "/api/v1/me/profile/",
        {"telehealth": True},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == 200
    assert response.json()["telehealth"] is True
