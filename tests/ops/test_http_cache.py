"""Anonymous public answers a CDN can keep: Cache-Control, validators, 304s, compression, no
cookies, and an origin cache that never shows a change late."""

from __future__ import annotations

import datetime
import gzip
import socket
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentialing.services import credential_revoke
from ops.models import DirectoryVersion
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    listed_practitioner,
    owned_practitioner,
    reviewer,
    today,
)

pytestmark = pytest.mark.django_db

PUBLIC_CONTROL = "public, max-age=60, stale-while-revalidate=300"
REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        socket.create_connection(REDIS, 1).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def origin_cache(request, settings):
    """The origin's cache of answers: one process's memory, or a shared Redis."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/0",
                "KEY_PREFIX": f"meridian-test-{uuid.uuid4()}",
            }
        }
    settings.PAGE_CACHE_SECONDS = 600
    return request.param


@pytest.fixture
def listed():
    return listed_practitioner(first_name="Mei", last_name="Chen", slug="mei-chen")


def public_addresses(slug: str) -> list[str]:
    return [
        "/",
        "/search/?near=94105",
        f"/practitioners/{slug}/",
        f"/practitioners/{slug}/verification/",
        "/evidence/",
        f"/api/v1/practitioners/{slug}/",
        "/api/v1/practitioners/?near=94105",
        f"/fhir/Practitioner/{slug}",
        "/fhir/Practitioner?name=Chen",
    ]


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def test_anonymous_public_answers_are_cacheable_and_set_no_cookie(client, listed):
    for address in public_addresses(listed.slug):
        response = client.get(address, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, address
        assert response["Cache-Control"] == PUBLIC_CONTROL, address
        assert response["ETag"].startswith('W/"'), address
        assert not response.cookies, address
        assert "Set-Cookie" not in response, address
        assert "cookie" not in vary(response), address
        assert "accept-encoding" in vary(response), address
        assert response["Content-Encoding"] == "gzip", address


def test_only_the_search_page_varies_on_htmx(client, listed):
    page = client.get("/search/", {"near": "94105"})
    fragment = client.get("/search/", {"near": "94105"}, headers={"HX-Request": "true"})
    assert "hx-request" in vary(page) and "hx-request" in vary(fragment)
    assert page["ETag"] != fragment["ETag"]
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert "hx-request" not in vary(client.get(f"/practitioners/{listed.slug}/"))


def test_compressed_answers_hold_the_same_bytes(client, listed):
    plain = client.get("/api/v1/practitioners/", {"near": "94105"})
    packed = client.get(
        "/api/v1/practitioners/", {"near": "94105"}, headers={"Accept-Encoding": "gzip"}
    )
    assert "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    # The second came from the origin's cache, compressed when stored: its length is its own.
    assert packed["Content-Length"] == str(len(packed.content))


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
def test_a_conditional_get_answers_304_after_one_query(
    client, listed, settings, page_cache_seconds
):
    """The view does not run: one query reads the directory version, nothing else. (A FHIR
    read's ETag is its resource's version: without the origin cache its view answers.)"""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    for address in public_addresses(listed.slug):
        if page_cache_seconds == 0 and address.startswith("/fhir/Practitioner/"):
            continue
        first = client.get(address)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(address, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, address
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == PUBLIC_CONTROL
        assert again.content == b""
        assert [q["sql"] for q in queries] == [
            "SELECT value FROM ops_directory_version WHERE id = 1"
        ], address


def test_the_parameters_order_does_not_make_another_answer(client, listed):
    one = client.get("/api/v1/practitioners/?near=94105&radius=25")
    other = client.get("/api/v1/practitioners/?radius=25&near=94105")
    assert one["ETag"] == other["ETag"]
    assert client.get("/api/v1/practitioners/?near=94105&radius=50")["ETag"] != one["ETag"]


def test_each_language_is_its_own_answer(client, listed):
    english = client.get("/evidence/", headers={"Accept-Language": "en"})
    spanish = client.get("/es/evidence/")
    assert english["ETag"] != spanish["ETag"]
    assert spanish["Cache-Control"].startswith("public")
    assert "accept-language" in vary(english)  # an English address may send Spanish browsers on
    arriving = client.get("/evidence/", headers={"Accept-Language": "es"})
    assert arriving.status_code == 302
    assert "accept-language" in vary(arriving)
    assert "cookie" not in vary(arriving) and "cookie" not in vary(spanish)


def test_a_popular_answer_costs_one_cache_read(client, listed, origin_cache):
    client.get("/search/", {"near": "94105"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/", {"near": "94105"})
    assert again.status_code == 200
    assert b"Mei Chen" in again.content
    assert len(queries) == 1  # the directory version


def test_a_decision_is_visible_at_the_origin_at_once(client, listed, origin_cache):
    addresses = [
        "/search/?near=94105",
        f"/practitioners/{listed.slug}/",
        f"/api/v1/practitioners/{listed.slug}/",
        f"/fhir/Practitioner/{listed.slug}",
    ]
    before = {address: client.get(address) for address in addresses}
    assert all(response.status_code == 200 for response in before.values())
    assert b"Mei Chen" in before["/search/?near=94105"].content
    credential_revoke(
        credential=listed.licenses.get(), by=reviewer(), reason="The board suspended it."
    )
    after = {address: client.get(address) for address in addresses}
    assert b"Mei Chen" not in after["/search/?near=94105"].content
    assert after["/search/?near=94105"]["ETag"] != before["/search/?near=94105"]["ETag"]
    gone = [after[address].status_code for address in addresses[1:]]
    assert gone == [404, 404, 410]  # FHIR says a resource it had is gone
    # A conditional GET with the old validator gets the new answer, not a 304.
    old = before["/search/?near=94105"]["ETag"]
    answer = client.get("/search/?near=94105", headers={"If-None-Match": old})
    assert answer.status_code == 200


def test_an_edit_moves_the_directory_version(listed):
    before = DirectoryVersion.current()
    listed.bio = "Now also cupping."
    listed.save()
    assert DirectoryVersion.current() > before


def test_an_expiry_at_midnight_is_visible_at_the_origin_at_once(client, origin_cache):
    practitioner = PractitionerFactory(first_name="Ana", last_name="Ruiz")
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner, expires_on=today())
    assert b"Ana Ruiz" in client.get("/search/", {"near": "94105"}).content
    tomorrow = datetime.datetime.combine(
        today() + datetime.timedelta(days=1), datetime.time(0, 1), tzinfo=datetime.UTC
    )
    with time_machine.travel(tomorrow):
        assert b"Ana Ruiz" not in client.get("/search/", {"near": "94105"}).content
        assert client.get(f"/practitioners/{practitioner.slug}/").status_code == 404


def test_signed_in_answers_are_private_and_uncompressed(client, listed):
    """BREACH: signed-in pages hold CSRF tokens, so they are never compressed."""
    owner = owned_practitioner().owner
    client.force_login(owner)
    for address in [*public_addresses(listed.slug), "/dashboard/"]:
        response = client.get(address, headers={"Accept-Encoding": "gzip"})
        assert response["Cache-Control"] == "private, no-store", address
        assert "Content-Encoding" not in response, address


def test_a_signed_in_visitor_never_gets_an_anonymous_answer_from_the_cache(client, listed):
    anonymous = client.get("/")
    assert b"Log in" in anonymous.content
    client.force_login(owned_practitioner().owner)
    assert b"Log out" in client.get("/").content


def test_token_clients_of_the_api_get_private_answers(client, listed):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=owned_practitioner().owner)
    response = client.get(
        f"/api/v1/practitioners/{listed.slug}/", headers={"Authorization": f"Token {token.key}"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_errors_and_private_endpoints_are_not_kept(client, listed):
    bad = client.get("/api/v1/practitioners/", {"near": "94105", "radius": "-3"})
    assert bad.status_code == 400
    assert "public" not in bad.get("Cache-Control", "")
    assert client.get("/api/v1/me/profile/").status_code in {401, 403}
    login = client.get("/accounts/login/")
    assert "public" not in login.get("Cache-Control", "")


def test_every_table_that_feeds_public_answers_moves_the_version():
    """A table added later must have the trigger too (a migration calling attach_triggers)."""
    from django.apps import apps

    from ops.directory_version import TRIGGER, versioned_tables

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = %s",
            [TRIGGER],
        )
        triggered = {row[0] for row in cursor.fetchall()}
    tables = set(versioned_tables(apps))
    assert {"directory_license", "directory_practitioner", "directory_location"} <= tables
    assert tables <= triggered
