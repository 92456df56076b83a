"""The practitioner's first hour and the reviewer's first login, in a real browser on a phone
(390 px) and a desktop: sign-up to listed, with the "your listing" checklist's state and the
preview at each step and a reviewer's approval in between; and a new staff account from its
emailed confirmation through TOTP set-up and recovery codes to the review queue, asked for
its password only once. No axe violation on any page on the way."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from directory.models import Practitioner
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_practitioner_journey import (
    EMAIL,
    PASSWORD,
    STAFF_EMAIL,
    create_profile_with_clinic,
    log_out,
    staff_approve_license,
    staff_sign_in_with_totp,
    upload_license,
)
from tests.factories import UserFactory, reviewer
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser, live_server):
    """A page at a phone's or a desktop's width; any Content-Security-Policy violation fails."""
    from tests.e2e.csp import watch

    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    policy = watch(page)
    yield page
    context.close()
    assert policy.violations == [], policy.violations


def checklist_states(page) -> dict[str, str]:
    items = page.locator("#your-listing li[data-step]")
    return {
        items.nth(i).get_attribute("data-step"): items.nth(i).get_attribute("data-state")
        for i in range(items.count())
    }


def sign_up_as_a_practitioner(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Practitioners: sign up").click()
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("List your practice on Meridian")
    expect(main).to_contain_text("A verified listing is free.")
    expect(main).to_contain_text("Your license number and the state, province or country")
    expect(main).to_contain_text("A PDF or a photo of your license")
    expect(main).to_contain_text("Once it is verified, patients find you in search.")
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Verify Your Email Address")


def confirm_from_the_email(page, address: str, lands: str = "**/dashboard/**") -> None:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    assert message.subject == "Meridian: please confirm your email address"
    assert f"used this address ({address}) to create an account on Meridian." in message.body
    assert "The Meridian team" in message.body
    assert "Hello from" not in message.body and f"user {address}" not in message.body
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lands)


def test_a_practitioner_goes_from_sign_up_to_listed(sized_page):
    page = sized_page
    reviewer(email=STAFF_EMAIL)
    sign_up_as_a_practitioner(page)
    confirm_from_the_email(page, EMAIL)
    slug = create_profile_with_clinic(page)

    # A clinic, no license yet: the checklist says so, and what to do next.
    assert checklist_states(page) == {
        "profile": "done",
        "clinic": "done",
        "map": "done",
        "license": "todo",
        "verified": "todo",
        "jurisdiction": "todo",
        "published": "done",
    }
    expect(page.locator("#your-listing")).to_contain_text(
        "Patients cannot see you yet, because you have not submitted a license."
    )
    expect(page.locator("#next-step")).to_contain_text("Submit your license")
    assert_accessible(page)

    upload_license(page)
    states = checklist_states(page)
    assert (states["license"], states["verified"], states["jurisdiction"]) == (
        "done",
        "waiting",
        "waiting",
    )
    listing = page.locator("#your-listing")
    expect(listing).to_contain_text(
        "Patients cannot see you yet, because your license is waiting for review by Meridian staff."
    )
    expect(page.locator("#review-wait")).to_contain_text("Your license was submitted on")
    expect(page.locator("#next-step")).to_contain_text("nothing to do: wait for Meridian staff")

    # The preview: the owner sees the page patients will see, marked; nobody else does.
    page.get_by_role("link", name="Preview your public profile").click()
    expect(page.locator("#preview-notice")).to_contain_text(
        "Preview: patients cannot see this page yet, because your license is waiting for "
        "review by Meridian staff."
    )
    expect(page.locator("h1")).to_contain_text("Lan Nguyen")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    assert_accessible(page)
    assert Client().get(f"/practitioners/{slug}/").status_code == 404
    assert not Practitioner.objects.listable().filter(slug=slug).exists()

    page.goto(f"/dashboard/profile/{slug}/")
    log_out(page)
    staff_sign_in_with_totp(page)
    page.goto("/review/")
    expect(page.locator("main")).to_contain_text(re.compile(r"submitted \d+\W+minutes? ago"))
    staff_approve_license(page)
    log_out(page)

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**/dashboard/profile/{slug}/")
    assert set(checklist_states(page).values()) == {"done"}
    expect(page.locator("#your-listing")).to_contain_text(
        "Patients can find you in search and see your public profile."
    )
    assert page.locator("#next-step").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="See your public profile").click()
    assert page.locator("#preview-notice").count() == 0
    assert Client().get(f"/practitioners/{slug}/").status_code == 200


def test_a_new_reviewer_goes_from_first_login_to_the_queue(sized_page):
    page = sized_page
    address, password = "new.reviewer@example.org", "correct horse battery"
    UserFactory(email=address, is_staff=True)  # made by an administrator, email unconfirmed

    page.goto("/review/")
    page.wait_for_url("**/accounts/login/?next=/review/")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)
    # Confirming signs in and goes on to the page first asked for, which sends a staff
    # account without an authenticator app to set one up.
    confirm_from_the_email(page, address, lands="**/accounts/2fa/totp/activate/")
    # Signed in a moment ago: no "Confirm access" password prompt on the way.
    expect(page.locator("h1")).to_have_text("Activate Authenticator App")
    expect(page.locator(".messages")).to_contain_text("we take you back to the page you asked for")
    assert_accessible(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    # A code typed as its 30-second window closes is refused, as from a phone; then the
    # next one is typed, as a person would.
    for _attempt in range(2):
        page.get_by_label("Authenticator code").fill(totp_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Activate").click()
        if "/recovery-codes/" in page.url:
            break
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) >= 8
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("continue to the page I asked for")).click()
    page.wait_for_url("**/review/")
    expect(page.locator("h1")).to_have_text("Review queue")
    assert_accessible(page)
