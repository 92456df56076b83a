from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible, tab_until
from tests.factories import CertificationFactory, listed_practitioner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_landing_page_is_accessible_and_its_call_to_action_works_by_keyboard(page):
    page.goto("/")
    assert_accessible(page)
    tab_until(page, "main >> text=Find a practitioner")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")
    assert page.locator("h1").inner_text() == "Find a practitioner"


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_profile_page_is_accessible(page):
    practitioner = listed_practitioner(first_name="Lan", last_name="Nguyen")
    CertificationFactory(practitioner=practitioner)
    page.goto(practitioner.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("Lan Nguyen")
    assert page.get_by_role("table").get_by_text("California, United States").is_visible()
    assert_accessible(page)


def test_the_accessibility_check_catches_a_violation(page):
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
