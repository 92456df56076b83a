"""Rules the database itself enforces, whatever client writes to it."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from credentialing.models import CredentialStatus, VerificationEvent
from credentialing.rules import Actor, credential_transition
from tests.factories import LicenseFactory, LocationFactory, UserFactory, today

pytestmark = pytest.mark.django_db


def test_license_number_is_unique_per_jurisdiction_and_type():
    LicenseFactory(number="AC12345")
    LicenseFactory(number="AC12345", region="NY")  # another state: fine
    LicenseFactory(number="AC12345", license_type="DOM")  # another type: fine
    with pytest.raises(IntegrityError, match="directory_license_number_unique"):
        LicenseFactory(number="AC12345")


@pytest.mark.parametrize(
    ("latitude", "longitude", "constraint"),
    [
        (91, 0, "directory_location_latitude_range"),
        (-90.5, 0, "directory_location_latitude_range"),
        (0, 180.01, "directory_location_longitude_range"),
        (10, None, "directory_location_coordinates_paired"),
    ],
)
def test_coordinates_must_be_on_earth(latitude, longitude, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        LocationFactory(latitude=latitude, longitude=longitude)


def test_expiry_must_come_after_issue():
    day = datetime.date(2025, 1, 1)
    with pytest.raises(IntegrityError, match="directory_license_expires_after_issue"):
        LicenseFactory(issued_on=day, expires_on=day)


@pytest.fixture
def event():
    license = LicenseFactory(status=CredentialStatus.PENDING)
    return credential_transition(
        credential=license,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.reviewer(UserFactory(is_staff=True)),
        source="https://search.dca.ca.gov/",
        checked_on=today() - datetime.timedelta(days=10),
    )


def test_status_change_is_recorded_with_the_decision(event):
    assert VerificationEvent.objects.count() == 1
    assert (event.from_status, event.to_status) == ("pending", "verified")
    assert event.license.status == CredentialStatus.VERIFIED
    assert event.license.verified_on == today() - datetime.timedelta(days=10)


def test_verification_event_refuses_update_through_the_orm(event):
    event.reason = "rewritten"
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        event.save()


def test_verification_event_refuses_raw_sql_update_and_delete(event):
    for statement, operation in [
        ("UPDATE directory_verificationevent SET reason = 'x'", "UPDATE"),
        ("DELETE FROM directory_verificationevent", "DELETE"),
    ]:
        with (
            pytest.raises(ProgrammingError, match=f"append-only: {operation} refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert VerificationEvent.objects.get().reason == ""
