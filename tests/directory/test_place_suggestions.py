"""Place autocomplete forgives what the search forgives: names that start with what was
typed come first, then close spellings, through the gazetteer's indexes."""

from __future__ import annotations

import pytest

from directory import gazetteer
from directory.models import Place, PlaceKind

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/places/"


def labels(client, q: str) -> list[str]:
    response = client.get(PLACES, {"q": q})
    assert response.status_code == 200, response.json()
    return [place["label"] for place in response.json()["results"]]


def test_a_misspelt_city_is_suggested_as_the_search_finds_it(client):
    assert labels(client, "sydeny")[0] == "Sydney, New South Wales, Australia"
    assert labels(client, "Sydeny")[0] == "Sydney, New South Wales, Australia"
    # The search resolves the same text to the same place.
    assert gazetteer.find("sydeny").label == "Sydney, New South Wales, Australia"
    assert labels(client, "brookln")[0] == "Brooklyn, NY"
    assert labels(client, "melbourn, australia")[0] == "Melbourne, Victoria, Australia"


def test_names_that_start_with_the_text_come_before_close_spellings(client):
    for q in ["sydney", "portland, me", "brookl"]:
        found = labels(client, q)
        name = gazetteer.fold(q.split(",")[0])
        starts = [gazetteer.fold(label).startswith(name) for label in found]
        assert starts[0] and starts == sorted(starts, reverse=True), (q, found)
    # Only prefix matches when they fill the list: exactly what autocomplete gave before.
    assert len(labels(client, "san")) == 8
    assert all(gazetteer.fold(label).startswith("san") for label in labels(client, "san"))


def test_a_qualifier_narrows_close_spellings_too(client):
    found = labels(client, "sydeny, canada")
    assert found[0] == "Sydney, Nova Scotia, Canada"
    assert all(label.endswith(", Canada") for label in found)


def test_short_or_made_up_text_suggests_only_what_starts_with_it(client):
    assert labels(client, "xqzzyville") == []
    assert all(gazetteer.fold(label).startswith("syx") for label in labels(client, "syx"))


def plan(queryset) -> str:
    return queryset.explain()


def test_close_spellings_are_read_through_the_gazetteers_indexes():
    cities = Place.objects.filter(kind=PlaceKind.CITY)
    misspelt = plan(gazetteer.misspelt(cities, "sydeny")[:8])
    # The first letter and the lengths within two slips are one range of the spelling
    # index (directory_place_spelling), which holds the names whose slips are counted; the places
    # found are read by their key. No scan of every place, nor of every "s" city.
    assert "directory_place_spelling" in misspelt
    assert "directory_place_name_prefix" not in misspelt
    assert "Seq Scan" not in misspelt
    alike = plan(gazetteer.alike(cities, "saint pual")[:8])
    assert "directory_place_name_trgm" in alike
    assert "Seq Scan" not in alike
