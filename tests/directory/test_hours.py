"""Opening hours: a clinic's week in its own time zone (found from its coordinates), "open
now" read on that clock at one frozen instant, the evening and weekend filters, and every
refused value a 400 that names its field and saves nothing."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from directory import services
from directory.hours import DAY_CODES, Interval, Weekday
from directory.models import Location, OpeningInterval
from tests.factories import LicenseFactory, LocationFactory, owned_practitioner, today

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
at = datetime.time
WEEKDAYS_NINE_TO_SIX = [Interval(day, at(9), at(18)) for day in range(5)]
# Two US zones without daylight saving time, so the frozen instant means the same local
# hours on any date the suite runs on.
PHOENIX = ("AZ", 33.4484, -112.0740)  # UTC-7
HONOLULU = ("HI", 21.3069, -157.8583)  # UTC-10


def next_day(weekday: int) -> datetime.date:
    """The first such weekday after the frozen today."""
    day = today()
    return day + datetime.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def instant(weekday: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(next_day(weekday), at(hour, minute), tzinfo=UTC)


def clinic_in(place: tuple, slug: str, opening_hours: list[Interval], note: str = "") -> Location:
    """A listed practitioner's clinic at `place`, saved through the dashboard's service."""
    region, latitude, longitude = place
    practitioner = owned_practitioner(slug=slug)
    LicenseFactory(practitioner=practitioner, region=region)
    location = practitioner.locations.get()
    location.region, location.latitude, location.longitude = region, latitude, longitude
    location.city, location.postal_code, location.hours_note = slug.title(), "", note
    return services.location_save(location=location, opening_hours=opening_hours)


def card_status(client, near: str, slug: str) -> dict:
    answer = client.get("/api/v1/practitioners/", {"near": near}).json()
    (hit,) = [hit for hit in answer["results"] if hit["slug"] == slug]
    return hit["location"]["open_status"]


def test_the_time_zone_follows_the_coordinates(client):
    phoenix = clinic_in(PHOENIX, "phoenix", [])
    assert phoenix.time_zone == "America/Phoenix"
    phoenix.latitude, phoenix.longitude = HONOLULU[1:]
    services.location_save(location=phoenix)
    phoenix.refresh_from_db()
    assert phoenix.time_zone == "Pacific/Honolulu"


def test_open_now_is_read_on_each_clinics_own_clock(client, time_machine):
    clinic_in(PHOENIX, "phoenix", WEEKDAYS_NINE_TO_SIX)
    clinic_in(HONOLULU, "honolulu", WEEKDAYS_NINE_TO_SIX)
    phoenix_near, honolulu_near = "33.4484, -112.0740", "21.3069, -157.8583"

    # Monday 16:00 UTC: 09:00 in Phoenix, 06:00 in Honolulu.
    time_machine.move_to(instant(Weekday.MONDAY, 16), tick=False)
    assert card_status(client, phoenix_near, "phoenix") == {
        "open_now": True,
        "text": "Open now · closes 6:00 PM",
    }
    assert card_status(client, honolulu_near, "honolulu") == {
        "open_now": False,
        "text": "Opens today 9:00 AM",
    }
    page = client.get("/search/", {"near": phoenix_near}).content.decode()
    assert '<p class="open-status open-now">Open now · closes 6:00 PM</p>' in page
    profile = client.get("/practitioners/honolulu/").content.decode()
    assert '<p class="open-status">Opens today 9:00 AM</p>' in profile

    # Saturday 02:00 UTC: Friday 19:00 in Phoenix (closed until Monday), 16:00 in Honolulu.
    time_machine.move_to(instant(Weekday.SATURDAY, 2), tick=False)
    assert card_status(client, phoenix_near, "phoenix")["text"] == "Opens Monday 9:00 AM"
    assert card_status(client, honolulu_near, "honolulu")["text"] == "Open now · closes 6:00 PM"
    detail = client.get("/api/v1/practitioners/phoenix/").json()["locations"][0]
    assert detail["open_status"] == {"open_now": False, "text": "Opens Monday 9:00 AM"}


def test_open_now_keeps_local_time_across_daylight_saving(client, time_machine):
    """New York's offset from UTC changes in March and November; 17:30 on its own clock is
    within 09:00-18:00 whatever the season, and 18:00 is closing time."""
    clinic_in(("NY", 40.7128, -74.0060), "new-york", WEEKDAYS_NINE_TO_SIX)
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    tuesday = next_day(Weekday.TUESDAY)
    for shift_weeks in (0, 13, 26, 39):  # a quarter of a year apart: both offsets are met
        day = tuesday + datetime.timedelta(weeks=shift_weeks)
        time_machine.move_to(datetime.datetime.combine(day, at(17, 30), tzinfo=new_york))
        status = client.get("/api/v1/practitioners/new-york/").json()["locations"][0]
        assert status["open_status"]["text"] == "Open now · closes 6:00 PM", day
        time_machine.move_to(datetime.datetime.combine(day, at(18), tzinfo=new_york))
        status = client.get("/api/v1/practitioners/new-york/").json()["locations"][0]
        assert status["open_status"]["text"] == "Opens tomorrow 9:00 AM", day


def test_the_profile_shows_the_week_the_zone_and_the_note(client):
    week = [
        Interval(Weekday.MONDAY, at(9), at(13)),
        Interval(Weekday.MONDAY, at(14), at(18)),
        Interval(Weekday.SATURDAY, at(10), at(14)),
    ]
    clinic_in(PHOENIX, "phoenix", week, note="Closed on public holidays")
    page = client.get("/practitioners/phoenix/").content.decode()
    assert '<tr><th scope="row">Monday</th><td>9:00 AM–1:00 PM, 2:00 PM–6:00 PM</td></tr>' in page
    assert '<tr><th scope="row">Tuesday</th><td>Closed</td></tr>' in page
    assert '<tr><th scope="row">Saturday</th><td>10:00 AM–2:00 PM</td></tr>' in page
    assert "Local time (America/Phoenix)" in page
    # The practitioner's own words, shown as written in every language.
    assert '<p class="hours-note" translate="no">Closed on public holidays</p>' in page
    detail = client.get("/api/v1/practitioners/phoenix/").json()["locations"][0]
    assert detail["hours"] == [
        {"day": "mon", "opens": "09:00", "closes": "13:00"},
        {"day": "mon", "opens": "14:00", "closes": "18:00"},
        {"day": "sat", "opens": "10:00", "closes": "14:00"},
    ]
    assert (detail["hours_note"], detail["time_zone"]) == (
        "Closed on public holidays",
        "America/Phoenix",
    )


def test_a_clinic_without_hours_says_nothing_of_open_or_closed(client):
    clinic_in(PHOENIX, "by-appointment", [], note="By appointment only")
    page = client.get("/practitioners/by-appointment/").content.decode()
    assert '<p class="hours-note" translate="no">By appointment only</p>' in page
    assert "open-status" not in page and '<table class="hours">' not in page
    detail = client.get("/api/v1/practitioners/by-appointment/").json()["locations"][0]
    assert (detail["hours"], detail["open_status"]) == ([], None)
    card = client.get("/search/", {"near": "33.4484, -112.0740"}).content.decode()
    assert '<p class="open-status" translate="no">By appointment only</p>' in card


def test_search_filters_clinics_open_evenings_and_weekends(client):
    clinic_in(PHOENIX, "nine-to-five", [Interval(day, at(9), at(17)) for day in range(5)])
    clinic_in(PHOENIX, "late-thursday", [Interval(Weekday.THURSDAY, at(12), at(20))])
    clinic_in(PHOENIX, "saturday", [Interval(Weekday.SATURDAY, at(9), at(13))])
    clinic_in(PHOENIX, "sunday-evening", [Interval(Weekday.SUNDAY, at(16), at(19))])
    clinic_in(PHOENIX, "no-hours", [])

    def found(**filters) -> list[str]:
        answer = client.get("/api/v1/practitioners/", {"near": "85004", **filters})
        assert answer.status_code == 200, answer.json()
        return sorted(hit["slug"] for hit in answer.json()["results"])

    everyone = ["late-thursday", "nine-to-five", "no-hours", "saturday", "sunday-evening"]
    assert found() == everyone
    # Closing at 17:00 sharp is not an evening.
    assert found(open_evenings="true") == ["late-thursday", "sunday-evening"]
    assert found(open_weekends="true") == ["saturday", "sunday-evening"]
    assert found(open_evenings="true", open_weekends="true") == ["sunday-evening"]
    assert found(open_evenings="false") == everyone
    page = client.get("/search/", {"near": "85004", "open_weekends": "true"}).content.decode()
    assert "2 practitioners" in page
    assert 'name="open_evenings"' in page and "Open evenings (after 17:00)" in page


@pytest.mark.parametrize("name", ["open_evenings", "open_weekends"])
def test_a_filter_value_that_is_not_yes_or_no_is_refused(client, name):
    for path in ("/api/v1/practitioners/", "/search/"):
        response = client.get(path, {"near": "85004", name: "maybe"})
        assert response.status_code == 400
    answer = client.get("/api/v1/practitioners/", {"near": "85004", name: "maybe"}).json()
    assert answer["errors"] == {name: ["Use true or false."]}


# ---- /api/v1/me/locations/ ----


@pytest.fixture
def practitioner():
    return owned_practitioner(slug="mei-chen")


@pytest.fixture
def api(client, practitioner):
    client.force_login(practitioner.owner)
    return client


def patch(api, location, change):
    return api.patch(
        f"/api/v1/me/locations/{location.pk}/", change, content_type="application/json"
    )


def stored_hours(location) -> list[tuple]:
    return list(location.opening_intervals.values_list("weekday", "opens", "closes"))


def test_the_api_takes_the_week_and_replaces_it_whole(api, practitioner):
    location = practitioner.locations.get()
    week = [
        {"day": "tue", "opens": "09:00", "closes": "13:00"},
        {"day": "tue", "opens": "14:00", "closes": "19:30"},
        {"day": "sat", "opens": "10:00", "closes": "14:00"},
    ]
    response = patch(api, location, {"hours": week, "hours_note": "By appointment on Sundays"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["hours"] == week
    assert (body["hours_note"], body["time_zone"]) == (
        "By appointment on Sundays",
        "America/Los_Angeles",
    )
    assert stored_hours(location) == [
        (1, at(9), at(13)),
        (1, at(14), at(19, 30)),
        (5, at(10), at(14)),
    ]
    # Leaving `hours` out keeps them; an empty list removes them.
    assert patch(api, location, {"clinic_name": "Renamed"}).json()["hours"] == week
    assert patch(api, location, {"hours": []}).json()["hours"] == []
    assert stored_hours(location) == []
    listed = api.get("/api/v1/me/locations/").json()
    assert listed[0]["hours"] == [] and listed[0]["time_zone"] == "America/Los_Angeles"


@pytest.mark.parametrize(
    "hours",
    [
        [{"day": "tue", "opens": "18:00", "closes": "09:00"}],
        [{"day": "tue", "opens": "09:00", "closes": "09:00"}],
        [{"day": "funday", "opens": "09:00", "closes": "17:00"}],
        [{"day": "tue", "opens": "9am", "closes": "17:00"}],
        [{"day": "tue", "opens": "09:00", "closes": "24:00"}],
        [{"day": "tue", "opens": 900, "closes": "17:00"}],
        [{"day": "tue", "opens": "09:00"}],
        [{"day": "tue", "opens": "09:00", "closes": "17:00", "lunch": "12:00"}],
        [
            {"day": "tue", "opens": "09:00", "closes": "13:00"},
            {"day": "tue", "opens": "12:00", "closes": "17:00"},
        ],
        "Mo-Fr 09:00-17:00",
        {"day": "tue"},
        [None],
        [  # 71 intervals, none overlapping: more than MAX_INTERVALS
            {"day": DAY_CODES[n % 7], "opens": f"{n // 7:02}:00", "closes": f"{n // 7:02}:30"}
            for n in range(71)
        ],
    ],
)
def test_hours_that_cannot_be_are_refused_and_nothing_changes(api, practitioner, hours):
    location = practitioner.locations.get()
    kept = [Interval(Weekday.MONDAY, at(9), at(17))]
    services.location_save(location=location, opening_hours=kept)
    response = patch(api, location, {"hours": hours, "clinic_name": "Renamed"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["hours"], response.json()
    assert stored_hours(location) == [(0, at(9), at(17))]
    assert practitioner.locations.get().clinic_name != "Renamed"


def test_a_note_too_long_is_refused_and_a_time_zone_sent_is_not_taken(api, practitioner):
    location = practitioner.locations.get()
    response = patch(api, location, {"hours_note": "x" * 201})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["hours_note"]
    location.refresh_from_db()
    assert location.hours_note == ""
    # Read-only, as geocode_precision is: the zone is where the clinic stands.
    response = patch(api, location, {"time_zone": "Europe/Paris"})
    assert response.status_code == 200
    assert response.json()["time_zone"] == "America/Los_Angeles"
    location.refresh_from_db()
    assert location.time_zone == "America/Los_Angeles"


def test_a_new_clinic_is_created_with_its_hours(api, practitioner):
    response = api.post(
        "/api/v1/me/locations/",
        {
            "clinic_name": "Harbour Clinic",
            "city": "San Francisco",
            "jurisdiction": "US-CA",
            "latitude": 37.79,
            "longitude": -122.39,
            "hours": [{"day": "wed", "opens": "08:00", "closes": "12:00"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = practitioner.locations.get(clinic_name="Harbour Clinic")
    assert stored_hours(created) == [(2, at(8), at(12))]
    assert created.time_zone == "America/Los_Angeles"


# ---- The database's own rules ----


def test_the_database_refuses_an_interval_that_closes_before_it_opens():
    location = LocationFactory(practitioner=owned_practitioner())
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningInterval.objects.create(location=location, weekday=0, opens=at(18), closes=at(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningInterval.objects.create(location=location, weekday=7, opens=at(9), closes=at(18))
    assert not OpeningInterval.objects.filter(location=location).exists()


def test_the_database_refuses_overlapping_hours_written_straight_through_the_orm():
    location = LocationFactory(practitioner=owned_practitioner())
    other = LocationFactory(practitioner=location.practitioner)
    OpeningInterval.objects.create(location=location, weekday=0, opens=at(9), closes=at(13))
    # Meeting at 13:00 is not overlapping; neither is another day or another clinic.
    OpeningInterval.objects.create(location=location, weekday=0, opens=at(13), closes=at(18))
    OpeningInterval.objects.create(location=location, weekday=1, opens=at(12), closes=at(18))
    OpeningInterval.objects.create(location=other, weekday=0, opens=at(12), closes=at(18))
    for opens, closes in [(at(12), at(14)), (at(8), at(19)), (at(10), at(11))]:
        with (
            pytest.raises(IntegrityError, match="directory_opening_interval_no_overlap"),
            transaction.atomic(),
        ):
            OpeningInterval.objects.create(location=location, weekday=0, opens=opens, closes=closes)
    moved = OpeningInterval.objects.get(location=location, weekday=1)
    moved.weekday = 0
    with (
        pytest.raises(IntegrityError, match="directory_opening_interval_no_overlap"),
        transaction.atomic(),
    ):
        moved.save()
    assert stored_hours(location) == [(0, at(9), at(13)), (0, at(13), at(18)), (1, at(12), at(18))]


def test_model_validation_reports_overlapping_hours_as_a_message():
    """What the admin's form runs before saving: a message for the clinic's editor."""
    location = LocationFactory(practitioner=owned_practitioner())
    OpeningInterval.objects.create(location=location, weekday=4, opens=at(9), closes=at(13))
    overlapping = OpeningInterval(location=location, weekday=4, opens=at(12), closes=at(18))
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert refused.value.messages == ["Opening hours on the same day must not overlap."]
    OpeningInterval(location=location, weekday=4, opens=at(13), closes=at(18)).full_clean()


def test_the_migration_merges_overlapping_hours_written_before_the_rule():
    """Rows from before the constraint that overlap become one stretch per overlap (stretches
    that only meet stay apart), after which the constraint can be added."""
    location = LocationFactory(practitioner=owned_practitioner())
    other = LocationFactory(practitioner=location.practitioner)
    constraint = next(
        constraint
        for constraint in OpeningInterval._meta.constraints
        if constraint.name == "directory_opening_interval_no_overlap"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(OpeningInterval, constraint)
    rows = [
        (location, 0, at(9), at(13)),
        (location, 0, at(12), at(18)),
        (location, 0, at(17), at(19)),
        (location, 0, at(19), at(21)),  # meets the merged stretch: kept apart
        (location, 1, at(8), at(12)),
        (location, 1, at(9), at(10)),  # inside another
        (location, 2, at(9), at(12)),
        (other, 0, at(10), at(11)),
    ]
    OpeningInterval.objects.bulk_create(
        OpeningInterval(location=clinic, weekday=day, opens=opens, closes=closes)
        for clinic, day, opens, closes in rows
    )
    migration = importlib.import_module("directory.migrations.0025_opening_hours_never_overlap")
    migration.merge_overlapping_hours(django_apps, None)
    with connection.cursor() as cursor:  # the foreign keys' checks, before ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.add_constraint(OpeningInterval, constraint)
    assert stored_hours(location) == [
        (0, at(9), at(19)),
        (0, at(19), at(21)),
        (1, at(8), at(12)),
        (2, at(9), at(12)),
    ]
    assert stored_hours(other) == [(0, at(10), at(11))]
