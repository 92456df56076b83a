"""The one rulebook for a credential's status, and the database behind it: every move is
checked against the table of allowed moves and leaves its event, and the database refuses
a status change that has no event written in the same transaction, whoever sends it."""

from __future__ import annotations

import itertools

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from credentialing import rules, services
from credentialing.models import CredentialStatus, License, VerificationEvent
from credentialing.rules import TRANSITIONS, Actor, Role, credential_transition
from tests.connections import second_connection
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    force_status,
    reviewer,
    submitted,
    today,
)

pytestmark = pytest.mark.django_db

STATUSES = [rules.SUBMITTED, *CredentialStatus]


def actor(role: Role) -> Actor:
    if role is Role.SYSTEM:
        return Actor.process("test data")
    return Actor(role, user=AccountFactory())


def in_status(status: str) -> License:
    """A license whose log brought it to `status` (unsaved for the submitted state)."""
    if status == rules.SUBMITTED:
        return LicenseFactory.build(practitioner=PractitionerFactory())
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    force_status([license], status)
    return license


@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    [
        (a, b, role)
        for a, b in itertools.product(STATUSES, CredentialStatus)
        for role in Role
        if a != b
    ],
)
def test_every_move_is_allowed_exactly_when_the_table_says(from_status, to_status, role):
    license = in_status(from_status)
    events_before = VerificationEvent.objects.count()
    allowed = role in TRANSITIONS.get((from_status, to_status), set())
    if allowed:
        event = credential_transition(credential=license, to_status=to_status, by=actor(role))
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert License.objects.get(pk=license.pk).status == to_status
        assert VerificationEvent.objects.count() == events_before + 1
    else:
        with pytest.raises(ValidationError, match="cannot make it"):
            credential_transition(credential=license, to_status=to_status, by=actor(role))
        assert VerificationEvent.objects.count() == events_before
        if license.pk:
            assert License.objects.get(pk=license.pk).status == from_status


def test_a_reviewers_decision_locks_the_credential_once():
    license = in_status(CredentialStatus.PENDING)
    staff = reviewer()
    with CaptureQueriesContext(connection) as queries:
        services.credential_approve(
            credential=license, by=staff, source="board", checked_on=today()
        )
    locks = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    assert len(locks) == 1, locks
    assert License.objects.get(pk=license.pk).status == CredentialStatus.VERIFIED


def test_the_event_names_who_moved_it():
    staff = reviewer()
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    first = license.events.get()
    assert (first.actor, first.system_actor) == (None, "test data")
    event = credential_transition(
        credential=license,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.reviewer(staff),
        source="https://search.dca.ca.gov/",
        checked_on=license.issued_on,
    )
    assert (event.actor, event.system_actor) == (staff, "")
    license.refresh_from_db()
    assert (license.source, license.verified_on) == ("https://search.dca.ca.gov/", event.checked_on)


def test_a_status_update_without_its_event_is_refused_by_the_database():
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    with pytest.raises(IntegrityError, match="has no verification event"), transaction.atomic():
        License.objects.filter(pk=license.pk).update(status=CredentialStatus.VERIFIED)
    with (
        pytest.raises(IntegrityError, match="has no verification event"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE directory_certification SET status = 'verified' WHERE id = %s",
            [CertificationFactory(status=CredentialStatus.PENDING).pk],
        )
    assert License.objects.get(pk=license.pk).status == CredentialStatus.PENDING


def test_an_event_for_another_move_or_credential_does_not_count():
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    other = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    with pytest.raises(IntegrityError, match="has no verification event"), transaction.atomic():
        # An event for the other license, and one for this license but another move.
        VerificationEvent.objects.create(license=other, from_status="pending", to_status="verified")
        VerificationEvent.objects.create(
            license=license, from_status="pending", to_status="revoked"
        )
        License.objects.filter(pk=license.pk).update(status=CredentialStatus.VERIFIED)


@pytest.mark.django_db(transaction=True)
def test_an_event_from_an_earlier_transaction_does_not_count():
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    VerificationEvent.objects.create(license=license, from_status="pending", to_status="verified")
    with second_connection() as other_client:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="no verification"):
            other_client.execute(
                "UPDATE directory_license SET status = 'verified' WHERE id = %s", [license.pk]
            )
        # With its event in the same transaction, the same client's change goes through.
        with other_client.transaction():
            other_client.execute(
                "INSERT INTO directory_verificationevent (license_id, created_at, from_status,"
                " to_status, reason, source, system_actor)"
                " VALUES (%s, now(), 'pending', 'verified', '', 'sql', 'a script')",
                [license.pk],
            )
            other_client.execute(
                "UPDATE directory_license SET status = 'verified' WHERE id = %s", [license.pk]
            )
    assert License.objects.get(pk=license.pk).status == CredentialStatus.VERIFIED


def test_the_database_stamps_the_transaction_and_a_client_cannot_forge_it():
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_verificationevent (license_id, created_at, from_status,"
            " to_status, reason, source, system_actor, transaction_id)"
            " VALUES (%s, now(), 'pending', 'verified', '', '', 'forger', '1') RETURNING"
            " transaction_id = pg_current_xact_id()",
            [license.pk],
        )
        assert cursor.fetchone() == (True,)
