"""The "open now" filter (search page and API): a clinic's hours read on its own clock at
one frozen instant, agreeing with the "Open now" its card shows."""

from __future__ import annotations

import pytest

from directory.hours import Interval, Weekday
from tests.directory.test_hours import (
    HONOLULU,
    PHOENIX,
    WEEKDAYS_NINE_TO_SIX,
    at,
    clinic_in,
    instant,
)

pytestmark = pytest.mark.django_db

NEAR_PHOENIX, NEAR_HONOLULU = "33.4484, -112.0740", "21.3069, -157.8583"


@pytest.fixture
def clinics():
    clinic_in(PHOENIX, "phoenix", WEEKDAYS_NINE_TO_SIX)
    clinic_in(PHOENIX, "phoenix-saturdays", [Interval(Weekday.SATURDAY, at(9), at(13))])
    clinic_in(PHOENIX, "phoenix-no-hours", [])
    clinic_in(HONOLULU, "honolulu", WEEKDAYS_NINE_TO_SIX)


def open_now(client, near: str) -> list[str]:
    answer = client.get("/api/v1/practitioners/", {"near": near, "open_now": "true"})
    assert answer.status_code == 200, answer.json()
    hits = answer.json()["results"]
    # Whatever the filter keeps, its card says "Open now" too.
    assert all(hit["location"]["open_status"]["open_now"] for hit in hits)
    return sorted(hit["slug"] for hit in hits)


def test_open_now_reads_each_clinics_own_clock(client, clinics, time_machine):
    # Monday 16:00 UTC: 09:00 in Phoenix (opening), 06:00 in Honolulu (not yet).
    time_machine.move_to(instant(Weekday.MONDAY, 16), tick=False)
    assert open_now(client, NEAR_PHOENIX) == ["phoenix"]
    assert open_now(client, NEAR_HONOLULU) == []

    # Saturday 02:00 UTC: Friday 19:00 in Phoenix (closed), 16:00 in Honolulu (open).
    time_machine.move_to(instant(Weekday.SATURDAY, 2), tick=False)
    assert open_now(client, NEAR_PHOENIX) == []
    assert open_now(client, NEAR_HONOLULU) == ["honolulu"]

    # Saturday 17:00 UTC: Saturday 10:00 in Phoenix.
    time_machine.move_to(instant(Weekday.SATURDAY, 17), tick=False)
    assert open_now(client, NEAR_PHOENIX) == ["phoenix-saturdays"]


def test_closing_time_is_closed_and_the_filter_off_keeps_everyone(client, clinics, time_machine):
    # Tuesday 01:00 UTC is Monday 18:00 in Phoenix: closing time, so closed.
    time_machine.move_to(instant(Weekday.TUESDAY, 1), tick=False)
    assert open_now(client, NEAR_PHOENIX) == []
    time_machine.move_to(instant(Weekday.TUESDAY, 0, 59), tick=False)
    assert open_now(client, NEAR_PHOENIX) == ["phoenix"]
    everyone = client.get("/api/v1/practitioners/", {"near": NEAR_PHOENIX, "open_now": "false"})
    assert len(everyone.json()["results"]) == 3


def test_the_search_page_has_the_filter(client, clinics, time_machine):
    time_machine.move_to(instant(Weekday.MONDAY, 16), tick=False)
    page = client.get("/search/", {"near": NEAR_PHOENIX, "open_now": "true"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 practitioner " in html and "/practitioners/phoenix/" in html
    assert 'name="open_now"' in html and ">Open now</label>" in html
    refused = client.get("/search/", {"near": NEAR_PHOENIX, "open_now": "maybe"})
    assert refused.status_code == 400
    answer = client.get("/api/v1/practitioners/", {"near": NEAR_PHOENIX, "open_now": "maybe"})
    assert answer.json()["errors"] == {"open_now": ["Use true or false."]}
