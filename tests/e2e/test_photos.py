"""A practitioner adds a photo by keyboard; the profile shows it at its fixed size, from the
file that suits the screen, without moving the layout; checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, tab_until
from tests.factories import AccountFactory, owned_practitioner, phone_photo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # AccountFactory's

# The sum of layout-shift scores since the page started loading (0: nothing moved).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def test_a_photo_is_added_by_keyboard_and_shown_without_moving_the_layout(page):
    account = AccountFactory(email="mei@example.com")
    owned_practitioner(owner=account, slug="mei-chen", first_name="Mei", last_name="Chen")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("mei@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/profile/mei-chen/")
    expect(page.locator("#photo-title + p")).to_have_text("No photo: patients see your initials.")

    tab_until(page, "text=Add a photo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/profile/mei-chen/photo/")
    assert_accessible(page)
    page.get_by_label("Photo").set_input_files(
        {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": phone_photo(1200, 900)}
    )
    tab_until(page, "text=Save photo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/profile/mei-chen/")
    expect(page.locator(".messages")).to_contain_text("Photo saved.")
    assert_accessible(page)

    page.goto("/practitioners/mei-chen/")
    photo = page.get_by_role("img", name="Mei Chen")
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("image => image.currentSrc").endswith("-96.webp")  # 96 px at 1x
    assert photo.evaluate("image => [image.naturalWidth, image.naturalHeight]") == [96, 96]
    box = photo.bounding_box()
    assert (box["width"], box["height"]) == (96, 96)
    assert page.evaluate(LAYOUT_SHIFT) == 0
    assert page.locator("svg.avatar").count() == 0
    assert_accessible(page)
