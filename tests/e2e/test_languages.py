"""Spanish and Chinese pages in a real browser: every page a patient, a practitioner signing
up and a practitioner on their dashboard sees reads entirely in that language (its visible
text and the labels screen readers read, leaving out only what people wrote, which is marked
with its own language or translate="no"), with `lang` right and no axe violation; and a
browser that prefers Spanish is sent to the Spanish pages on arrival."""

from __future__ import annotations

import datetime
import re

import pytest

from directory import services
from directory.hours import Interval
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_security_policy import sign_in
from tests.factories import AccountFactory, CertificationFactory, listed_practitioner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Interface words that would betray an untranslated string (none is a Spanish word).
ENGLISH_WORDS = {
    "about", "accepting", "add", "and", "back", "book", "certainty", "checked", "clinic",
    "clinics", "closed", "condition", "conditions", "dashboard", "details", "edit", "email",
    "evidence", "filters", "find", "from", "have", "hours", "how", "insurance", "license",
    "licenses", "log", "more", "near", "new", "next", "not", "open", "password", "patients",
    "practitioner", "practitioners", "profile", "results", "save", "search", "show", "sign",
    "source", "studies", "study", "submit", "the", "this", "until", "valid", "verified",
    "what", "when", "with", "you", "your",
}  # fmt: skip

READ_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const own = (element) => !element.closest('script, style, [translate="no"]')
    && !(element.closest('[lang]').getAttribute('lang') || '').toLowerCase().startsWith('en');
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (element && own(element) && element.checkVisibility()) {
      parts.push(walker.currentNode.textContent);
    }
  }
  const labelled = '[aria-label], [placeholder], [title], img[alt]';
  for (const element of document.querySelectorAll(labelled)) {
    if (!own(element)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      if (element.hasAttribute(name)) parts.push(element.getAttribute(name));
    }
  }
  parts.push(document.title);
  return parts.join(' \\n ');
}"""


def english_left(page) -> list[str]:
    text = page.evaluate(READ_TEXT)
    found = []
    for line in text.split("\n"):
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", line)}
        if words & ENGLISH_WORDS:
            found.append(" ".join(line.split())[:120])
    return found


@pytest.fixture
def listed():
    # Her bio is in English, and she says so: it keeps lang="en" on Spanish and Chinese pages.
    practitioner = listed_practitioner(
        slug="lan-nguyen",
        first_name="Lan",
        last_name="Nguyen",
        bio_language="en",
        owner=AccountFactory(email="lan@example.org"),
    )
    CertificationFactory(practitioner=practitioner)
    location = practitioner.locations.get()
    week = [Interval(day, datetime.time(9), datetime.time(17)) for day in range(5)]
    services.location_save(location=location, opening_hours=week)
    return practitioner


PUBLIC_PAGES = [
    "/",
    "/search/?near=94105",
    "/practitioners/lan-nguyen/",
    "/practitioners/lan-nguyen/verification/",
    "/evidence/",
    "/conditions/migraine/",
    "/accounts/signup/",
]


@pytest.mark.parametrize(("prefix", "tag"), [("/es", "es"), ("/zh-hans", "zh-Hans")])
def test_every_page_reads_in_the_chosen_language(page, live_server, listed, prefix, tag):
    for path in PUBLIC_PAGES:
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == tag, path
        left = english_left(page)
        assert left == [], f"{path}: {left}"
        assert_accessible(page)
    sign_in(page, live_server, listed.owner)
    page.goto(f"{prefix}/dashboard/")
    left = english_left(page)
    assert left == [], f"dashboard: {left}"
    assert_accessible(page)


def test_a_spanish_browser_arrives_in_spanish_and_can_choose_english(browser, live_server, listed):
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    page = context.new_page()
    page.goto("/practitioners/lan-nguyen/")
    assert page.url.endswith("/es/practitioners/lan-nguyen/")
    page.get_by_role("navigation", name=re.compile(".")).get_by_role(
        "link", name="English", exact=True
    ).click()
    page.wait_for_url("**/practitioners/lan-nguyen/")
    assert not page.url.endswith("/es/practitioners/lan-nguyen/")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


def test_the_english_pages_show_us_dates_and_times(page, listed):
    page.goto("/practitioners/lan-nguyen/")
    assert "9:00 AM–5:00 PM" in page.locator("table.hours").inner_text()
    page.goto("/en-gb/practitioners/lan-nguyen/")
    assert "09:00–17:00" in page.locator("table.hours").inner_text()
