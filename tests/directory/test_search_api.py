"""GET /api/v1/practitioners/ and /api/v1/places/: same semantics as the page, JSON out,
a 400 naming the parameter for every bad value."""

from __future__ import annotations

import pytest

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/practitioners/"


@pytest.fixture
def mission_clinic():
    practitioner = PractitionerFactory(
        slug="mei-chen", first_name="Mei", last_name="Chen", languages=["en", "yue"]
    )
    location = LocationFactory(
        practitioner=practitioner,
        clinic_name="Mission Acupuncture",
        address="2500 Mission St",
        postal_code="94110",
        latitude=37.7562,
        longitude=-122.4188,
    )
    license = LicenseFactory(practitioner=practitioner, number="AC12345")
    return practitioner, location, license


def test_search_returns_practitioners_with_distance_and_nearest_location(client, mission_clinic):
    _, _, license = mission_clinic
    response = client.get(SEARCH, {"near": "94110", "unit": "km", "radius": 10})
    assert response.status_code == 200
    body = response.json()
    result = body.pop("results")
    assert body == {
        "count": 1,
        "count_is_capped": False,
        "page": 1,
        "page_size": 20,
        "page_count": 1,
        "next": None,
        "previous": None,
        "near": {
            "label": "94110 San Francisco, CA",
            "latitude": pytest.approx(37.75, abs=0.01),
            "longitude": pytest.approx(-122.41, abs=0.01),
            "precision": "postal",
            "note": "",
            "alternatives": [],
        },
        "radius": 10.0,
        "unit": "km",
    }
    (hit,) = result
    assert hit["slug"] == "mei-chen"
    assert hit["name"] == "Mei Chen"
    assert hit["url"] == "/practitioners/mei-chen/"
    assert hit["api_url"] == "/api/v1/practitioners/mei-chen/"
    assert 0 < hit["distance"] < 2 and hit["distance"] == round(hit["distance_km"], 2)
    assert hit["languages"] == ["en", "yue"]
    assert hit["license"] == {
        "license_type": "L.Ac.",
        "jurisdiction": "US-CA",
        "number": "AC12345",
        "expires_on": license.expires_on.isoformat(),
        "verified_on": license.verified_on.isoformat(),
        "source": "https://search.dca.ca.gov/",
    }
    assert hit["location"]["clinic_name"] == "Mission Acupuncture"
    assert hit["location"]["jurisdiction"] == "US-CA"


def test_unit_defaults_by_country_and_converts_distances(client, mission_clinic):
    miles = client.get(SEARCH, {"near": "94110"}).json()
    km = client.get(SEARCH, {"near": "94110", "unit": "km"}).json()
    assert (miles["unit"], miles["radius"]) == ("mi", 15.0)
    assert (km["unit"], km["radius"]) == ("km", 25.0)
    assert miles["results"][0]["distance"] == pytest.approx(
        km["results"][0]["distance"] / 1.609344, abs=0.01
    )
    assert client.get(SEARCH, {"near": "Sydney"}).json()["unit"] == "km"


def test_coordinates_work_as_a_place(client, mission_clinic):
    body = client.get(SEARCH, {"near": "37.76,-122.42"}).json()
    assert [hit["slug"] for hit in body["results"]] == ["mei-chen"]
    assert body["near"]["precision"] == "rooftop"


def test_pages_link_to_each_other(client):
    for index in range(3):
        practitioner = PractitionerFactory(slug=f"p{index}")
        LocationFactory(practitioner=practitioner, latitude=37.75 + index / 100)
        LicenseFactory(practitioner=practitioner)
    first = client.get(SEARCH, {"near": "37.75,-122.39", "page_size": 2}).json()
    assert [hit["slug"] for hit in first["results"]] == ["p0", "p1"]
    assert first["next"] == (
        "http://testserver/api/v1/practitioners/?near=37.75%2C-122.39&page_size=2&page=2"
    )
    second = client.get(first["next"]).json()
    assert [hit["slug"] for hit in second["results"]] == ["p2"]
    assert second["next"] is None
    assert second["previous"].endswith("page=1")


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "near", "Enter a place to search near."),
        ({"near": "Qxqzzqjv"}, "near", "We could not find “Qxqzzqjv”"),
        ({"near": "91,0"}, "near", "Latitude must be between -90 and 90."),
        ({"near": "10001", "radius": "0"}, "radius", "between 1 and 500 km"),
        ({"near": "10001", "radius": "501", "unit": "km"}, "radius", "between 1 and 500 km"),
        ({"near": "10001", "radius": "311", "unit": "mi"}, "radius", "between 1 and 500 km"),
        ({"near": "10001", "radius": "far"}, "radius", "Enter a number."),
        ({"near": "10001", "unit": "ft"}, "unit", "Select a valid choice."),
        ({"near": "10001", "page": "0"}, "page", "greater than or equal to 1"),
        ({"near": "10001", "page": "6"}, "page", "the last page is 5"),
        ({"near": "10001", "page_size": "51"}, "page_size", "less than or equal to 50"),
        ({"near": "10001", "condition": "gout"}, "condition", "Select a valid choice."),
        ({"near": "10001", "technique": "reiki"}, "technique", "Select a valid choice."),
        ({"near": "10001", "language": "xx"}, "language", "Select a valid choice."),
        ({"near": "10001", "certification": "x"}, "certification", "Select a valid choice."),
        ({"near": "10001", "min_years": "-1"}, "min_years", "greater than or equal to 0"),
        ({"near": "10001", "telehealth": "maybe"}, "telehealth", "Use true or false."),
        ({"near": "10001", "q": "x" * 101}, "q", "at most 100 characters"),
        ({"near": "10001", "q": "Chen\x00"}, "q", "Null characters are not allowed."),
        ({"near": "100\x0001"}, "near", "Null characters are not allowed."),
        ({"near": "10001", "conditon": "migraine"}, "conditon", "Unknown parameter."),
    ],
)
def test_every_bad_parameter_is_a_400_naming_it(client, params, field, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert list(body["errors"]) == [field]
    assert message in " ".join(body["errors"][field])


@pytest.mark.usefixtures("mission_clinic")
def test_boolean_filters_accept_true_and_false(client):
    assert client.get(SEARCH, {"near": "94110", "telehealth": "true"}).json()["count"] == 0
    assert client.get(SEARCH, {"near": "94110", "telehealth": "false"}).json()["count"] == 1


def test_place_autocomplete(client):
    response = client.get("/api/v1/places/", {"q": "brookl"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {
        "label": "Brooklyn, NY",
        "kind": "city",
        "country": "US",
        "latitude": pytest.approx(40.65, abs=0.01),
        "longitude": pytest.approx(-73.95, abs=0.01),
    }
    for bad, message in [
        ({}, "Type at least one character."),
        ({"q": " "}, "Type at least one character."),
        ({"q": "x" * 101}, "Use at most 100 characters."),
        ({"q": "Bro\x00oklyn"}, "Null characters are not allowed."),
    ]:
        response = client.get("/api/v1/places/", bad)
        assert response.status_code == 400
        assert response.json()["errors"] == {"q": [message]}


def test_anonymous_requests_are_rate_limited(client, mission_clinic, settings):
    # Repeats of one request would be answered from the origin's cache, which limits do not
    # count; without it, every request runs the view.
    settings.PAGE_CACHE_SECONDS = 0
    url = "/api/v1/practitioners/mei-chen/"
    statuses = [client.get(url).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    limited = client.get(url)
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["detail"].startswith("Request was throttled.")


def test_schema_documents_the_search(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/practitioners/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"near", "radius", "unit", "condition", "q", "page", "page_size"} <= names
    assert {"200", "400"} <= set(operation["responses"])
    assert "/api/v1/places/" in schema["paths"]


def test_the_chosen_place_comes_with_the_others_it_may_mean(client):
    near = client.get(SEARCH, {"near": "Springfield"}).json()["near"]
    assert (near["label"], near["precision"], near["note"]) == ("Springfield, MO", "city", "")
    others = [other["label"] for other in near["alternatives"]]
    assert {"Springfield, MA", "Springfield, IL"} <= set(others) and len(others) <= 4
    assert set(near["alternatives"][0]) == {"label", "latitude", "longitude", "precision"}
    clear = client.get(SEARCH, {"near": "123 Main St, Portland, OR 97205"}).json()["near"]
    assert (clear["label"], clear["note"], clear["alternatives"]) == (
        "97205 Portland, OR",
        "we place street addresses by their ZIP code",
        [],
    )
