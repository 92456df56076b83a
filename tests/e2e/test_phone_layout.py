"""Phones first, in a real browser: no page of any persona is wider than a 320-390 px
screen; a credential's verification is read without sideways scrolling; on a 360 x 640
phone the first result is on the first screen, an in-place filter change moves focus to
the new results, the list/map switch and forest plots fit; Back after an in-place search
shows a whole page; addresses carry only the parameters set; long forms summarise their
errors at the top. axe-core checks the pages too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from credentialing.models import CredentialStatus
from evidence.models import Condition
from evidence.services import evidence_seed_load
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_security_policy import sign_in
from tests.factories import (
    AccountFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    owned_practitioner,
    reviewer,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 360, 375, 390]
MISSION = (37.7599, -122.4148)  # ZIP 94110, San Francisco
# A page wider than the screen by less than a pixel is rounding, not sideways scrolling.
TOO_WIDE = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def everyone(live_server):
    """A listed practitioner with an account, a pending license for staff to review, a few
    neighbours to search for, the evidence seed, and a staff member."""
    evidence_seed_load()
    migraine = Condition.objects.get(slug="migraine")
    owner = AccountFactory(email="owner@example.com")
    mei = owned_practitioner(
        owner=owner, slug="mei-chen", first_name="Mei", last_name="Chen", credentials="L.Ac."
    )
    mei.conditions.add(migraine)
    pending = LicenseFactory(
        practitioner=mei,
        region="NY",
        number="NY-004455",
        status=CredentialStatus.PENDING,
        verified_on=None,
    )
    for index in range(6):
        neighbour = PractitionerFactory(slug=f"sf-{index}", first_name=f"Name{index}")
        LocationFactory(
            practitioner=neighbour, latitude=MISSION[0] + index * 0.004, longitude=MISSION[1]
        )
        LicenseFactory(practitioner=neighbour)
        if index % 2:
            neighbour.conditions.add(migraine)
    return {
        "owner": owner,
        "staff": reviewer(email="staff@example.com"),
        "practitioner": mei,
        "clinic": mei.locations.get(),
        "pending": pending,
    }


def persona_pages(everyone) -> dict[str, list[str]]:
    slug, clinic = everyone["practitioner"].slug, everyone["clinic"]
    return {
        "patient": [
            "/",
            "/search/",
            "/search/?near=94110",
            f"/practitioners/{slug}/",
            f"/practitioners/{slug}/verification/",
            "/evidence/",
            "/conditions/migraine/",
            "/evidence/studies/mohandes-2024-cupping/",
        ],
        "owner": [
            "/dashboard/",
            f"/dashboard/profile/{slug}/",
            f"/dashboard/profile/{slug}/edit/",
            f"/dashboard/profile/{slug}/clinics/{clinic.pk}/",
            f"/dashboard/profile/{slug}/clinics/new/",
            f"/dashboard/profile/{slug}/licenses/new/",
        ],
        "staff": [
            "/review/",
            f"/review/licenses/{everyone['pending'].public_id}/",
            "/review/monitoring/",
        ],
    }


def phone(browser, live_server, width: int, height: int = 740, user=None):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    if user is not None:
        sign_in(page, live_server, user)
    return context, page


def pages_too_wide(browser, live_server, everyone, width: int, *, language: str = "") -> list:
    """(persona, path, page width) of every page of every persona wider than the screen;
    each page in `language` (its URL prefix) when given, checked by axe-core at 320 px."""
    too_wide = []
    for persona, paths in persona_pages(everyone).items():
        user = None if persona == "patient" else everyone[persona]
        context, page = phone(browser, live_server, width, user=user)
        for path in paths:
            response = page.goto(f"/{language}{path}" if language else path)
            assert response.status == 200, (path, response.status)
            if language:
                assert page.locator("html").get_attribute("lang").lower() == language
            expect(page.locator("h1")).to_be_visible()
            if page.evaluate(TOO_WIDE) > 0:
                width_now = page.evaluate("document.documentElement.scrollWidth")
                too_wide.append((persona, path, width_now))
            if width == 320:  # the narrowest, where reflow problems show first
                assert_accessible(page)
        context.close()
    return too_wide


def first_result_end(browser, live_server, path: str) -> float:
    """Where the first result's link ends, in px from the top, on a 360 x 640 phone."""
    context, page = phone(browser, live_server, 360, 640)
    page.goto(path)
    first = page.locator(".result-card h3 a").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    context.close()
    return box["y"] + box["height"]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(browser, live_server, everyone, width):
    too_wide = pages_too_wide(browser, live_server, everyone, width)
    assert too_wide == [], f"wider than {width} px: {too_wide}"


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_spanish_and_chinese_pages_fit_a_320_px_screen_with_results_first(
    browser, live_server, everyone, language
):
    # Spanish runs about a third longer than English; Chinese lines break anywhere.
    too_wide = pages_too_wide(browser, live_server, everyone, 320, language=language)
    assert too_wide == [], f"wider than 320 px in {language}: {too_wide}"
    end = first_result_end(browser, live_server, f"/{language}/search/?near=94110")
    assert end <= 640, f"the first result's link ends at {end:.0f} px"


def test_verification_is_readable_on_a_390_px_profile(browser, live_server, everyone):
    context, page = phone(browser, live_server, 390, 844)
    page.goto("/practitioners/mei-chen/")
    cells = page.locator(".credentials-table td")
    expect(cells.first).to_be_visible()
    verification = page.locator('.credentials-table td[data-label="Verification"]').first
    expect(verification).to_contain_text("Verified with")
    expect(verification).to_contain_text("valid until")
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, cells.nth(index).inner_text()
    # The wide-screen table is a real table with its column headers.
    page.set_viewport_size({"width": 1200, "height": 900})
    expect(page.get_by_role("columnheader", name="Verification")).to_be_visible()
    context.close()


def test_on_a_360_by_640_phone_the_first_result_is_on_the_first_screen(
    browser, live_server, everyone
):
    end = first_result_end(browser, live_server, "/search/?near=94110")
    assert end <= 640, f"the first result's link ends at {end:.0f} px"


def test_a_filter_change_on_a_phone_moves_focus_to_the_results_and_the_title_follows(
    browser, live_server, everyone
):
    context, page = phone(browser, live_server, 360, 640)
    page.goto("/search/?near=94110")
    status = page.locator("#search-status")
    expect(status).to_contain_text("7 practitioners")
    page.locator("#search-filters > summary").click()
    page.get_by_label("Condition").select_option("migraine")
    expect(status).to_contain_text("4 practitioners")
    expect(status).to_be_focused()
    box = status.bounding_box()
    # Scrolled to the top of the screen (within a pixel of rounding).
    assert -1 <= box["y"] < 640, f"the status line is at {box['y']:.0f} px, off the screen"
    expect(page.locator("#search-filters > summary")).to_have_text("Filters (1 active)")
    expect(page).to_have_title("Practitioners near 94110 San Francisco, CA · Meridian")
    # Only the parameters that were set are in the address htmx pushed.
    expect(page).to_have_url(re.compile(r"/search/\?near=94110&condition=migraine$"))
    context.close()


def test_back_after_an_in_place_search_shows_the_whole_page(page, everyone):
    page.goto("/search/?near=94110")
    page.get_by_label("Condition").select_option("migraine")
    expect(page.locator("#search-status")).to_contain_text("4 practitioners")
    page.get_by_label("Unit").select_option("km")
    expect(page.locator("#search-status")).to_contain_text("within 25 km")
    page.locator(".result-card h3 a").first.click()
    expect(page.locator("h1")).not_to_have_text("Find a practitioner")
    page.go_back()
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator("#search-form")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Find a practitioner")
    expect(page.locator("#search-status")).to_contain_text("within 25 km")
    expect(page).to_have_title(re.compile(r"^Practitioners near 94110"))
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # styles loaded


def test_a_search_without_javascript_lands_on_the_parameters_that_were_set(
    no_script_page, everyone
):
    no_script_page.goto("/search/")
    no_script_page.get_by_label("Near", exact=True).fill("94110")
    no_script_page.locator("#search-filters > summary").click()
    no_script_page.get_by_label("Condition").select_option("migraine")
    no_script_page.get_by_role("button", name="Search").click()
    expect(no_script_page).to_have_url(re.compile(r"/search/\?near=94110&condition=migraine$"))
    expect(no_script_page.locator("#search-status")).to_contain_text("4 practitioners")


def test_list_and_map_switch_and_forest_plots_fit_a_360_px_phone(browser, live_server, everyone):
    context, page = phone(browser, live_server, 360, 640)
    page.goto("/search/?near=94110")
    switch = page.get_by_role("navigation", name="Results as")
    expect(switch).to_be_visible()
    map_panel = page.locator("#map-panel")
    assert map_panel.bounding_box()["y"] > page.locator(".result-card").last.bounding_box()["y"]
    switch.get_by_role("link", name="Map").click()
    expect(page).to_have_url(re.compile(r"#map-panel$"))
    box = map_panel.bounding_box()
    assert -1 <= box["y"] < 640 and box["x"] + box["width"] <= 360
    page.get_by_role("link", name="Back to the list").click()
    assert -1 <= page.locator("#search-status").bounding_box()["y"] < 640

    page.goto("/evidence/studies/mohandes-2024-cupping/")
    estimates = page.locator(".forest-plot .forest-value")
    expect(estimates.first).to_be_visible()
    for index in range(estimates.count()):
        box = estimates.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, estimates.nth(index).inner_html()
    assert page.evaluate(TOO_WIDE) <= 0
    context.close()


def test_wide_screens_need_no_switch(page, everyone):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/search/?near=94110")
    expect(page.locator("#map-panel")).to_be_visible()
    expect(page.get_by_role("navigation", name="Results as")).to_be_hidden()


def test_a_refused_profile_form_opens_on_its_error_summary(page, live_server, everyone):
    sign_in(page, live_server, everyone["owner"])
    page.goto("/dashboard/profile/mei-chen/edit/")
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save and confirm").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("First name"))
    expect(link).to_have_attribute("href", "#id_first_name")
    assert_accessible(page)
    link.click()
    expect(page.get_by_label("First name")).to_be_focused()
