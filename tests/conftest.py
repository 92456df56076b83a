from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command


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
    from credentialing.models import License

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
