"""The search page without JavaScript (plain GET) and as htmx asks for it."""

from __future__ import annotations

import pytest

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_practitioners():
    for slug, latitude, name in [("near-one", 37.7600, "Lan"), ("far-one", 37.80, "Ravi")]:
        practitioner = PractitionerFactory(slug=slug, first_name=name, last_name="Doe")
        LocationFactory(practitioner=practitioner, latitude=latitude, longitude=-122.4188)
        LicenseFactory(practitioner=practitioner)


def test_empty_page_invites_a_search(client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert "Enter a ZIP code, a city or an address" in html


def test_search_without_javascript_lists_results_nearest_first(client, two_practitioners):
    response = client.get("/search/", {"near": "94110"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<!doctype html>" in html  # the whole page, not a fragment
    assert "2 practitioners within 15 mi of 94110 San Francisco, CA." in html
    assert html.index("Lan Doe") < html.index("Ravi Doe")
    assert "License verified · US-CA" in html
    assert 'id="map-markers"' in html


def test_htmx_gets_the_results_fragment_and_an_out_of_band_status(client, two_practitioners):
    response = client.get("/search/", {"near": "94110"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<!doctype html>" not in html
    assert 'hx-swap-oob="true"' in html
    assert "2 practitioners within 15 mi" in html


def test_unknown_place_gets_a_friendly_message(client):
    response = client.get("/search/", {"near": "Qxqzzqjv"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem with your search" in html
    assert 'href="#id_near"' in html
    assert "We could not find “Qxqzzqjv”" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"near": "94110", "radius": "900", "unit": "km"}, "between 1 and 500 km"),
        ({"near": "94110", "page": "0"}, "greater than or equal to 1"),
        ({"near": "94110", "condition": "gout"}, "Select a valid choice"),
        ({"near": "", "condition": "migraine"}, "Enter a place to search near."),
    ],
)
def test_bad_parameters_are_a_400_with_the_message_on_the_page(client, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert "<!doctype html>" in response.content.decode()
    assert message in response.content.decode()

    fragment = client.get("/search/", params, headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert "<!doctype html>" not in fragment.content.decode()
    assert message in fragment.content.decode()


def test_nobody_within_the_radius_says_how_far_the_nearest_is_and_offers_to_widen(client):
    practitioner = PractitionerFactory()
    LocationFactory(practitioner=practitioner, latitude=38.58, longitude=-121.49)  # Sacramento
    LicenseFactory(practitioner=practitioner)

    html = client.get("/search/", {"near": "94110", "radius": 25}).content.decode()

    assert "Nobody within 25 mi" in html
    assert "The nearest is 76 mi away." in html
    assert 'href="?near=94110&amp;radius=100"' in html
    widened = client.get("/search/", {"near": "94110", "radius": 100}).content.decode()
    assert "1 practitioner within 100 mi" in widened


def test_units_can_be_switched(client, two_practitioners):
    html = client.get("/search/", {"near": "94110", "unit": "km"}).content.decode()
    assert "within 25 km of" in html
    assert "km away" in html


def test_pagination_links_keep_the_query(client):
    for index in range(21):
        practitioner = PractitionerFactory(slug=f"p{index:02d}")
        LocationFactory(practitioner=practitioner, latitude=37.75 + index / 1000)
        LicenseFactory(practitioner=practitioner)
    html = client.get("/search/", {"near": "94110", "condition": ""}, follow=True).content.decode()
    assert "Page 1 of 2" in html
    # The empty condition the form sent is not carried on.
    assert 'href="?near=94110&amp;page=2"' in html
    second = client.get("/search/", {"near": "94110", "page": 2}).content.decode()
    assert '<ol class="results" start="21">' in second
    assert "Previous page" in second


def test_arriving_pre_filtered_asks_only_for_the_place(client):
    html = client.get("/search/", {"condition": "migraine"}).content.decode()
    assert "There is a problem" not in html
    assert '<option value="migraine" selected>Migraine</option>' in html
    assert "nearest verified practitioners who treat migraine." in html


def test_an_address_says_it_was_placed_by_its_zip_code(client, two_practitioners):
    response = client.get("/search/", {"near": "123 Main St, San Francisco, CA 94110"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Near 94110 San Francisco, CA: we place street addresses by their ZIP code." in html
    assert "2 practitioners within 15 mi of 94110 San Francisco, CA." in html


def test_an_ambiguous_place_searches_the_first_and_offers_the_others(client):
    response = client.get("/search/", {"near": "Springfield", "radius": "25"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "within 25 mi of Springfield, MO" in html
    assert "Did you mean another place?" in html
    # Plain links to the same search near the other place, keeping the other parameters.
    assert '<a href="?near=Springfield%2C+MA&amp;radius=25">Springfield, MA</a>' in html
    assert (
        "Did you mean" not in client.get("/search/", {"near": "Springfield, IL"}).content.decode()
    )


def test_use_my_location_needs_script_and_never_shows_a_comment(client):
    """The button is hidden by CSS where no script runs (.needs-script), and in place from the
    first paint where it does; no template comment leaks into the page."""
    html = client.get("/search/").content.decode()
    assert (
        '<button type="button" class="button button-small needs-script" id="use-my-location">'
    ) in html
    assert "{#" not in html and "#}" not in html


def test_coordinates_are_named_by_the_nearest_town(client, two_practitioners):
    html = client.get("/search/", {"near": "37.7599, -122.4148"}).content.decode()
    # GeoNames names the neighbourhood: the nearest place it knows.
    assert "2 practitioners within 15 mi of Mission District, CA." in html
    assert "Near Mission District, CA: measured from the exact point given." in html
    assert "37.75990" not in html
