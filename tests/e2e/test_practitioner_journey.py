"""The whole practitioner journey in a real browser: sign up, verify the email, build a
profile with a clinic, upload a license, and see it verified by staff who sign in with a
code from their authenticator app. Each step is a function, so the journey can grow
(next: "the practitioner appears in search near the clinic", once search lands)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from directory.models import Practitioner
from tests.e2e.conftest import assert_accessible, tab_until
from tests.factories import TOTP_SECRET, AccountFactory, owned_practitioner, png_bytes, reviewer
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # log-in attempts counted by earlier tests must not block these


EMAIL, PASSWORD = "lan.nguyen@example.com", "a long practitioner passphrase"
STAFF_EMAIL, STAFF_PASSWORD = "reviewer@example.com", "correct horse battery"


def expires() -> datetime.date:
    """The license's expiry, three years after the run's frozen today."""
    return timezone.localdate() + datetime.timedelta(days=3 * 365)


def sign_up(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Practitioners: sign up").click()
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.locator("h1").inner_text() == "Verify Your Email Address"


def follow_verification_link(page) -> None:
    message = next(m for m in reversed(mail.outbox) if m.to == [EMAIL])
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")


def create_profile_with_clinic(page) -> str:
    page.get_by_role("link", name="Create your profile").click()
    page.get_by_label("First name").fill("Lan")
    page.get_by_label("Last name").fill("Nguyen")
    page.get_by_label("Letters after your name").fill("L.Ac.")
    page.get_by_role("textbox", name="Bio").fill("Acupuncture for migraine and sleep.")
    page.get_by_label("Vietnamese").check()
    page.get_by_label("Migraine", exact=True).check()
    page.get_by_label("Accepting new patients").check()
    assert_accessible(page)
    page.get_by_role("button", name="Create profile").click()
    page.wait_for_url("**/dashboard/profile/lan-nguyen/")
    assert "Profile created" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Add a clinic").click()
    page.get_by_label("Clinic name").fill("Mission Acupuncture")
    page.get_by_label("Street address").fill("1 Market St")
    page.get_by_label("City").fill("San Francisco")
    page.get_by_label("State, province or country").select_option("US-CA")
    page.get_by_label("Postal code").fill("94105")
    page.get_by_label("Latitude").fill("37.7936")
    page.get_by_label("Longitude").fill("-122.3950")
    assert_accessible(page)
    page.get_by_role("button", name="Save clinic").click()
    page.wait_for_url("**/dashboard/profile/lan-nguyen/")
    assert "Mission Acupuncture" in page.locator("#clinics-title + ul").inner_text()
    return "lan-nguyen"


def upload_license(page) -> None:
    page.get_by_role("link", name="Add a license").click()
    page.get_by_label("Issued for").select_option("US-CA")
    page.get_by_label("License type").fill("L.Ac.")
    page.get_by_label("License number").fill("AC31415")
    page.get_by_label("Issued on").fill(
        (timezone.localdate() - datetime.timedelta(days=5 * 365)).isoformat()
    )
    page.get_by_label("Expires on").fill(expires().isoformat())
    page.get_by_label("Document").set_input_files(
        {"name": "license.png", "mimeType": "image/png", "buffer": png_bytes(120, 80)}
    )
    assert_accessible(page)
    page.get_by_role("button", name="Submit for verification").click()
    page.wait_for_url("**/dashboard/profile/lan-nguyen/")
    row = page.get_by_role("row", name=re.compile("L.Ac., California"))
    assert "Pending review" in row.inner_text()
    assert_accessible(page)


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


def staff_sign_in_with_totp(page) -> None:
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def staff_approve_license(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Lan Nguyen: L.Ac. AC31415")).click()
    document = page.get_by_role("img", name=re.compile("Supporting document"))
    expect(document).to_have_js_property("naturalWidth", 120)  # the scan itself, loaded
    source = page.get_by_label("Primary source checked")
    assert source.input_value() == "https://search.dca.ca.gov/"
    assert page.get_by_label("Date checked").input_value() == timezone.localdate().isoformat()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/review/")
    assert "L.Ac. license AC31415 (US-CA): verified" in page.locator(".messages").inner_text()


def patient_sees_verified_profile(page, slug: str) -> None:
    page.goto(f"/practitioners/{slug}/")
    today, until = timezone.localdate(), expires()
    line = page.get_by_role("row", name=re.compile("License: L.Ac.")).inner_text()
    assert (
        f"Verified with California Acupuncture Board (DCA license search) on "
        f"{date_format(today)} · valid until {date_format(until)}"
    ) in line
    assert "Mission Acupuncture" in page.locator("#locations-title ~ ul").inner_text()
    assert f"Details confirmed on {date_format(today)}" in page.locator(".confirmed").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("verification history")).click()
    assert "Pending review → Verified" in page.locator("main").inner_text()
    assert STAFF_EMAIL not in page.content()


def patient_finds_them_in_search_near_the_clinic(page, slug: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Find a practitioner").last.click()
    page.get_by_label("Near", exact=True).fill("94105")  # the clinic's ZIP code
    page.get_by_role("button", name="Search").click()
    card = page.locator(".result-card", has=page.locator(f'a[href="/practitioners/{slug}/"]'))
    expect(card).to_contain_text("License verified · US-CA")
    expect(card).to_contain_text("Mission Acupuncture")
    assert float(card.locator(".distance").inner_text().split()[0]) < 1
    card.get_by_role("link").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith(f"/practitioners/{slug}/")


def test_sign_up_to_verified_public_profile(page):
    reviewer(email=STAFF_EMAIL)
    sign_up(page)
    follow_verification_link(page)
    slug = create_profile_with_clinic(page)
    upload_license(page)
    log_out(page)
    staff_sign_in_with_totp(page)
    staff_approve_license(page)
    assert any(m.to == [EMAIL] and "is verified" in m.body for m in mail.outbox)
    patient_sees_verified_profile(page, slug)
    patient_finds_them_in_search_near_the_clinic(page, slug)
    assert Practitioner.objects.listable().filter(slug=slug).exists()


def test_the_dashboard_works_by_keyboard_and_without_javascript(no_script_page, page):
    account = AccountFactory(email="mei@example.com")
    owned_practitioner(owner=account, slug="mei-chen", details_confirmed_on=None)
    for browser_page in (no_script_page, page):
        browser_page.goto("/accounts/login/")
        browser_page.get_by_label("Email").fill("mei@example.com")
        browser_page.get_by_label("Password").fill(STAFF_PASSWORD)
        browser_page.get_by_role("button", name="Sign In").click()
        browser_page.wait_for_url("**/dashboard/profile/mei-chen/")
    tab_until(page, "text=Everything is still correct")
    page.keyboard.press("Enter")
    # The form posts back to the page it is on: wait for the answer, not for the URL.
    expect(page.locator(".messages")).to_contain_text("confirmed as current today")

    for account_page in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        page.goto(account_page)
        assert_accessible(page)

    no_script_page.get_by_role("link", name="Add a clinic").click()
    no_script_page.get_by_label("City").fill("Oakland")
    no_script_page.get_by_label("State, province or country").select_option("US-CA")
    no_script_page.get_by_role("button", name="Save clinic").click()
    no_script_page.wait_for_url("**/dashboard/profile/mei-chen/")
    assert "Oakland" in no_script_page.locator("#clinics-title + ul").inner_text()
