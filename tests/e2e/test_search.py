"""The search page in a real browser: by ZIP and by city, filters, pages, profile and Back,
without JavaScript, by keyboard, and checked by axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from evidence.models import Condition
from tests.e2e.conftest import assert_accessible, tab_until
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MISSION = (37.7599, -122.4148)  # ZIP 94110, San Francisco


@pytest.fixture
def san_francisco():
    """25 practitioners spaced out from the Mission; every third treats migraine."""
    migraine = Condition.objects.get(slug="migraine")
    for index in range(25):
        practitioner = PractitionerFactory(
            slug=f"sf-{index:02d}", first_name=f"Name{index:02d}", last_name="Example"
        )
        LocationFactory(
            practitioner=practitioner,
            latitude=MISSION[0] + index * 0.004,
            longitude=MISSION[1],
        )
        LicenseFactory(practitioner=practitioner)
        if index % 3 == 0:
            practitioner.conditions.add(migraine)


def distances(page) -> list[float]:
    texts = page.locator(".result-card .distance").all_inner_texts()
    return [float(re.match(r"([\d.]+)", text)[1]) for text in texts]


def test_find_by_zip_filter_page_through_open_a_profile_and_go_back(page, san_francisco):
    page.goto("/")
    page.get_by_role("link", name="Find a practitioner").last.click()
    page.get_by_label("Near", exact=True).fill("94110")
    page.get_by_role("button", name="Search").click()

    status = page.locator("#search-status")
    expect(status).to_have_text("25 practitioners within 15 mi of 94110 San Francisco, CA.")
    found = distances(page)
    assert len(found) == 20 and found == sorted(found)
    expect(page).to_have_url(re.compile(r"/search/\?.*near=94110"))
    expect(page.locator("#map-panel")).to_be_visible()
    expect(page.locator(".map-pin")).to_have_count(20)
    expect(page.locator(".map-pin").first).to_have_text("1")

    page.get_by_label("Condition").select_option("migraine")
    expect(status).to_have_text("9 practitioners within 15 mi of 94110 San Francisco, CA.")
    expect(page).to_have_url(re.compile(r"condition=migraine"))
    assert page.locator(".result-card").count() == 9

    page.get_by_label("Condition").select_option("")
    expect(status).to_contain_text("25 practitioners")
    page.get_by_role("link", name="Next page").click()
    expect(status).to_contain_text("page 2 of 2")
    expect(page.locator(".result-card")).to_have_count(5)
    page2_url = page.url

    first = page.locator(".result-card h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)
    page.go_back()
    expect(page).to_have_url(page2_url)
    expect(page.locator(".result-card")).to_have_count(5)


def test_find_by_city(page, san_francisco):
    page.goto("/search/?near=San+Francisco%2C+CA&unit=km")
    expect(page.locator("#search-status")).to_contain_text("within 25 km of San Francisco, CA")
    assert distances(page) == sorted(distances(page))


def test_search_works_without_javascript(no_script_page, san_francisco):
    page = no_script_page
    page.goto("/search/")
    page.get_by_label("Near", exact=True).fill("94110")
    page.locator("#search-filters > summary").click()  # <details>: unfolds without script
    page.get_by_label("Condition").select_option("migraine")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"near=94110.*condition=migraine"))
    expect(page.locator("#search-status")).to_contain_text("9 practitioners")
    expect(page.locator("#map-panel")).to_be_hidden()
    page.get_by_role("link", name="Name00 Example").click()
    expect(page.locator("h1")).to_contain_text("Name00 Example")


def test_search_by_keyboard_only(page, san_francisco):
    page.goto("/search/")
    tab_until(page, "#id_near")
    page.keyboard.type("94110")
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("25 practitioners")
    tab_until(page, ".result-card h3 a")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Name00 Example")


def test_place_suggestions_come_from_the_api(page):
    page.goto("/search/")
    page.get_by_label("Near", exact=True).type("Brookl", delay=30)
    expect(page.locator("#place-suggestions option").first).to_have_attribute(
        "value", "Brooklyn, NY"
    )


def test_the_place_box_suggests_a_misspelt_city(page):
    page.goto("/search/")
    page.get_by_label("Near", exact=True).type("Sydeny", delay=30)
    expect(page.locator("#place-suggestions option").first).to_have_attribute(
        "value", "Sydney, New South Wales, Australia"
    )


def test_a_friendly_message_for_an_unknown_place(page):
    page.goto("/search/")
    page.get_by_label("Near", exact=True).fill("Qxqzzqjv")
    page.get_by_role("button", name="Search").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("We could not find “Qxqzzqjv”")
    assert_accessible(page)


def test_search_pages_are_accessible(page, san_francisco):
    page.goto("/search/")
    assert_accessible(page)
    page.goto("/search/?near=94110")
    expect(page.locator(".map-pin").first).to_be_visible()
    assert_accessible(page)
    page.goto("/search/?near=94110&radius=5&condition=cluster-headache")
    expect(page.locator(".empty-state")).to_be_visible()
    assert_accessible(page)


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, live_server, san_francisco):
    """390 x 844 (a current phone): the filters fold behind one control, the place box and
    the Search button stay on top, and the first result card starts inside the screen."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/search/?near=94110&condition=migraine&telehealth=")
    filters = page.locator("#search-filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator("#search-filters > summary")).to_have_text("Filters (1 active)")
    expect(page.get_by_label("Condition")).to_be_hidden()
    first_card = page.locator(".result-card").first
    expect(first_card).to_be_visible()
    top = first_card.bounding_box()["y"]
    assert top < 844, f"the first result starts {top:.0f} px down, below the first screen"
    # The map comes after the list.
    map_top = page.locator("#map-panel").bounding_box()["y"]
    assert map_top > page.locator(".result-card").last.bounding_box()["y"]
    # Touch targets: every control of the form and the cards is at least 24 x 24 px.
    controls = page.locator(
        ".search-form input:visible, .search-form select:visible, .search-form button:visible,"
        " .search-form summary, .result-card h3 a"
    )
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, controls.nth(index).evaluate(
            "element => element.outerHTML"
        )
    assert_accessible(page)

    # Unfolded by a tap, the filters work as before.
    page.locator("#search-filters > summary").click()
    page.get_by_label("Condition").select_option("")
    expect(page.locator("#search-status")).to_contain_text("25 practitioners")
    context.close()


LAYOUT_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.layoutShifts.push({
      value: entry.value,
      moved: entry.sources.map((source) => source.node && (source.node.id || source.node.nodeName)),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def test_on_a_phone_the_script_does_not_move_the_results(browser, live_server, san_francisco):
    """What only works with script ("Use my location", the list/map switch) is laid out from
    the first paint, so nothing above the results appears once the script has run: no layout
    shift (Lighthouse's CLS measured 0.09 on a phone when both were revealed by the script)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 412, "height": 823})
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto("/search/?near=94110")
    expect(page.locator("#map-panel")).to_be_visible()  # the script has drawn the map
    expect(page.get_by_role("button", name="Use my location")).to_be_visible()
    expect(page.get_by_role("navigation", name="Results as")).to_be_visible()
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    shifts = page.evaluate("() => window.layoutShifts")
    assert sum(shift["value"] for shift in shifts) < 0.01, shifts
    context.close()


def test_without_script_the_switch_to_the_map_is_not_shown(no_script_page, san_francisco):
    no_script_page.goto("/search/?near=94110")
    expect(no_script_page.locator("#search-status")).to_contain_text("practitioners")
    expect(no_script_page.locator("#view-switch")).to_be_hidden()
    expect(no_script_page.locator("#use-my-location")).to_be_hidden()


def test_on_a_wide_screen_the_filters_start_open(page, san_francisco):
    page.goto("/search/?near=94110")
    expect(page.locator("#search-filters")).to_have_attribute("open", "")
    expect(page.get_by_label("Condition")).to_be_visible()


def test_use_my_location_shows_only_where_the_browser_can_do_it(browser, live_server):
    without_script = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = without_script.new_page()
    page.goto("/search/")
    expect(page.locator("#use-my-location")).to_be_hidden()
    without_script.close()

    without_geolocation = browser.new_context(base_url=live_server.url)
    without_geolocation.add_init_script("delete Navigator.prototype.geolocation")
    page = without_geolocation.new_page()
    page.goto("/search/")
    expect(page.locator("#id_near")).to_be_visible()
    assert page.evaluate("() => 'geolocation' in navigator") is False
    expect(page.locator("#use-my-location")).to_be_hidden()
    without_geolocation.close()

    able = browser.new_context(base_url=live_server.url)
    page = able.new_page()
    page.goto("/search/")
    expect(page.get_by_role("button", name="Use my location")).to_be_visible()
    able.close()


def test_an_ambiguous_place_offers_the_others_it_may_mean(page, san_francisco):
    page.goto("/search/?near=Springfield")
    status = page.locator("#search-status")
    expect(status).to_contain_text("of Springfield, MO")
    others = page.get_by_role("list", name="Did you mean another place?")
    expect(others.get_by_role("link", name="Springfield, IL")).to_be_visible()
    assert_accessible(page)
    others.get_by_role("link", name="Springfield, IL").click()
    expect(status).to_contain_text("of Springfield, IL")
    expect(page.get_by_label("Near", exact=True)).to_have_value("Springfield, IL")


def test_an_address_is_placed_by_its_zip_code_and_says_so(page, san_francisco):
    page.goto("/search/")
    page.get_by_label("Near", exact=True).fill("123 Valencia St, San Francisco, CA 94110")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".place-note")).to_contain_text(
        "Near 94110 San Francisco, CA: we place street addresses by their ZIP code."
    )
    expect(page.locator("#search-status")).to_contain_text("25 practitioners")
    assert_accessible(page)
