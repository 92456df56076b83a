"""Opening hours in a real browser: typed on the dashboard by keyboard with JavaScript off,
a mistake shown on its day, and the week on the public profile, all without axe violations."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from directory import services
from directory.hours import Interval, Weekday
from tests.e2e.conftest import assert_accessible
from tests.factories import AccountFactory, listed_practitioner, owned_practitioner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

at = datetime.time


def test_a_profile_with_hours_is_accessible(page):
    practitioner = listed_practitioner(slug="lan-nguyen", first_name="Lan", last_name="Nguyen")
    location = practitioner.locations.get()
    location.hours_note = "Closed on public holidays"
    week = [Interval(day, at(9), at(13)) for day in range(5)] + [
        Interval(Weekday.THURSDAY, at(14), at(20))
    ]
    services.location_save(location=location, opening_hours=week)
    page.goto("/practitioners/lan-nguyen/")
    hours = page.locator("table.hours")
    expect(hours.get_by_role("row", name="Thursday")).to_contain_text(
        "9:00 AM–1:00 PM, 2:00 PM–8:00 PM"
    )
    expect(hours.get_by_role("row", name="Sunday")).to_contain_text("Closed")
    expect(page.locator(".hours-note")).to_have_text("Closed on public holidays")
    assert_accessible(page)


def test_hours_are_typed_by_keyboard_without_javascript(no_script_page, page):
    account = AccountFactory(email="mei@example.com")
    practitioner = owned_practitioner(owner=account, slug="mei-chen")
    location = practitioner.locations.get()
    for browser_page in (no_script_page, page):
        browser_page.goto("/accounts/login/")
        browser_page.get_by_label("Email").fill("mei@example.com")
        browser_page.get_by_label("Password").fill("correct horse battery")
        browser_page.get_by_role("button", name="Sign In").click()
        browser_page.wait_for_url("**/dashboard/profile/mei-chen/")

    edit = f"/dashboard/profile/mei-chen/clinics/{location.pk}/"
    no_script_page.goto(edit)
    hours = no_script_page.get_by_role("group", name="Opening hours")
    hours.get_by_label("Monday").focus()
    no_script_page.keyboard.type("09:00-13:00, 14:00-18:00")
    no_script_page.keyboard.press("Tab")  # to Tuesday: left empty, closed
    no_script_page.keyboard.press("Tab")
    no_script_page.keyboard.type("9 till 5")  # Wednesday: refused
    no_script_page.keyboard.press("Enter")
    expect(no_script_page.locator(".errorlist")).to_contain_text("“9 till 5” is not a time range")
    assert list(location.opening_intervals.all()) == []

    no_script_page.get_by_label("Wednesday").fill("")
    no_script_page.get_by_label("Saturday").focus()
    no_script_page.keyboard.type("10:00-14:00")
    no_script_page.keyboard.press("Enter")
    no_script_page.wait_for_url("**/dashboard/profile/mei-chen/")
    assert [str(interval) for interval in location.opening_intervals.all()] == [
        "Monday 09:00–13:00",
        "Monday 14:00–18:00",
        "Saturday 10:00–14:00",
    ]

    page.goto(edit)
    expect(page.get_by_label("Monday")).to_have_value("09:00-13:00, 14:00-18:00")
    page.get_by_label("Friday").fill("18:00-09:00")
    page.get_by_role("button", name="Save clinic").click()
    expect(page.locator(".errorlist")).to_contain_text("must be later than the opening time")
    assert_accessible(page)
