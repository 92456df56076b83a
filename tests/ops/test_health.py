"""/healthz and /readyz, as a load balancer probes them: plain HTTP, by IP address, no
cookies. (A real database outage is in test_database_restart.py.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    """With DEBUG off, plain HTTP is redirected to HTTPS and unknown hosts are refused."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["meridian.example"]


def test_healthz_answers_without_the_database(client, production_like, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_readyz_is_ok_when_the_database_answers_and_is_migrated(client, production_like):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_refuses_traffic_while_a_migration_is_not_applied(client, production_like):
    latest = MigrationRecorder.Migration.objects.filter(app="directory").latest("id")
    latest.delete()  # as if this code were deployed before `migrate` ran

    response = client.get("/readyz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "detail": "1 migration(s) not applied yet.",
    }


def test_other_pages_still_redirect_to_https_and_check_the_host(client, production_like):
    assert client.get("/", HTTP_HOST="meridian.example").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.7", secure=True).status_code == 400


def test_readyz_does_not_leave_a_broken_connection_behind(client):
    client.get("/readyz")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
