"""copy_create inserts what bulk_create would, through COPY: primary keys from the table's
sequence, Python defaults and auto_now fields, database defaults, and every trigger."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.bulk import copy_create
from credentialing.models import License, VerificationEvent
from directory.models import Location, Practitioner
from tests.factories import PractitionerFactory, today

pytestmark = pytest.mark.django_db


def test_rows_get_their_keys_defaults_and_the_databases_own_work():
    first = PractitionerFactory()
    practitioners = [
        Practitioner(slug=f"copied-{n}", first_name="Ana", last_name=f"Reyes {n}", published=True)
        for n in range(3)
    ]

    copy_create(practitioners)

    keys = [practitioner.pk for practitioner in practitioners]
    assert all(key > first.pk for key in keys) and len(set(keys)) == 3
    assert all(not practitioner._state.adding for practitioner in practitioners)
    stored = Practitioner.objects.get(pk=keys[1])
    assert (stored.slug, stored.last_name, stored.npi, stored.languages) == (
        "copied-1",
        "Reyes 1",
        "",
        [],
    )
    # auto_now_add, from the frozen clock (which ticks on from the frozen instant)
    assert (
        datetime.timedelta(0) <= timezone.now() - stored.created_at < datetime.timedelta(minutes=1)
    )

    # A clinic copied in gets its listing days from the trigger, as an INSERT would: the
    # license copied in afterwards (with its event) recomputes them.
    clinic = Location(
        practitioner=stored, city="Oakland", country="US", region="CA", postal_code="94612"
    )
    copy_create([clinic])
    assert Location.objects.filter(pk=clinic.pk).listable().count() == 0
    with transaction.atomic():
        license = License(
            practitioner=stored,
            country="US",
            region="CA",
            license_type="L.Ac.",
            number="AC-COPY-1",
            issued_on=today() - datetime.timedelta(days=30),
            expires_on=today() + datetime.timedelta(days=30),
            status="verified",
            verified_on=today(),
            source="https://search.dca.ca.gov/",
        )
        copy_create([license])
        copy_create([VerificationEvent(license=license, to_status="verified", source="test")])
    assert Location.objects.filter(pk=clinic.pk).listable().count() == 1
    event = VerificationEvent.objects.get(license=license)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT transaction_id IS NOT NULL FROM directory_verificationevent WHERE id = %s",
            [event.pk],
        )
        assert cursor.fetchone() == (True,)  # stamped by the BEFORE INSERT trigger


def test_a_refused_row_refuses_the_whole_copy():
    PractitionerFactory(slug="taken")
    rows = [
        Practitioner(slug="free", first_name="A", last_name="B"),
        Practitioner(slug="taken", first_name="C", last_name="D"),
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        copy_create(rows)

    assert not Practitioner.objects.filter(slug="free").exists()
