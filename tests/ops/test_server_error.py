"""The 500 handler tells an unreachable database (503, try again) from a bug (500). The
errors here are real ones: a connection attempt to a port where no PostgreSQL listens.
(A real database restart under traffic is in test_database_restart.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from ops.errors import server_error
from tests.servers import refusing_port


@pytest.fixture
def unreachable_dsn() -> Iterator[str]:
    with refusing_port() as port:
        yield f"host=127.0.0.1 port={port} dbname=meridian connect_timeout=2"


def handled(request, error_to_raise) -> object:
    """Call the handler as Django does: while the exception is being handled."""
    try:
        error_to_raise()
    except Exception:
        return server_error(request)
    raise AssertionError("expected an error")


def test_a_driver_error_that_django_did_not_wrap_is_a_503(rf, unreachable_dsn):
    # Closing a server-side cursor on a lost connection raises psycopg's own error.
    response = handled(rf.get("/search/?near=10001"), lambda: psycopg.connect(unreachable_dsn))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "<h1>Briefly unavailable</h1>" in response.content.decode()


def test_a_wrapped_connection_error_from_the_api_is_a_503_in_its_error_shape(rf, unreachable_dsn):
    def connect_through_django() -> None:
        with connection.wrap_database_errors:
            psycopg.connect(unreachable_dsn)

    response = handled(rf.get("/api/v1/practitioners/?near=10001"), connect_through_django)

    assert response.status_code == 503
    assert set(json.loads(response.content)) == {"detail", "errors"}


@pytest.mark.django_db
def test_a_bug_in_a_query_stays_a_500(rf):
    def bad_query() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM directory_practitioner")

    response = handled(rf.get("/search/"), bad_query)

    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_any_other_error_stays_a_500(rf):
    response = handled(rf.get("/"), lambda: int("not a number"))

    assert response.status_code == 500
