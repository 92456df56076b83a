"""The pages work under the Content-Security-Policy and Permissions-Policy, in a real
browser: search with htmx, Leaflet and map tiles, "Use my location", the dashboard with an
upload, the review queue's document previews, the admin, the authenticator set-up, and
Swagger UI; no policy violation and no console error on any of them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from common.security import content_security_policy
from tests.e2e.csp import watch
from tests.factories import (
    PDF_BYTES,
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    owned_practitioner,
    png_bytes,
    reviewer,
    today,
    upload,
)
from tests.servers import serve

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MISSION = (37.7599, -122.4148)


@pytest.fixture
def san_francisco():
    for index in range(5):
        practitioner = PractitionerFactory(slug=f"sf-{index}", last_name=f"Example{index}")
        LocationFactory(
            practitioner=practitioner, latitude=MISSION[0] + index * 0.004, longitude=MISSION[1]
        )
        LicenseFactory(practitioner=practitioner)


@pytest.fixture
def tile_server(settings):
    """A tile server on loopback, configured as MAP_TILE_URL would configure it."""

    def answer(path: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        return 200, png_bytes(256, 256), "image/png"

    with serve(answer) as service:
        url = service.url + "/{z}/{x}/{y}.png"
        settings.MAP_TILES = {"url": url, "attribution": "Test tiles"}
        settings.SECURE_CSP = content_security_policy(map_tile_url=url)
        yield service


def sign_in(page, live_server, user) -> None:
    """Give the browser a session for `user` (the log-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_policy_is_enforced_and_watched(page):
    """The watcher sees what the policy refuses: an inline script and eval."""
    seen = watch(page)
    page.goto("/")
    # (DevTools' own evaluation may eval; a timer callback runs as page code would.)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
          setTimeout(() => {
            try { eval("1 + 1"); window.evaluated = "ran"; }
            catch (error) { window.evaluated = error.name; }
          });
        }"""
    )
    page.wait_for_function("() => window.evaluated !== undefined")
    assert page.evaluate("() => [window.inlineRan === true, window.evaluated]") == [
        False,
        "EvalError",
    ]
    for _ in range(80):  # the reports reach Python asynchronously
        if len(seen.violations) >= 2:
            break
        page.wait_for_timeout(25)
    assert any(v.startswith("script-src-elem blocked inline") for v in seen.violations)
    assert any(v.startswith("script-src blocked eval") for v in seen.violations)
    seen.violations.clear()  # provoked on purpose; the page fixture fails on any left over


def test_search_with_htmx_leaflet_tiles_and_suggestions(page, san_francisco, tile_server):
    seen = watch(page)
    page.goto("/search/")
    near = page.get_by_label("Near", exact=True)
    near.press_sequentially("San Fran")
    expect(page.locator("#place-suggestions option").first).to_have_attribute(
        "value", re.compile("San Francisco")
    )
    near.fill("94110")
    page.get_by_role("button", name="Search").click()
    status = page.locator("#search-status")
    expect(status).to_contain_text("5 practitioners within 15 mi of 94110")
    expect(page.locator(".map-pin")).to_have_count(5)
    tile = page.locator("img.leaflet-tile-loaded").first
    expect(tile).to_have_attribute("src", re.compile(re.escape(tile_server.url)))
    # The tile server learns which site embeds it, never the page (and place) searched.
    assert {r.headers.get("Referer") for r in tile_server.requests} == {
        page.url.split("/search/")[0] + "/"
    }

    page.get_by_label("Unit").select_option("km")  # htmx swaps the results in place
    expect(status).to_contain_text("5 practitioners within 25 km of 94110")
    expect(page.locator(".map-pin")).to_have_count(5)
    seen.assert_clean()


def test_use_my_location_works_on_search_and_geolocation_is_denied_elsewhere(
    browser, live_server, san_francisco
):
    context = browser.new_context(
        base_url=live_server.url,
        permissions=["geolocation"],
        geolocation={"latitude": MISSION[0], "longitude": MISSION[1]},
    )
    page = context.new_page()
    seen = watch(page)
    ask = """() => new Promise((resolve) => navigator.geolocation.getCurrentPosition(
        () => resolve("allowed"), (error) => resolve(`denied ${error.code}`)))"""
    page.goto("/")
    assert page.evaluate(ask) == "denied 1"  # Permissions-Policy: geolocation=()
    page.goto("/practitioners/sf-0/")
    assert page.evaluate(ask) == "denied 1"

    page.goto("/search/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_label("Near", exact=True)).to_have_value("37.7599, -122.4148")
    # Named by the nearest place in the gazetteer, not by its coordinates.
    expect(page.locator("#search-status")).to_contain_text("5 practitioners")
    expect(page.locator("#search-status")).to_contain_text("of Mission District, CA")
    assert page.evaluate(ask) == "allowed"
    context.close()
    # The two refusals above are the policy working, and Chromium says so in the console.
    assert seen.violations == []
    assert seen.errors == 2 * [
        "Permissions policy violation: Geolocation access has been blocked because of a "
        "permissions policy applied to the current document. See https://crbug.com/414348233 "
        "for more details."
    ]


def test_dashboard_pages_and_an_upload(page, live_server):
    owner = AccountFactory(email="owner@example.com")
    owned_practitioner(owner=owner, slug="mei-chen", first_name="Mei", last_name="Chen")
    sign_in(page, live_server, owner)
    seen = watch(page)
    page.goto("/dashboard/")
    expect(page.locator("h1")).to_contain_text("Mei Chen")
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_role("textbox", name="Bio").fill("Acupuncture for migraine.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator(".messages")).to_contain_text("Profile saved")
    page.get_by_role("link", name="Add a license").click()
    page.get_by_label("Issued for").select_option("US-NY")
    page.get_by_label("License type").fill("L.Ac.")
    page.get_by_label("License number").fill("012345")
    page.get_by_label("Expires on").fill((today() + datetime.timedelta(days=3 * 365)).isoformat())
    page.get_by_label("Document").set_input_files(
        {"name": "license.png", "mimeType": "image/png", "buffer": png_bytes(120, 80)}
    )
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator(".messages")).to_contain_text("Staff will verify it")
    for path in ["/dashboard/api-token/", "/accounts/email/", "/accounts/password/change/"]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
    page.goto("/dashboard/api-token/")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("code.token")).to_be_visible()
    seen.assert_clean()


def test_review_previews_admin_and_authenticator_set_up(page, live_server, private_files):
    practitioner = owned_practitioner(slug="mei-chen", first_name="Mei", last_name="Chen")
    pending_png = LicenseFactory(practitioner=practitioner, status="pending", verified_on=None)
    pending_png.document.save("scan.png", upload("scan.png", png_bytes(120, 80), "image/png"))
    pending_pdf = CertificationFactory(
        practitioner=practitioner, status="pending", verified_on=None
    )
    pending_pdf.document.save("scan.pdf", upload("scan.pdf", PDF_BYTES))
    staff = reviewer(email="staff@example.com", is_superuser=True)
    sign_in(page, live_server, staff)
    seen = watch(page)

    page.goto(f"/review/licenses/{pending_png.public_id}/")
    preview = page.get_by_role("img", name=re.compile("Supporting document"))
    expect(preview).to_have_js_property("naturalWidth", 120)
    page.goto(f"/review/certifications/{pending_pdf.public_id}/")
    expect(page.locator("iframe")).to_have_count(0)  # a PDF is downloaded, never shown
    link = page.get_by_role("link", name="Download the document (PDF)")
    pdf_response = page.request.get(link.get_attribute("href"))
    assert pdf_response.status == 200
    assert pdf_response.headers["content-type"] == "application/pdf"
    assert pdf_response.headers["content-disposition"].startswith("attachment;")

    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/directory/practitioner/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/directory/practitioner/{practitioner.pk}/change/")
    expect(page.locator("#practitioner_form")).to_be_visible()

    newcomer = AccountFactory(email="new.staff@example.com", is_staff=True)
    page.context.clear_cookies()
    sign_in(page, live_server, newcomer)
    page.goto("/review/")
    # Just signed in: straight to TOTP set-up, no second password prompt (issue 25).
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    qr = page.locator("img[src^='data:image/svg+xml']")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0
    seen.assert_clean()


def test_swagger_ui_runs_from_files(page):
    seen = watch(page)
    page.goto("/api/docs/")
    operation = page.locator(".opblock", has_text="/api/v1/places/")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("q").fill("Brooklyn")
    page.get_by_role("button", name="Execute").click()
    response = page.locator(".live-responses-table tbody .response-col_status").first
    expect(response).to_have_text("200")
    expect(page.locator(".live-responses-table")).to_contain_text("Brooklyn, NY")
    seen.assert_clean()


def test_sign_up_and_password_reset_pages(page):
    seen = watch(page)
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long practitioner passphrase")
    page.get_by_label("Password (again)").fill("a long practitioner passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Verify Your Email Address")
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.locator("h1")).to_have_text("Password Reset")
    seen.assert_clean()
