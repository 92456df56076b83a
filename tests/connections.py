"""A second client of the test database, beside Django's: another process's view of it."""

from __future__ import annotations

import psycopg
from django.db import connection


def second_connection() -> psycopg.Connection:
    """A new autocommit psycopg connection to the database the tests use (use it as a
    context manager, which closes it)."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )
