"""The listing rule: a location is public only while its practitioner is published and
holds a verified license, in force today, for that location's jurisdiction."""

from __future__ import annotations

import datetime

import pytest

from credentialing.models import CredentialStatus
from directory.models import Location, Practitioner
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory, today

pytestmark = pytest.mark.django_db


def make_location(*, published: bool = True, **license_fields) -> Location:
    practitioner = PractitionerFactory(published=published)
    location = LocationFactory(practitioner=practitioner)  # San Francisco, US-CA
    LicenseFactory(practitioner=practitioner, **license_fields)
    return location


def listable_ids() -> set[int]:
    return set(Location.objects.listable().values_list("pk", flat=True))


def test_verified_license_in_force_for_the_state_lists_the_location():
    location = make_location()
    assert listable_ids() == {location.pk}
    assert list(Practitioner.objects.listable()) == [location.practitioner]


@pytest.mark.parametrize(
    ("published", "license_fields"),
    [
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
    ],
)
def test_each_way_to_fail_the_rule_hides_the_location(published, license_fields):
    # Dates are given as offsets and resolved here, from the frozen today, not at collection.
    fields = {
        name: today() + value if isinstance(value, datetime.timedelta) else value
        for name, value in license_fields.items()
    }
    location = make_location(published=published, **fields)
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
