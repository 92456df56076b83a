"""Result cards kept rendered under the directory's stamp (directory.views.search): a clinic
that turns up in another search is not rendered again, and a change to what the card shows,
its language or the clinic's open status renders it anew at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.hours import Weekday
from tests.directory.test_hours import PHOENIX, WEEKDAYS_NINE_TO_SIX, clinic_in, instant

pytestmark = pytest.mark.django_db

CARD = "directory/includes/result_card.html"
NEAR_PHOENIX = "33.4484, -112.0740"


@pytest.fixture(autouse=True)
def card_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def clinic(time_machine):
    time_machine.move_to(instant(Weekday.MONDAY, 17), tick=False)  # 10:00 in Phoenix: open
    return clinic_in(PHOENIX, "phoenix", WEEKDAYS_NINE_TO_SIX)


def search(client, radius: int, prefix: str = "") -> tuple[str, int]:
    """The one card the search shows, and how many cards were rendered for it. Each search
    asks for another radius, so the whole page is never the cached one."""
    response = client.get(f"{prefix}/search/", {"near": NEAR_PHOENIX, "radius": radius})
    assert response.status_code == 200
    (card,) = re.findall(r'<article class="result-card".*?</article>', response.text, re.S)
    return card, sum(template.name == CARD for template in response.templates)


def test_a_card_shown_again_is_not_rendered_again(client, clinic):
    with CaptureQueriesContext(connection) as first:
        card, rendered = search(client, 10)
    assert rendered == 1
    assert "Phoenix" in card and "Open now" in card
    assert "License verified · US-AZ" in card
    assert reads_licenses(first)  # the card's details were loaded

    with CaptureQueriesContext(connection) as second:
        assert search(client, 20) == (card, 0)
    assert not reads_licenses(second)  # a kept card needs no details
    assert search(client, 30) == (card, 0)


def reads_licenses(queries: CaptureQueriesContext) -> bool:
    return any('FROM "directory_license"' in query["sql"] for query in queries.captured_queries)


def test_a_change_to_the_clinic_shows_in_the_next_search(client, clinic):
    search(client, 10)
    clinic.clinic_name = "Desert Needle Clinic"
    clinic.save()  # moves the directory version

    card, rendered = search(client, 20)
    assert rendered == 1
    assert "Desert Needle Clinic" in card


def test_each_language_has_its_own_card(client, clinic):
    english, _ = search(client, 10)
    spanish, rendered = search(client, 20, prefix="/es")
    assert rendered == 1
    assert "Licencia verificada" in spanish
    assert "License verified" in english


def test_a_card_follows_the_clinics_open_status(client, clinic, time_machine):
    # The same day (so the same stamp) an hour and a half earlier: 08:30 in Phoenix.
    time_machine.move_to(instant(Weekday.MONDAY, 15, 30), tick=False)
    closed_card, _ = search(client, 10)
    assert "open-now" not in closed_card

    time_machine.move_to(instant(Weekday.MONDAY, 17), tick=False)  # 10:00: open
    open_card, rendered = search(client, 20)
    assert rendered == 1
    assert "open-now" in open_card


def test_without_the_page_cache_every_card_is_rendered(client, clinic, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert search(client, 10)[1] == 1
    assert search(client, 20)[1] == 1
