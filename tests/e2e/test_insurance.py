"""Insurance in a real browser: the filter works without JavaScript, cards and profiles say
what a clinic takes (with Medicare's rule and its source), and axe finds nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from directory.models import Payer
from tests.e2e.conftest import assert_accessible
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinics():
    """Two practitioners in San Francisco; only the farther one's clinic takes Medicare."""
    for index, slug in enumerate(["cash-only", "takes-medicare"]):
        practitioner = PractitionerFactory(slug=slug, first_name=slug.title(), last_name="Example")
        location = LocationFactory(practitioner=practitioner, latitude=37.7599 + index * 0.01)
        LicenseFactory(practitioner=practitioner)
        if index:
            location.payers.set(Payer.objects.filter(slug__in=["medicare-us", "aetna-us"]))


def test_filter_by_insurance_without_javascript(no_script_page, clinics):
    page = no_script_page
    page.goto("/search/")
    page.get_by_label("Near", exact=True).fill("94110")
    page.locator("#search-filters > summary").click()
    page.get_by_label("Insurance or payment").select_option("medicare-us")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"insurance=medicare-us"))
    expect(page.locator("#search-status")).to_contain_text("1 practitioner")
    card = page.locator(".result-card")
    expect(card).to_have_count(1)
    expect(card.locator(".payers")).to_have_text("Takes: Medicare, Aetna")
    card.get_by_role("link", name="Takes-Medicare Example").click()
    note = page.locator(".coverage-note")
    expect(note).to_contain_text("only for chronic low back pain")
    expect(note.get_by_role("link")).to_have_attribute(
        "href", "https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=373"
    )


def test_insurance_on_results_and_profiles_is_accessible(page, clinics):
    page.goto("/search/?near=94110&insurance=medicare-us")
    expect(page.locator(".result-card .payers")).to_be_visible()
    assert_accessible(page)
    page.goto("/practitioners/takes-medicare/")
    expect(page.locator(".coverage-note")).to_be_visible()
    assert_accessible(page)
