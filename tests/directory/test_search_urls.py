"""Search addresses carry only the parameters that were set, for a plain form submission
(redirected to its tidy URL) and for htmx (told which URL to push); the two answers vary on
HX-Request; an in-place update brings the page's new title."""

from __future__ import annotations

import pytest

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

FORM = {
    "near": "94110",
    "radius": "",
    "unit": "",
    "condition": "migraine",
    "technique": "",
    "language": "",
    "q": "",
    "telehealth": "",
}


@pytest.fixture
def listed():
    practitioner = PractitionerFactory(slug="mei-chen")
    LocationFactory(practitioner=practitioner, latitude=37.76, longitude=-122.41)
    LicenseFactory(practitioner=practitioner)


def test_a_plain_submission_is_redirected_to_the_parameters_that_were_set(client, listed):
    response = client.get("/search/", FORM)
    assert response.status_code == 302
    assert response["Location"] == "/search/?near=94110&condition=migraine"
    assert "HX-Request" in response["Vary"]
    tidy = client.get(response["Location"])
    assert tidy.status_code == 200
    assert "<title>Practitioners near 94110 San Francisco, CA · Meridian</title>" in (
        tidy.content.decode()
    )


def test_an_empty_place_stays_so_the_page_can_ask_for_one(client):
    response = client.get("/search/", {"near": "", "condition": ""})
    assert response["Location"] == "/search/?near="
    page = client.get("/search/?near=")
    assert page.status_code == 400
    assert "Enter a place to search near." in page.content.decode()


def test_nothing_to_tidy_answers_at_once(client, listed):
    assert client.get("/search/", {"near": "94110"}).status_code == 200
    assert client.get("/search/").status_code == 200


def test_htmx_is_told_to_push_the_tidy_url_and_gets_the_new_title(client, listed):
    response = client.get("/search/", FORM, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/search/?near=94110&condition=migraine"
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<title>Practitioners near 94110 San Francisco, CA · Meridian</title>" in html
    assert '<summary id="filters-summary" hx-swap-oob="true">Filters (1 active)</summary>' in html
    assert "<header" not in html  # the fragment, not the page


def test_page_links_carry_no_empty_parameters(client):
    for index in range(21):
        practitioner = PractitionerFactory(slug=f"p{index:02d}")
        LocationFactory(practitioner=practitioner, latitude=37.75 + index / 1000)
        LicenseFactory(practitioner=practitioner)
    fragment = client.get("/search/", FORM | {"condition": ""}, headers={"HX-Request": "true"})
    assert 'href="?near=94110&amp;page=2"' in fragment.content.decode()
