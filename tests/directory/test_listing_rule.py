"""The listing rule: a location is public only while its practitioner is published and
holds a verified license, in force today, for that location's jurisdiction (and, with
REVERIFY_ENFORCE, confirmed by a primary source within REVERIFY_AFTER_DAYS)."""

from __future__ import annotations

import datetime
import random

import pytest

from credentialing.models import CredentialStatus, License
from directory.models import Location, Practitioner
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory, today

pytestmark = pytest.mark.django_db


def make_location(*, published: bool = True, **license_fields) -> Location:
    practitioner = PractitionerFactory(published=published)
    location = LocationFactory(practitioner=practitioner)  # San Francisco, US-CA
    LicenseFactory(practitioner=practitioner, **license_fields)
    return location


def resolve(license_fields: dict) -> dict:
    """Dates are given as offsets and resolved here, from the frozen today, not at collection."""
    return {
        name: today() + value if isinstance(value, datetime.timedelta) else value
        for name, value in license_fields.items()
    }


def listable_ids() -> set[int]:
    return set(Location.objects.listable().values_list("pk", flat=True))


def test_verified_license_in_force_for_the_state_lists_the_location():
    location = make_location()
    assert listable_ids() == {location.pk}
    assert list(Practitioner.objects.listable()) == [location.practitioner]


# Every way the rule can fail, as (published, license fields): shared with the dashboard's
# checklist test (tests/directory/test_listing_checklist.py), which must agree on each.
FAILURES = [
    pytest.param(False, {}, id="unpublished"),
    pytest.param(True, {"status": CredentialStatus.PENDING}, id="pending"),
    pytest.param(True, {"status": CredentialStatus.REJECTED}, id="rejected"),
    pytest.param(True, {"status": CredentialStatus.REVOKED}, id="revoked"),
    pytest.param(
        True,
        {"expires_on": datetime.timedelta(days=-1)},
        id="expired-yesterday",
    ),
    pytest.param(True, {"region": "NY"}, id="license-in-another-state"),
    pytest.param(True, {"country": "CA", "region": ""}, id="national-license-elsewhere"),
    pytest.param(True, {"issued_on": datetime.timedelta(days=1)}, id="not-yet-in-force"),
]


@pytest.mark.parametrize(("published", "license_fields"), FAILURES)
def test_each_way_to_fail_the_rule_hides_the_location(published, license_fields):
    location = make_location(published=published, **resolve(license_fields))
    assert listable_ids() == set()
    assert not Practitioner.objects.listable().filter(pk=location.practitioner_id).exists()


def test_license_expiring_today_still_lists():
    location = make_location(expires_on=today())
    assert listable_ids() == {location.pk}


def test_expiry_is_evaluated_on_the_day_asked():
    location = make_location(expires_on=today())
    tomorrow = today() + datetime.timedelta(days=1)
    assert set(Location.objects.listable(on=tomorrow).values_list("pk", flat=True)) == set()
    assert set(Location.objects.listable(on=today()).values_list("pk", flat=True)) == {location.pk}


def test_national_register_covers_every_location_in_its_country():
    practitioner = PractitionerFactory()
    london = LocationFactory(
        practitioner=practitioner, city="London", region="ENG", country="GB", postal_code="W1"
    )
    edinburgh = LocationFactory(
        practitioner=practitioner, city="Edinburgh", region="SCT", country="GB", postal_code="EH1"
    )
    LicenseFactory(practitioner=practitioner, country="GB", region="", license_type="BAcC")
    assert listable_ids() == {london.pk, edinburgh.pk}


def test_only_the_locations_in_licensed_jurisdictions_are_listed():
    practitioner = PractitionerFactory()
    california = LocationFactory(practitioner=practitioner)
    oregon = LocationFactory(
        practitioner=practitioner, city="Portland", region="OR", postal_code="97205"
    )
    LicenseFactory(practitioner=practitioner)  # US-CA only
    assert listable_ids() == {california.pk}
    LicenseFactory(practitioner=practitioner, region="OR")
    assert listable_ids() == {california.pk, oregon.pk}


def test_another_practitioners_license_does_not_count():
    location = make_location(status=CredentialStatus.PENDING)
    LicenseFactory()  # someone else's verified California license
    assert listable_ids() == set()
    assert location.pk not in listable_ids()


def test_listable_is_chainable():
    location = make_location()
    make_location(status=CredentialStatus.PENDING)
    assert list(Location.objects.filter(city="San Francisco").listable().order_by("pk")) == [
        location
    ]
    assert list(Location.objects.listable().filter(city="Elsewhere")) == []


# ---- Re-verification enforced (REVERIFY_ENFORCE): the license that covers must also have
# been confirmed by a primary source within REVERIFY_AFTER_DAYS. ----


def confirmed_days_ago(days: int | None) -> dict:
    return {"verified_on": None if days is None else today() - datetime.timedelta(days=days)}


@pytest.mark.parametrize(("days", "listed"), [(365, True), (366, False), (None, False)])
def test_with_enforcement_an_overdue_license_stops_counting(settings, days, listed):
    location = make_location(**confirmed_days_ago(days))
    assert listable_ids() == {location.pk}  # off by default: the license still counts
    settings.REVERIFY_ENFORCE = True
    assert listable_ids() == ({location.pk} if listed else set())
    assert Practitioner.objects.listable().filter(pk=location.practitioner_id).exists() is listed


def test_with_enforcement_the_day_asked_decides_too(settings):
    settings.REVERIFY_ENFORCE = True
    location = make_location(**confirmed_days_ago(365))
    tomorrow = today() + datetime.timedelta(days=1)
    assert set(Location.objects.listable(on=today()).values_list("pk", flat=True)) == {location.pk}
    assert set(Location.objects.listable(on=tomorrow).values_list("pk", flat=True)) == set()


def test_with_enforcement_the_fresh_license_must_be_the_one_in_force_here(settings):
    settings.REVERIFY_ENFORCE = True
    # Overdue but in force here; fresh but expired; fresh but for another state: none lists.
    location = make_location(**confirmed_days_ago(500))
    practitioner = location.practitioner
    LicenseFactory(
        practitioner=practitioner,
        license_type="Dipl. Ac.",
        expires_on=today() - datetime.timedelta(days=1),
        **confirmed_days_ago(1),
    )
    LicenseFactory(practitioner=practitioner, region="NY", **confirmed_days_ago(1))
    assert listable_ids() == set()
    # A fresh national license for the country would cover it.
    LicenseFactory(practitioner=practitioner, region="", **confirmed_days_ago(1))
    assert listable_ids() == {location.pk}


def test_with_enforcement_the_rule_matches_an_independent_reading(settings):
    """Random licenses, compared with the rule computed straight from the rows."""
    settings.REVERIFY_ENFORCE = True
    settings.REVERIFY_AFTER_DAYS = 200
    rng = random.Random(11)
    locations = []
    for _ in range(8):
        practitioner = PractitionerFactory(published=rng.random() < 0.85)
        locations.append(LocationFactory(practitioner=practitioner))
        for _ in range(rng.randint(0, 3)):
            LicenseFactory(
                practitioner=practitioner,
                region=rng.choice(["CA", "OR", ""]),
                license_type=rng.choice(["L.Ac.", "Dipl. Ac.", "R.Ac."]),
                status=rng.choice(list(CredentialStatus)),
                expires_on=today() + datetime.timedelta(days=rng.randint(-60, 400)),
                **confirmed_days_ago(rng.choice([None, 0, 150, 199, 200, 201, 260, 500])),
            )

    def by_the_rule(day: datetime.date) -> set[int]:
        listed = set()
        for location in locations:
            for license in License.objects.filter(practitioner=location.practitioner_id):
                if (
                    location.practitioner.published
                    and license.status == CredentialStatus.VERIFIED
                    and license.country == location.country
                    and license.region in {"", location.region}
                    and license.issued_on <= day <= license.expires_on
                    and license.verified_on is not None
                    and (day - license.verified_on).days <= 200
                ):
                    listed.add(location.pk)
        return listed

    for offset in (-30, 0, 1, 60):
        day = today() + datetime.timedelta(days=offset)
        assert set(Location.objects.listable(on=day).values_list("pk", flat=True)) == (
            by_the_rule(day)
        ), day
    assert by_the_rule(today())  # the sample lists someone and hides someone
    assert by_the_rule(today()) != {location.pk for location in locations}


def test_with_enforcement_an_overdue_practitioner_is_gone_from_every_public_place(client, settings):
    location = make_location(**confirmed_days_ago(400))
    slug = location.practitioner.slug
    places = [
        f"/practitioners/{slug}/",
        f"/api/v1/practitioners/{slug}/",
        f"/fhir/Practitioner/{slug}",
    ]
    assert [client.get(place).status_code for place in places] == [200, 200, 200]
    search = client.get("/api/v1/practitioners/", {"near": "37.7749,-122.4194"}).json()
    assert [result["slug"] for result in search["results"]] == [slug]

    settings.REVERIFY_ENFORCE = True

    # FHIR answers 410 Gone for a practitioner it once listed, as for any delisting.
    assert [client.get(place).status_code for place in places] == [404, 404, 410]
    search = client.get("/api/v1/practitioners/", {"near": "37.7749,-122.4194"}).json()
    assert search["results"] == []
