from __future__ import annotations

import datetime
import os

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import translation

CLOCK = pytest.StashKey[time_machine.travel]()
SERVER = pytest.StashKey[str]()


def frozen_today() -> datetime.date:
    """The date the whole run happens on: MERIDIAN_TEST_TODAY (YYYY-MM-DD) when set, else
    the real date in UTC when the run starts."""
    value = os.environ.get("MERIDIAN_TEST_TODAY", "")
    if not value:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"MERIDIAN_TEST_TODAY={value!r} is not a YYYY-MM-DD date") from None


def pytest_configure(config: pytest.Config) -> None:
    """Freeze the calendar before collection: every date in the suite comes from one "today",
    at noon UTC so that no run of a few minutes crosses midnight. The clock still ticks from
    there (timeouts and durations stay real); processes the tests start (gunicorn, jobs) and
    the browser keep the machine's clock, so tests that start them pass dates explicitly."""
    today = frozen_today()
    traveller = time_machine.travel(
        datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC), tick=True
    )
    traveller.start()
    config.stash[CLOCK] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    if CLOCK in config.stash:
        config.stash[CLOCK].stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"frozen today: {datetime.date.today().isoformat()} (MERIDIAN_TEST_TODAY to change)"


VERIFICATION_LOG = "directory_verificationevent"
NO_TRUNCATE_TRIGGER = "directory_verificationevent_no_truncate"


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_verification_log():
    """Transactional tests end with Django's flush, one TRUNCATE of every table, which the
    verification log refuses (its no-truncate trigger, credentialing/sql/verification_log.sql).
    Only here, in the test harness and as the tables' owner, the flush switches that one
    trigger off around its TRUNCATE, inside the flush's own transaction; the application's
    role never can (tests/ops/test_database_roles.py)."""
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


def expect_server_major(version: str) -> None:
    """Under MERIDIAN_EXPECT_PG_MAJOR (CI's second pass sets 15), a server of another major
    version fails the run instead of passing it on the wrong PostgreSQL."""
    expected = os.environ.get("MERIDIAN_EXPECT_PG_MAJOR", "")
    if expected and version.split(".")[0] != expected:
        pytest.fail(f"tested on PostgreSQL {version}, but MERIDIAN_EXPECT_PG_MAJOR={expected}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Load the offline gazetteer once per test database. Its table is unmanaged, so the
    flushes between transactional (browser) tests leave it in place. Say which server ran."""
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("load_places", if_empty=True, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
    request.config.stash[SERVER] = f"PostgreSQL {version}"
    expect_server_major(version)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """The last lines of every run (also with -q) say on which day and server it ran."""
    server = config.stash.get(SERVER, "no database used")
    terminalreporter.write_line(f"Ran on {datetime.date.today().isoformat()} (frozen), {server}.")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Under CI=true nothing may pass by skipping: a skip (no Chromium, no Redis) fails."""
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("CI", "").lower() == "true"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which CI does not accept: {reason}"


@pytest.fixture
def superuser_client(client):
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
def photo_files(monkeypatch, tmp_path):
    """Practitioner photos go to a fresh directory for each test, never .data/."""
    from directory.photos import photo_storage

    root = tmp_path / "photos"
    storage = photo_storage()
    for attribute in ("base_location", "location"):
        monkeypatch.setattr(storage, attribute, str(root))
    return root


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def the_site_language_again():
    """A test that turns on LocaleMiddleware leaves its last language active in this thread;
    the next test starts in the site's own language."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_page_cache_unless_asked(settings):
    """The origin's cache of rendered public answers is keyed by the directory version, and
    every test's writes roll back, so versions repeat from test to test: a page rendered in one
    test must not answer in another. Tests of that cache turn it on themselves."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and the geocoder's slot live in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()
