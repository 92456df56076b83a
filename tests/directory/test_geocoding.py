"""Geocoding: typed coordinates, the offline gazetteer, and the optional online geocoder
(against a local server that answers as Nominatim does)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from directory import gazetteer, geocoding
from directory.models import GeocodedAddress
from tests.servers import json_answer, serve

pytestmark = pytest.mark.django_db

BAKER_STREET = {
    "place_id": 261708014,
    "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
    "osm_type": "node",
    "osm_id": 3916613190,
    "lat": "51.5237629",
    "lon": "-0.1584743",
    "class": "tourism",
    "type": "museum",
    "place_rank": 30,
    "importance": 0.41,
    "addresstype": "tourism",
    "name": "Sherlock Holmes Museum",
    "display_name": "Sherlock Holmes Museum, 221b, Baker Street, Marylebone, London, "
    "Greater London, England, NW1 6XE, United Kingdom",
    "address": {
        "tourism": "Sherlock Holmes Museum",
        "house_number": "221b",
        "road": "Baker Street",
        "city": "London",
        "state": "England",
        "ISO3166-2-lvl4": "GB-ENG",
        "postcode": "NW1 6XE",
        "country": "United Kingdom",
        "country_code": "gb",
    },
    "boundingbox": ["51.5237129", "51.5238129", "-0.1585243", "-0.1584243"],
}


EMPIRE_STATE = {
    **BAKER_STREET,
    "lat": "40.7484405",
    "lon": "-73.9856644",
    "class": "building",
    "type": "yes",
    "addresstype": "building",
    "display_name": "Empire State Building, 350, 5th Avenue, Manhattan, New York, 10118, "
    "United States",
    "address": {"house_number": "350", "road": "5th Avenue", "country_code": "us"},
}


def nominatim(path: str, query: dict[str, str]):
    assert path == "/search"
    if "baker street" in query.get("q", "").lower():
        return json_answer(200, [BAKER_STREET])
    if query.get("q", "").startswith("350 5th Ave"):
        return json_answer(200, [EMPIRE_STATE])
    return json_answer(200, [])


@pytest.fixture
def online_geocoder(settings):
    with serve(nominatim) as service:
        settings.GEOCODER = "nominatim"
        settings.GEOCODER_DOMAIN = service.host
        settings.GEOCODER_SCHEME = "http"
        settings.GEOCODER_USER_AGENT = "meridian-tests"
        settings.GEOCODER_MIN_INTERVAL = 0
        yield service


@pytest.mark.parametrize(
    ("text", "latitude", "longitude"),
    [("40.7128, -74.0060", 40.7128, -74.006), ("-33.87 151.21", -33.87, 151.21)],
)
def test_typed_coordinates_are_used_as_they_are(text, latitude, longitude):
    found = geocoding.geocode(text)
    assert (found.latitude, found.longitude, found.precision) == (latitude, longitude, "rooftop")


def test_coordinates_pick_miles_or_kilometres_by_country():
    assert geocoding.geocode("40.71, -74.00").default_unit == "mi"
    assert geocoding.geocode("48.85, 2.35").default_unit == "km"


@pytest.mark.parametrize(
    ("text", "message"),
    [("91, 0", "Latitude must be between -90 and 90"), ("0, 181", "Longitude must be")],
)
def test_impossible_coordinates_are_refused(text, message):
    with pytest.raises(geocoding.PlaceNotFound, match=message):
        geocoding.geocode(text)


@pytest.mark.parametrize(
    ("text", "label", "country", "precision"),
    [
        ("10001", "10001 New York, NY", "US", "postal"),
        ("94110-1234", "94110 San Francisco, CA", "US", "postal"),
        ("Brooklyn, NY", "Brooklyn, NY", "US", "city"),
        ("São Paulo", "São Paulo, Brazil", "BR", "city"),
        ("sao paulo", "São Paulo, Brazil", "BR", "city"),
        ("sydney", "Sydney, New South Wales, Australia", "AU", "city"),
        ("Sydeny", "Sydney, New South Wales, Australia", "AU", "city"),
        ("Sydney, Nova Scotia", "Sydney, Nova Scotia, Canada", "CA", "city"),
        ("Portland, ME", "Portland, ME", "US", "city"),
        ("London, UK", "London, England, United Kingdom", "GB", "city"),
    ],
)
def test_gazetteer_resolves_postal_codes_and_cities(text, label, country, precision):
    found = geocoding.geocode(text)
    assert (found.label, found.country, found.precision) == (label, country, precision)


def test_zip_code_resolves_to_its_centre():
    found = geocoding.geocode("10001")
    assert found.latitude == pytest.approx(40.7484, abs=0.01)
    assert found.longitude == pytest.approx(-73.9967, abs=0.01)


def test_unknown_place_says_what_would_work():
    with pytest.raises(geocoding.PlaceNotFound, match="We could not find “Qxqzzqjv”"):
        geocoding.geocode("Qxqzzqjv")
    with pytest.raises(geocoding.PlaceNotFound, match="Enter a place"):
        geocoding.geocode("   ")


def test_online_geocoder_is_not_asked_unless_configured(settings):
    settings.GEOCODER = ""
    # Offline, the address is placed by the postcode district at its end, and says so.
    found = geocoding.geocode("221B Baker Street, London NW1")
    assert (found.label, found.precision, found.note) == (
        "NW1, London, United Kingdom",
        "postal",
        "we place street addresses by their postcode",
    )
    assert GeocodedAddress.objects.count() == 0


def test_online_geocoder_answers_addresses_once_and_is_cached(online_geocoder):
    first = geocoding.geocode("221B Baker Street, London NW1")
    again = geocoding.geocode("221b baker street, london nw1")

    assert (
        first
        == again
        == geocoding.Geocode(
            latitude=51.5237629,
            longitude=-0.1584743,
            precision="rooftop",
            label=BAKER_STREET["display_name"],
            country="GB",
        )
    )
    assert len(online_geocoder.requests) == 1
    request = online_geocoder.requests[0]
    assert request.query["q"] == "221B Baker Street, London NW1"
    assert request.query["format"] == "json"
    assert request.headers["User-Agent"] == "meridian-tests"
    assert GeocodedAddress.objects.get().found is True


def test_a_street_address_goes_online_first_for_the_building(online_geocoder):
    for _ in range(2):
        found = geocoding.geocode("350 5th Ave, New York, NY 10118")
        assert (found.precision, found.label, found.note) == (
            "rooftop",
            EMPIRE_STATE["display_name"],
            "",
        )
    assert [request.query["q"] for request in online_geocoder.requests] == [
        "350 5th Ave, New York, NY 10118"
    ]


def test_an_address_the_geocoder_does_not_know_falls_back_to_its_zip_code(online_geocoder):
    for _ in range(2):
        found = geocoding.geocode("123 Main St, Portland, OR 97205")
        assert (found.precision, found.label, found.note) == (
            "postal",
            "97205 Portland, OR",
            "we place street addresses by their ZIP code",
        )
    assert len(online_geocoder.requests) == 1  # the "not found" is cached too
    assert GeocodedAddress.objects.get().found is False


def test_a_place_name_is_answered_offline_without_asking_the_geocoder(online_geocoder):
    assert geocoding.geocode("Portland, ME").label == "Portland, ME"
    assert online_geocoder.requests == []


def test_online_geocoder_not_knowing_a_place_is_cached_too(online_geocoder):
    for _ in range(2):
        with pytest.raises(geocoding.PlaceNotFound):
            geocoding.geocode("1 Nowhere Lane, Atlantis")
    assert len(online_geocoder.requests) == 1
    assert GeocodedAddress.objects.get().found is False


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda path, query: (200, b"<html>oops</html>", "text/html"), id="garbage"),
        pytest.param(lambda path, query: json_answer(500, {"error": "down"}), id="server-error"),
        pytest.param(
            lambda path, query: json_answer(200, [{**BAKER_STREET, "lat": "123.4"}]),
            id="impossible-coordinates",
        ),
        pytest.param(
            lambda path, query: (time.sleep(2), json_answer(200, [BAKER_STREET]))[1],
            id="timeout",
        ),
    ],
)
def test_a_failing_geocoder_says_so_and_is_not_cached(settings, answer):
    with serve(answer) as service:
        settings.GEOCODER = "nominatim"
        settings.GEOCODER_DOMAIN = service.host
        settings.GEOCODER_SCHEME = "http"
        settings.GEOCODER_TIMEOUT = 1
        settings.GEOCODER_MIN_INTERVAL = 0
        with pytest.raises(geocoding.GeocoderFailed):
            geocoding.geocode_online("221B Baker Street, London")
        # A patient's search goes on without it: the offline gazetteer still answers.
        assert geocoding.geocode("London, GB").label.startswith("London")
    assert GeocodedAddress.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # each thread commits its look-up on its own connection
def test_online_requests_are_spaced_at_least_the_minimum_interval(online_geocoder, settings):
    """Transactional, so that the flush after it removes the cached answers the threads
    committed outside any test transaction (a kept row would answer the next run's look-up
    from the cache, with no request to space)."""
    settings.GEOCODER_MIN_INTERVAL = 1

    def look_up(text: str) -> None:
        geocoding.geocode_online(text)
        connection.close()  # each thread has its own database connection

    threads = [
        threading.Thread(target=look_up, args=(f"{n} Baker Street, London",)) for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(online_geocoder.requests) == 2
    stamps = sorted(request.received for request in online_geocoder.requests)
    assert stamps[1] - stamps[0] >= 0.9


def test_clinic_address_uses_the_best_source_available(online_geocoder, settings):
    online = geocoding.geocode_address(
        address="221B Baker Street", city="London", region="ENG", postal_code="NW1", country="GB"
    )
    assert (online.found.precision, online.online_failed) == ("rooftop", False)

    settings.GEOCODER = ""
    postal = geocoding.geocode_address(
        address="350 5th Ave", city="New York", region="NY", postal_code="10118", country="US"
    ).found
    assert (postal.precision, postal.label) == ("postal", "10118 New York, NY")
    city = geocoding.geocode_address(
        address="1 King St", city="Toronto", region="ON", postal_code="M5H", country="CA"
    ).found
    assert (city.precision, city.label) == ("city", "Toronto, Ontario, Canada")
    assert geocoding.geocode_address(
        address="", city="Qqqxxz", region="", postal_code="", country="NZ"
    ) == geocoding.AddressGeocode(None)


def test_autocomplete_suggests_largest_places_first():
    # Names that start with the text first; close spellings ("Poland, ME") only after them.
    assert [place.label for place in gazetteer.suggest("portland, m")][:3] == [
        "Portland, ME",
        "Portland, MI",
        "Portland, MO",
    ]
    labels = [place.label for place in gazetteer.suggest("sao")]
    assert labels[0] == "São Paulo, Brazil"
    assert [place.label for place in gazetteer.suggest("1000")][:2] == [
        "10001 New York, NY",
        "10002 New York, NY",
    ]
    assert gazetteer.suggest("") == []
