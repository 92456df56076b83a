"""The triggers behind `listing_days` keep the listing rule exact however the data
changes: compared, after every change, with the rule computed directly from the rows."""

from __future__ import annotations

import datetime
import json
import random
import re

import pytest
from django.db import connection, transaction

from credentialing.models import CredentialStatus, License
from credentialing.source_models import ExclusionMatch
from directory.models import Location, Practitioner
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    force_status,
    today,
)

pytestmark = pytest.mark.django_db

REGIONS = ["CA", "NY", "OR"]
STATUSES = list(CredentialStatus)


def by_the_rule(day: datetime.date) -> set[int]:
    """The listing rule read straight from practitioners and licenses."""
    listed = set()
    for location in Location.objects.select_related("practitioner"):
        practitioner = location.practitioner
        if not practitioner.published:
            continue
        if practitioner.npi_deactivated_on is not None and day >= practitioner.npi_deactivated_on:
            continue
        if any(
            match.status in {"excluded", "confirmed", "reinstated"}
            and match.delisted_from is not None
            and match.delisted_from <= day
            and (match.reinstated_on is None or day < match.reinstated_on)
            for match in ExclusionMatch.objects.filter(practitioner=practitioner)
        ):
            continue
        for license in License.objects.filter(practitioner=location.practitioner_id):
            if (
                license.status == CredentialStatus.VERIFIED
                and license.country == location.country
                and license.region in {"", location.region}
                and (license.issued_on is None or license.issued_on <= day)
                and day <= license.expires_on
            ):
                listed.add(location.pk)
    return listed


def assert_rule_holds(after: str = "") -> None:
    for offset in (-400, -1, 0, 1, 30, 400):
        day = today() + datetime.timedelta(days=offset)
        listed = set(Location.objects.listable(on=day).values_list("pk", flat=True))
        assert listed == by_the_rule(day), f"listing days disagree on {day} {after}"


def random_dates(rng: random.Random) -> dict:
    issued = today() + datetime.timedelta(days=rng.randint(-800, 60))
    expires = issued + datetime.timedelta(days=rng.randint(1, 900))
    return {"issued_on": rng.choice([issued, None]), "expires_on": expires}


def test_listing_days_follow_every_kind_of_change():
    rng = random.Random(42)
    practitioners = [PractitionerFactory(published=rng.random() < 0.8) for _ in range(6)]
    for practitioner in practitioners:
        for _ in range(rng.randint(1, 2)):
            LocationFactory(practitioner=practitioner, region=rng.choice(REGIONS))
    assert_rule_holds()

    for step in range(80):
        practitioner = rng.choice(practitioners)
        action = rng.choice(
            [
                "add",
                "status",
                "dates",
                "jurisdiction",
                "publish",
                "npi-deactivation",
                "exclusion",
                "move-clinic",
                "move",
                "delete",
            ]
        )
        licenses = list(License.objects.all())
        if action == "add" or not licenses:
            LicenseFactory(
                practitioner=practitioner,
                region=rng.choice([*REGIONS, ""]),
                status=rng.choice(STATUSES),
                **random_dates(rng),
            )
        elif action == "status":  # any move, with the event the database requires
            force_status([rng.choice(licenses)], rng.choice(STATUSES))
        elif action == "dates":
            license = rng.choice(licenses)
            for name, value in random_dates(rng).items():
                setattr(license, name, value)
            license.save()
        elif action == "jurisdiction":
            License.objects.filter(pk=rng.choice(licenses).pk).update(
                region=rng.choice([*REGIONS, ""])
            )
        elif action == "publish":
            Practitioner.objects.filter(pk=practitioner.pk).update(published=rng.random() < 0.5)
        elif action == "npi-deactivation":  # deactivated on some day, or reactivated
            deactivated = today() + datetime.timedelta(days=rng.randint(-30, 30))
            Practitioner.objects.filter(pk=practitioner.pk).update(
                npi_deactivated_on=rng.choice([deactivated, None])
            )
        elif action == "exclusion":  # a match found, decided, reinstated or removed
            match = ExclusionMatch.objects.filter(practitioner=practitioner).first()
            start = today() + datetime.timedelta(days=rng.randint(-30, 30))
            end = rng.choice([None, start + datetime.timedelta(days=rng.randint(1, 60))])
            fields = {
                "status": rng.choice(["excluded", "possible", "confirmed", "reinstated"]),
                "delisted_from": rng.choice([start, None]),
                "reinstated_on": end,
            }
            if match is None:
                ExclusionMatch.objects.create(
                    practitioner=practitioner, entry_name="X", excluded_on=start, **fields
                )
            elif rng.random() < 0.2:
                match.delete()
            else:
                ExclusionMatch.objects.filter(pk=match.pk).update(**fields)
        elif action == "move-clinic":
            location = rng.choice(list(Location.objects.all()))
            location.region = rng.choice(REGIONS)
            location.save()
        elif action == "move":  # a license reassigned to another practitioner
            License.objects.filter(pk=rng.choice(licenses).pk).update(practitioner=practitioner)
        else:  # the log keeps a credential it mentions: only unlogged ones can go
            unlogged = [license for license in licenses if not license.events.exists()]
            if unlogged:
                rng.choice(unlogged).delete()
        assert_rule_holds(after=f"after step {step}: {action}")


def test_a_client_cannot_write_listing_days_directly():
    location = LocationFactory()
    LicenseFactory(practitioner=location.practitioner)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_location SET listing_days = '{[2000-01-01,2999-01-01]}' "
            "WHERE id = %s",
            [location.pk],
        )
    force_status(License.objects.all(), CredentialStatus.REVOKED)
    assert not Location.objects.listable().exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_location SET listing_days = '{[2000-01-01,2999-01-01]}' "
            "WHERE id = %s",
            [location.pk],
        )
    assert not Location.objects.listable().exists()


def test_the_listing_days_look_up_goes_through_the_practitioners_verified_licenses():
    """The licensed-days clause of the listing rule, planned among indexes only (a handful of rows
    would otherwise be read whole): the cheapest path is the partial index on (practitioner,
    country) declared beside the function in directory/sql/listing_rule.sql, not the unique
    (country, region, ...) index through which PostgreSQL 15, planning a bulk load before
    ANALYZE, read every license of a state for each location."""
    practitioner = PractitionerFactory()
    for region in ["CA", "NY", "OR"]:
        LicenseFactory(practitioner=practitioner, region=region)
    # A state's worth of other licensees, as in a real directory: reading the state's
    # licenses is then plainly the wrong path.
    other = PractitionerFactory()
    License.objects.bulk_create(
        LicenseFactory.build(practitioner=other, number=f"OTHER{n:04d}") for n in range(400)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'directory_listing_licensed_days'"
        )
        (body,) = cursor.fetchone()
        # As the function sees them: a bigint practitioner id (a bare parameter would be
        # bound as the smallest integer type, which plans differently), two varchar codes.
        query = (
            body.replace("$1", "%(practitioner)s::bigint")
            .replace("$2", "'US'::varchar")
            .replace("$3", "'CA'::varchar")
        )
        # Statistics of this test's rows, not of whatever earlier tests left in the table
        # (deleted rows' pages tip the estimate between two near-equal index paths).
        cursor.execute("ANALYZE directory_license")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {query}", {"practitioner": practitioner.pk})
        plan = json.dumps(cursor.fetchone()[0])
    # Through an index on the practitioner (the partial one of listing_rule.sql, or the foreign
    # key's when the statistics favour it), never the state's licenses.
    assert re.search(r'"Index Cond": "\(practitioner_id = ', plan), plan
    assert "directory_license_number_unique" not in plan
