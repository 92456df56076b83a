"""What patients type, and where it must land: real-world inputs resolved against the
gazetteer the tests load (the packages' own data), each within a few kilometres of the
place it most plausibly means, or refused with a message that says what works. The first
place suggested for the same text is always the place the search chooses."""

from __future__ import annotations

import math

import pytest

from directory import gazetteer, geocoding

pytestmark = pytest.mark.django_db

TOLERANCE_KM = 5

# text, expected (latitude, longitude), and a part of the label that proves the meaning.
PLACED = [
    # Street addresses: by the ZIP code inside, else the town and state.
    ("350 5th Ave, New York, NY 10118", (40.7486, -73.9864), "10118 New York, NY"),
    ("123 Main St, Portland, OR 97205", (45.5207, -122.6880), "97205 Portland, OR"),
    ("1600 Pennsylvania Avenue NW, Washington, DC 20500-0003", (38.8977, -77.0365), "20500"),
    ("123 Main St, Portland, OR", (45.5234, -122.6762), "Portland, OR"),
    ("123 Main St, Portland, OR 00000", (45.5234, -122.6762), "Portland, OR"),  # no such ZIP
    ("500 Market Street San Francisco CA", (37.7749, -122.4194), "San Francisco, CA"),
    ("221B Baker Street, London NW1 6XE", (51.5237, -0.1585), "NW1 6XE"),
    # Nicknames and variants.
    ("NYC", (40.7128, -74.0060), "New York City, NY"),
    ("LA", (34.0522, -118.2437), "Los Angeles, CA"),
    ("SF", (37.7749, -122.4194), "San Francisco, CA"),
    ("san fran", (37.7749, -122.4194), "San Francisco, CA"),
    ("DC", (38.8951, -77.0364), "Washington, DC"),
    ("Philly", (39.9524, -75.1636), "Philadelphia, PA"),
    ("Vegas", (36.1750, -115.1372), "Las Vegas, NV"),
    ("NOLA", (29.9547, -90.0751), "New Orleans, LA"),
    ("St Louis", (38.6273, -90.1979), "St. Louis, MO"),
    ("Saint Paul, Minnesota", (44.9444, -93.0933), "Saint Paul, MN"),
    ("Ft Lauderdale", (26.1223, -80.1434), "Fort Lauderdale, FL"),
    # A region or country after a comma, or without one.
    ("Portland Maine", (43.6615, -70.2553), "Portland, ME"),
    ("Portland, ME", (43.6615, -70.2553), "Portland, ME"),
    ("Portland OR", (45.5234, -122.6762), "Portland, OR"),
    ("Seattle, Washington", (47.6062, -122.3321), "Seattle, WA"),
    ("Kansas City MO", (39.0997, -94.5786), "Kansas City, MO"),
    ("Springfield, IL", (39.8017, -89.6437), "Springfield, IL"),
    ("Dublin, Ireland", (53.3331, -6.2489), "Dublin"),
    # Misspellings.
    ("Chicgo", (41.8500, -87.6500), "Chicago, IL"),
    ("Pittsburg, PA", (40.4406, -79.9959), "Pittsburgh, PA"),
    ("Philadelpia", (39.9524, -75.1636), "Philadelphia, PA"),
    ("sydeny", (-33.8679, 151.2073), "Sydney"),
    # Plain names, largest first (and in the directory's country among near equals).
    ("Portland", (45.5234, -122.6762), "Portland, OR"),
    ("Springfield", (37.2153, -93.2982), "Springfield, MO"),
    ("London", (51.5085, -0.1257), "London, England"),
    ("Toronto", (43.7001, -79.4163), "Toronto"),
    ("Brooklyn", (40.6501, -73.9496), "Brooklyn, NY"),
    ("São Paulo", (-23.5475, -46.6361), "São Paulo"),
    # US ZIP codes, ZIP+4 too.
    ("10001", (40.7484, -73.9967), "10001 New York, NY"),
    ("94110-1234", (37.7487, -122.4158), "94110 San Francisco, CA"),
    # Postcodes abroad.
    ("M5H 2N2", (43.6490, -79.3784), "M5H"),
    ("V6B", (49.2836, -123.1041), "V6B"),
    ("3000, Australia", (-37.8136, 144.9631), "3000"),
    ("6011, New Zealand", (-41.2865, 174.7762), "6011"),
    ("SW1A 1AA", (51.5010, -0.1416), "SW1A 1AA"),
    ("sw1a", (51.5010, -0.1380), "SW1A"),
    ("EH1", (55.9533, -3.1883), "EH1"),
    ("M1 1AE", (53.4808, -2.2426), "M1 1AE"),
    # Coordinates, named by the nearest town.
    ("45.5152, -122.6784", (45.5152, -122.6784), "Portland, OR"),
]

REFUSED = [
    ("near me", "Use my location"),
    ("acupuncture near me", "Use my location"),
    ("my location", "Use my location"),
    ("here", "Use my location"),
    ("anywhere", "we search near a place"),
    ("Qxqzzqjv", "We could not find"),
    ("asdfghjkl", "We could not find"),
    ("972", "We could not find"),  # part of a ZIP code
    ("1 Main Street", "add its ZIP code"),
    ("D02 X285", "enter a town for Irish searches"),
    ("T12", "enter a town for Irish searches"),
    ("BT1 1AA", "enter a town for UK searches"),
]


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, point)) for point in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("text", "point", "label"), PLACED, ids=[row[0] for row in PLACED])
def test_each_input_lands_within_a_few_kilometres(text, point, label):
    found = geocoding.geocode(text)
    assert label in found.label
    assert km_between((found.latitude, found.longitude), point) < TOLERANCE_KM, found


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_junk_and_unplaceable_text_is_refused_saying_what_works(text, message):
    with pytest.raises(geocoding.PlaceNotFound, match=message):
        geocoding.geocode(text)


def test_there_are_at_least_forty_real_world_inputs():
    assert len(PLACED) + len(REFUSED) >= 40


def test_the_first_suggestion_and_the_search_agree_on_every_input():
    for text, _, _ in PLACED:
        if geocoding.COORDINATES.match(text):
            continue  # the page does not ask for suggestions while coordinates are typed
        suggested = gazetteer.suggest(text)
        assert suggested, text
        assert suggested[0].label == geocoding.geocode(text).label, text


def test_street_addresses_say_how_they_were_placed():
    by_zip = geocoding.geocode("123 Main St, Portland, OR 97205")
    assert (by_zip.precision, by_zip.note) == (
        "postal",
        "we place street addresses by their ZIP code",
    )
    by_town = geocoding.geocode("123 Main St, Portland, OR")
    assert (by_town.precision, by_town.note) == (
        "city",
        "without a ZIP code, we place street addresses by their town",
    )


def test_near_equal_places_come_with_the_others_they_may_mean():
    springfield = geocoding.geocode("Springfield")
    others = [place.label for place in springfield.alternatives]
    assert {"Springfield, MA", "Springfield, IL"} <= set(others)
    assert springfield.label not in others and len(others) <= 4
    portland = geocoding.geocode("Portland")
    assert "Portland, ME" in [place.label for place in portland.alternatives]
    # A qualified name is not ambiguous.
    assert geocoding.geocode("Portland, OR").alternatives == ()


def test_each_alternative_resolves_to_itself():
    for place in geocoding.geocode("Springfield").alternatives:
        assert geocoding.geocode(place.label).label == place.label


def test_the_directorys_country_ranks_first_among_near_equals(settings):
    assert geocoding.geocode("Birmingham").label == "Birmingham, AL"
    settings.DIRECTORY_COUNTRY = "GB"
    assert geocoding.geocode("Birmingham").label.startswith("Birmingham, England")
