"""The search page's weight as a phone receives it from Meridian deployed: gunicorn with
DEBUG off and collectstatic's compressed files (the live server the other browser tests use
sends static files uncompressed, which no deployment does). The browser's Performance API
sums what crossed the wire for the page and everything it loaded, map tiles excepted, with
a photo on every one of the 20 result cards. As it loads (what a phone fetches on opening
the page, lazy photos further down the list not yet) it must stay within 150 KB; the
figure once scrolled to the end, every photo loaded, is printed beside it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from directory import photos
from tests.e2e.conftest import assert_accessible
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    phone_photo,
    photo_upload,
)
from tests.ops.processes import Server, database_url, deployed_environment, gunicorn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 150_000  # bytes
CENTRE = (37.7599, -122.4148)

# Everything the page loaded, in bytes on the wire (headers and compressed bodies), map
# tiles excepted (none are configured here; MAP_TILE_URL would add them).
TRANSFERRED = """() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return entries.filter(entry => !/\\/tiles?\\/|\\{z\\}/.test(entry.name)).map(entry => ({
    name: entry.name, transfer: entry.transferSize, encoded: entry.encodedBodySize,
    decoded: entry.decodedBodySize}));
}"""


@pytest.fixture
def deployed(tmp_path, photo_files) -> Iterator[Server]:
    """One gunicorn worker on the test database (sockets included), its photos the test's."""
    env = deployed_environment(
        database_url(), tmp_path, PHOTO_ROOT=str(photo_files), WEB_CONCURRENCY="1"
    )
    with gunicorn(env, tmp_path) as server:
        yield server


@pytest.fixture
def twenty_with_photos(db) -> None:
    """A full first page: 20 listed practitioners, each with a photo. The server keeps the
    machine's clock, so the licenses cover both it and the suite's frozen today."""
    real_today = datetime.datetime.fromtimestamp(
        time_machine.escape_hatch.time.time(), datetime.UTC
    ).date()
    frozen_today = datetime.date.today()
    year = datetime.timedelta(days=365)
    prepared = photos.photo_prepare(photo_upload(phone_photo(960, 1280, detailed=True)))
    for index in range(20):
        practitioner = PractitionerFactory(
            slug=f"weight-{index:02d}", first_name=f"Name{index:02d}", last_name="Example"
        )
        LocationFactory(
            practitioner=practitioner, latitude=CENTRE[0] + index * 0.003, longitude=CENTRE[1]
        )
        LicenseFactory(
            practitioner=practitioner,
            issued_on=min(real_today, frozen_today) - year,
            expires_on=max(real_today, frozen_today) + year,
        )
        photos.practitioner_photo_set(practitioner=practitioner, photo=prepared)


def test_the_search_page_with_results_stays_within_150_kb_on_a_phone(
    browser, deployed, twenty_with_photos
):
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{deployed.port}",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,  # a current phone; the cards then ask for the 144 px file
    )
    page = context.new_page()
    page.goto(f"/search/?near={CENTRE[0]},{CENTRE[1]}", wait_until="networkidle")
    assert page.locator(".result-card").count() == 20
    on_arrival = page.evaluate(TRANSFERRED)
    # Scrolled to the end, every card's (lazy) photo has loaded too.
    for card in page.locator(".result-card img.photo").all():
        card.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.result-card img.photo')].every(i => i.complete)"
    )
    everything = page.evaluate(TRANSFERRED)
    assert_accessible(page)  # photos have their alt text, and nothing else broke
    context.close()

    first, total = (sum(entry["transfer"] for entry in found) for found in (on_arrival, everything))
    loaded_photos = [entry for entry in everything if "/photos/" in entry["name"]]
    photos_first = sum("/photos/" in entry["name"] for entry in on_arrival)
    print(
        f"\nSearch page on a phone (390x844), 20 results with photos, as deployed: "
        f"{first / 1000:.1f} KB as it loads ({len(on_arrival)} responses, {photos_first} "
        f"photos), {total / 1000:.1f} KB once scrolled to the end ({len(everything)} "
        f"responses, {len(loaded_photos)} photos); budget {BUDGET / 1000:.0f} KB"
    )
    for entry in sorted(everything, key=lambda entry: -entry["transfer"]):
        print(f"  {entry['transfer']:>7} B  {entry['name'].split('/', 3)[-1][:70]}")
    assert len(loaded_photos) == 20  # the 3x file (144 px) for each 48 px card
    assert all(entry["name"].endswith("-144.webp") for entry in loaded_photos)
    assert all(entry["transfer"] > 0 for entry in everything), "a size the browser hid"
    scripts = [entry for entry in everything if entry["name"].endswith(".js")]
    assert scripts and all(entry["encoded"] < entry["decoded"] for entry in scripts)  # compressed
    assert first <= BUDGET, f"{first} bytes is over the {BUDGET} byte budget"
