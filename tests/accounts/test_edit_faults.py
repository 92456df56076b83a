"""Fault test: a practitioner's edit that fails half way leaves nothing half-written.

A test-only trigger makes the edit's second write wait; while it waits, the first write is
shown to have happened (its row is locked by the edit's open transaction), then another
connection terminates the edit's database backend, as a crashing or restarting server
would. The practitioner gets a clean 503, and the database holds exactly what it held
before: the services' transactions are all-or-nothing."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from credentialing.models import CredentialStatus, License, VerificationEvent
from evidence.models import Condition
from tests.connections import second_connection
from tests.factories import AccountFactory, owned_practitioner, restore_vocabulary

pytestmark = pytest.mark.django_db(transaction=True)  # the edit must really commit or not

PAUSE_LOCK = 740_251  # advisory lock key the trigger waits on


@pytest.fixture(autouse=True)
def vocabulary():
    """Transactional tests flush the tables data migrations filled; put the shared
    vocabulary back."""
    restore_vocabulary()


@pytest.fixture
def controller():
    """A separate connection that plays the failure: it holds the lock the trigger waits
    on, and terminates the paused backend."""
    with second_connection() as control:
        yield control


def pause_inserts_into(control: psycopg.Connection, table: str) -> None:
    control.execute(
        f"""
        CREATE FUNCTION meridian_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM set_config('lock_timeout', '20s', true);
            PERFORM pg_advisory_xact_lock({PAUSE_LOCK});
            RETURN NEW;
        END $$
        """
    )
    control.execute(
        f"CREATE TRIGGER meridian_test_pause BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION meridian_test_pause()"
    )
    control.execute("SELECT pg_advisory_lock(%s)", [PAUSE_LOCK])


def remove_pause(control: psycopg.Connection, table: str) -> None:
    control.execute("SELECT pg_advisory_unlock_all()")
    control.execute(f"DROP TRIGGER IF EXISTS meridian_test_pause ON {table}")
    control.execute("DROP FUNCTION IF EXISTS meridian_test_pause()")


def paused_backend(control: psycopg.Connection) -> int:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        row = control.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.02)
    raise AssertionError("the edit never reached its second write")


def first_write_is_pending(control: psycopg.Connection, table: str, pk: int) -> bool:
    """True when the row is locked by an open transaction that changed it."""
    try:
        control.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
    except psycopg.errors.LockNotAvailable:
        return True
    return False


def edit_killed_half_way(control, *, table: str, written: str, pk: int, request) -> object:
    """Run `request` (an HTTP call through Django) in its own thread; when its second write
    waits, check its first write is in place, then kill its backend. Returns the response."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["response"] = request()
        finally:
            connection.close()

    pause_inserts_into(control, table)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        pid = paused_backend(control)
        assert first_write_is_pending(control, written, pk)
        control.execute("SELECT pg_terminate_backend(%s)", [pid])
        thread.join(timeout=15)
        assert not thread.is_alive()
    finally:
        remove_pause(control, table)
    return outcome["response"]


def test_a_profile_edit_killed_between_its_writes_changes_nothing(controller):
    owner = AccountFactory()
    practitioner = owned_practitioner(owner=owner, last_name="Chen", bio="Headaches.")
    migraine, insomnia = (
        Condition.objects.get(slug="migraine"),
        Condition.objects.get(slug="insomnia"),
    )
    practitioner.conditions.set([migraine])
    before = practitioner.details_confirmed_on
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    edit = {
        "first_name": practitioner.first_name,
        "last_name": "Chen-Li",
        "bio": "Headaches and sleep.",
        "conditions": [insomnia.pk],
        "published": "on",
    }

    response = edit_killed_half_way(
        controller,
        table="directory_practitioner_conditions",  # the second write: its new condition
        written="directory_practitioner",  # the first write: names and bio
        pk=practitioner.pk,
        request=lambda: client.post(f"/dashboard/profile/{practitioner.slug}/edit/", edit),
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "<h1>Briefly unavailable</h1>" in response.content.decode()
    practitioner.refresh_from_db()
    assert (practitioner.last_name, practitioner.bio) == ("Chen", "Headaches.")
    assert practitioner.details_confirmed_on == before
    assert list(practitioner.conditions.all()) == [migraine]


def test_a_license_edit_killed_between_its_writes_changes_nothing(controller):
    owner = AccountFactory()
    practitioner = owned_practitioner(owner=owner)
    license = practitioner.licenses.get()
    assert license.status == CredentialStatus.VERIFIED
    token = Token.objects.create(user=owner)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")

    response = edit_killed_half_way(
        controller,
        table="directory_verificationevent",  # the second write: "back in review" event
        written="directory_license",  # the first write: the new number, status pending
        pk=license.pk,
        request=lambda: client.patch(
            f"/api/v1/me/licenses/{license.public_id}/",
            {"number": "AC99999"},
            content_type="application/json",
        ),
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["errors"] == {}
    stored = License.objects.get(pk=license.pk)
    assert (stored.number, stored.status) == (license.number, CredentialStatus.VERIFIED)
    assert not VerificationEvent.objects.filter(license=license).exists()

    # The database is fine afterwards; the same edit simply goes through.
    assert (
        client.patch(
            f"/api/v1/me/licenses/{license.public_id}/",
            {"number": "AC99999"},
            content_type="application/json",
        ).json()["status"]
        == CredentialStatus.PENDING
    )
    assert VerificationEvent.objects.filter(license=license).count() == 1
