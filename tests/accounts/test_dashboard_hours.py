"""A practitioner types their clinic's opening hours on the dashboard: one plain text field
per weekday, no JavaScript; a mistake is a 400 naming the day, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest

pytestmark = pytest.mark.django_db

at = datetime.time


@pytest.fixture
def location(practitioner):
    return practitioner.locations.get()


def clinic_form(location, **hours) -> dict:
    return {
        "clinic_name": location.clinic_name,
        "address": location.address,
        "city": location.city,
        "jurisdiction": "US-CA",
        "postal_code": location.postal_code,
        "latitude": str(location.latitude),
        "longitude": str(location.longitude),
        **hours,
    }


def url(location) -> str:
    return f"/dashboard/profile/mei-chen/clinics/{location.pk}/"


def stored(location) -> list[tuple]:
    return list(location.opening_intervals.values_list("weekday", "opens", "closes"))


def test_hours_typed_per_day_are_saved_and_shown_again(owner_client, location):
    form = clinic_form(
        location,
        hours_mon="09:00-13:00, 14:00-18:00",
        hours_thu=" 12.00 – 20:00 ",
        hours_sat="10:00-14:00",
        hours_note="By appointment on Sundays",
    )
    response = owner_client.post(url(location), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(location) == [
        (0, at(9), at(13)),
        (0, at(14), at(18)),
        (3, at(12), at(20)),
        (5, at(10), at(14)),
    ]
    location.refresh_from_db()
    assert (location.hours_note, location.time_zone) == (
        "By appointment on Sundays",
        "America/Los_Angeles",
    )
    page = owner_client.get(url(location)).content.decode()
    assert "<legend>Opening hours</legend>" in page
    assert 'name="hours_mon" value="09:00-13:00, 14:00-18:00"' in page
    assert 'name="hours_thu" value="12:00-20:00"' in page
    assert 'name="hours_tue" maxlength="100" id="id_hours_tue"' in page  # empty: closed
    # Emptying every day removes the hours.
    assert owner_client.post(url(location), clinic_form(location)).status_code == 302
    assert stored(location) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9-5", "“9-5” is not a time range"),
        ("09:00-25:00", "is not a time range"),
        ("18:00-09:00", "the closing time must be later than the opening time"),
        ("09:00-13:00, 12:00-17:00", "09:00-13:00 and 12:00-17:00 overlap"),
        ("09:00-13:00; 14:00-18:00", "is not a time range"),
    ],
)
def test_hours_that_cannot_be_are_a_400_on_that_day_and_nothing_changes(
    owner_client, location, typed, message
):
    saved = owner_client.post(url(location), clinic_form(location, hours_fri="08:00-12:00"))
    assert saved.status_code == 302
    before = stored(location)
    form = clinic_form(location, hours_wed=typed, hours_fri="", hours_note="Changed")
    form["clinic_name"] = "Renamed"
    response = owner_client.post(url(location), form)
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"hours_wed"}
    assert message in response.content.decode()
    assert stored(location) == before == [(4, at(8), at(12))]
    location.refresh_from_db()
    assert (location.clinic_name, location.hours_note) != ("Renamed", "Changed")
