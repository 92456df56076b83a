"""copy_rows inserts what bulk_create would, through COPY: primary keys from the table's
sequence, Python defaults and auto_now fields, database defaults, and every trigger."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from common.bulk import copy_rows
from credentialing.models import License, VerificationEvent
from directory.models import Location, Practitioner
from tests.factories import PractitionerFactory, today

pytestmark = pytest.mark.django_db


def test_rows_get_their_keys_defaults_and_the_databases_own_work():
    first = PractitionerFactory()
    practitioners = [
        {"slug": f"copied-{n}", "first_name": "Ana", "last_name": f"Reyes {n}", "published": True}
        for n in range(3)
    ]

    keys = copy_rows(Practitioner, practitioners)

    assert all(key > first.pk for key in keys) and len(set(keys)) == 3
    assert [p.slug for p in Practitioner.objects.filter(pk__in=keys).order_by("pk")] == [
        "copied-0",
        "copied-1",
        "copied-2",
    ]
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
    [clinic] = copy_rows(
        Location,
        [
            {
                "practitioner_id": stored.pk,
                "city": "Oakland",
                "country": "US",
                "region": "CA",
                "postal_code": "94612",
            }
        ],
    )
    assert Location.objects.filter(pk=clinic).listable().count() == 0
    assert Location.objects.get(pk=clinic).sliding_scale is False  # a default
    with transaction.atomic():
        [license] = copy_rows(
            License,
            [
                {
                    "practitioner_id": stored.pk,
                    "country": "US",
                    "region": "CA",
                    "license_type": "L.Ac.",
                    "number": "AC-COPY-1",
                    "issued_on": today() - datetime.timedelta(days=30),
                    "expires_on": today() + datetime.timedelta(days=30),
                    "status": "verified",
                    "verified_on": today(),
                    "source": "https://search.dca.ca.gov/",
                }
            ],
        )
        copy_rows(
            VerificationEvent, [{"license_id": license, "to_status": "verified", "source": "t"}]
        )
    assert Location.objects.filter(pk=clinic).listable().count() == 1
    assert License.objects.get(pk=license).public_id is not None  # a callable default
    event = VerificationEvent.objects.get(license_id=license)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT transaction_id IS NOT NULL FROM directory_verificationevent WHERE id = %s",
            [event.pk],
        )
        assert cursor.fetchone() == (True,)  # stamped by the BEFORE INSERT trigger


def test_a_refused_row_refuses_the_whole_copy():
    PractitionerFactory(slug="taken")
    rows = [
        {"slug": "free", "first_name": "A", "last_name": "B"},
        {"slug": "taken", "first_name": "C", "last_name": "D"},
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        copy_rows(Practitioner, rows)

    assert not Practitioner.objects.filter(slug="free").exists()


def test_each_row_gets_its_own_callable_default_and_an_unknown_name_is_refused():
    practitioner = PractitionerFactory()
    rows = [
        {"practitioner_id": practitioner.pk, "country": "US", "region": "CA", "number": f"N{n}"}
        for n in range(2)
    ]
    keys = copy_rows(License, rows)
    assert len(set(License.objects.filter(pk__in=keys).values_list("public_id", flat=True))) == 2

    with pytest.raises(ValueError, match="Practitioner rows cannot set practitioner, id"):
        copy_rows(Practitioner, [{"practitioner": practitioner, "id": 1}])
