from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.backends.postgresql.operations import DatabaseOperations

VERIFICATION_LOG = "directory_verificationevent"
NO_TRUNCATE_TRIGGER = "directory_verificationevent_no_truncate"


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_verification_log():
    """Transactional tests end with Django's flush, one TRUNCATE of every table, which the
    verification log refuses (migration 0009). Only here, in the test harness and as the
    tables' owner, the flush switches that one trigger off around its TRUNCATE, inside the
    flush's own transaction; the application never can (tests/directory/test_database_roles.py)."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **options):
        statements = original(self, style, tables, **options)
        if VERIFICATION_LOG not in tables:
            return statements
        return [
            f"ALTER TABLE {VERIFICATION_LOG} DISABLE TRIGGER {NO_TRUNCATE_TRIGGER};",
            *statements,
            f"ALTER TABLE {VERIFICATION_LOG} ENABLE TRIGGER {NO_TRUNCATE_TRIGGER};",
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the offline gazetteer once per test database. Its table is unmanaged, so the
    flushes between transactional (browser) tests leave it in place."""
    with django_db_blocker.unblock():
        call_command("load_places", if_empty=True, verbosity=0)


@pytest.fixture
def staff_client(client):
    """A superuser with an authenticator app set up, as the admin requires of staff."""
    from tests.factories import reviewer

    client.force_login(reviewer(is_superuser=True))
    return client


@pytest.fixture(autouse=True)
def private_files(monkeypatch, tmp_path):
    """Uploaded documents go to a fresh private directory for each test, never .data/. (The field's
    storage is built once at import, so its location is patched, not the setting.)"""
    from directory.models import License

    root = tmp_path / "private"
    storage = License._meta.get_field("document").storage
    for attribute in ("base_location", "location"):
        monkeypatch.setattr(storage, attribute, str(root))
    return root


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and the geocoder's slot live in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()
