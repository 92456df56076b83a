"""The verification log cannot be emptied: not by TRUNCATE, not by deleting what it records,
not even through a cascade someone might add later. Each test checks the log afterwards."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.db.utils import ProgrammingError

from credentialing.models import CredentialStatus
from credentialing.rules import Actor, credential_transition
from tests.factories import LicenseFactory, UserFactory

pytestmark = pytest.mark.django_db

LOG = "directory_verificationevent"


@pytest.fixture
def license_with_event():
    license = LicenseFactory(status=CredentialStatus.PENDING)
    credential_transition(
        credential=license,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.reviewer(UserFactory(is_staff=True)),
        source="https://search.dca.ca.gov/",
    )
    return license


def log_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, license_id, from_status, to_status FROM {LOG} ORDER BY id")
        return cursor.fetchall()


def refused(statement: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's foreign keys are deferred
        cursor.execute(statement)


def test_truncate_of_the_log_is_refused(license_with_event):
    before = log_rows()
    assert [row[1:] for row in before] == [(license_with_event.pk, "pending", "verified")]
    refused(f"TRUNCATE {LOG}", ProgrammingError, "append-only: TRUNCATE refused")
    assert log_rows() == before


@pytest.mark.parametrize("table", ["directory_license", "directory_practitioner"])
def test_truncate_cascading_from_a_credential_or_practitioner_is_refused(license_with_event, table):
    before = log_rows()
    refused(f"TRUNCATE {table} CASCADE", ProgrammingError, "append-only: TRUNCATE refused")
    assert log_rows() == before


def test_deleting_a_license_that_has_events_is_refused(license_with_event):
    before = log_rows()
    with pytest.raises(ProtectedError), transaction.atomic():
        license_with_event.delete()
    refused(
        f"DELETE FROM directory_license WHERE id = {license_with_event.pk}",
        IntegrityError,
        LOG,
    )
    assert log_rows() == before
    license_with_event.refresh_from_db()


def test_deleting_a_practitioner_whose_license_has_events_is_refused(license_with_event):
    practitioner = license_with_event.practitioner
    before = log_rows()
    with pytest.raises(ProtectedError), transaction.atomic():
        practitioner.delete()
    # Through SQL the practitioner's license still points at it, and the log at the license.
    refused(
        f"DELETE FROM directory_practitioner WHERE id = {practitioner.pk}",
        IntegrityError,
        "directory_license",
    )
    assert log_rows() == before
    practitioner.refresh_from_db()


def test_a_cascade_added_to_the_log_later_would_still_be_refused(license_with_event):
    """If the log's foreign key were ever declared ON DELETE CASCADE, PostgreSQL would delete
    the events row by row, and the row trigger refuses that. (Changed and undone inside this
    test's transaction.)"""
    before = log_rows()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # runs the pending checks before ALTER
        cursor.execute(
            """
            SELECT conname FROM pg_constraint
            WHERE conrelid = %s::regclass AND confrelid = 'directory_license'::regclass
            """,
            [LOG],
        )
        (constraint,) = cursor.fetchone()
        cursor.execute(
            f"ALTER TABLE {LOG} DROP CONSTRAINT {constraint}, ADD CONSTRAINT {constraint} "
            "FOREIGN KEY (license_id) REFERENCES directory_license (id) ON DELETE CASCADE"
        )
    refused(
        f"DELETE FROM directory_license WHERE id = {license_with_event.pk}",
        ProgrammingError,
        "append-only: DELETE refused",
    )
    assert log_rows() == before
