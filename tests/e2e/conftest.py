"""Browser tests: Playwright for Python driving the system's Chromium (Debian's `chromium`
package) against pytest-django's live server. Playwright's own browser download is never
used. Without a Chromium these tests skip and say why."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import restore_vocabulary

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Flags that keep Chromium from reaching out to Google's services on a closed network.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in the test thread; the live server's database
# work happens in its own thread, and test set-up queries are synchronous on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def vocabulary(transactional_db):
    """Browser tests commit their data so the live server can see it, and each is flushed
    afterwards: put the shared vocabulary back before each test."""
    restore_vocabulary()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("no Chromium found: install Debian's chromium package or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else []),
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page whose every Content-Security-Policy violation fails the test."""
    from tests.e2e.csp import watch

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    policy = watch(page)
    yield page
    context.close()
    assert policy.violations == [], policy.violations


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


def tab_until(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus; fail if it never does."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reachable with the Tab key")
