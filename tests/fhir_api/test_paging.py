"""Paging to the end of any result with an opaque keyset cursor, counting with _count=0 or
_summary=count, the POST form of search, and 406 for formats not served: the bugs an outside
client hit, driven through fhirpy where a client library does the work."""

from __future__ import annotations

import urllib.parse

import pytest
from fhirpy import SyncFHIRClient

from fhir_api.history import versions_record
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import fetch, validate

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (37.7749, -122.4194)


@pytest.fixture
def many():
    """57 listed practitioners, each with one clinic around San Francisco City Hall (two at
    the very same point, so distance ties are paged by id), and one who is not listed."""
    for number in range(57):
        practitioner = PractitionerFactory(slug=f"p-{number:02d}")
        latitude = ORIGIN[0] + (number if number != 56 else 55) * 0.001
        LocationFactory(practitioner=practitioner, latitude=latitude, longitude=ORIGIN[1])
        LicenseFactory(practitioner=practitioner)
    PractitionerFactory(slug="unlisted")  # no license: not listed
    return [f"p-{number:02d}" for number in range(57)]


def test_fhirpy_pages_to_the_end_past_fifty_pages(live_server, many):
    client = SyncFHIRClient(f"{live_server.url}/fhir")
    found = client.resources("Practitioner").limit(1).fetch_all()  # 57 pages, by `next`
    assert [practitioner.id for practitioner in found] == many


def test_near_pages_to_the_end_nearest_first_with_ties(live_server, many):
    client = SyncFHIRClient(f"{live_server.url}/fhir")
    roles = (
        client.resources("PractitionerRole")
        .search(**{"near": f"{ORIGIN[0]}|{ORIGIN[1]}|50|km"})
        .limit(2)
        .fetch_all()
    )
    assert [role.practitioner.reference.split("/")[1] for role in roles] == many


def test_last_page_states_the_total_and_every_link_is_opaque(fhir, many):
    url = "Location?_count=20"
    pages = []
    while url:
        answer = fhir(url)
        assert answer.status == 200
        validate(answer.body)
        pages.append(answer.body)
        links = {link["relation"]: link["url"] for link in answer.body["link"]}
        url = links.get("next", "").split("/fhir/", 1)[-1] if "next" in links else ""
        if url:
            cursor = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["_cursor"][0]
            assert not any(character.isspace() for character in cursor)
    assert [len(page["entry"]) for page in pages] == [20, 20, 17]
    assert ["total" in page for page in pages] == [False, False, True]
    assert pages[-1]["total"] == 57


def test_a_cursor_pages_only_the_search_that_wrote_it(fhir, many):
    """Each search orders by its own key (slug, clinic, distance and clinic, history's
    instant): a cursor carried to another answers 400, never a 500."""
    versions_record()  # so Location/_history has pages

    def cursor(path: str) -> str:
        links = {link["relation"]: link["url"] for link in fhir(path).body["link"]}
        return urllib.parse.parse_qs(urllib.parse.urlparse(links["next"]).query)["_cursor"][0]

    near = f"near={ORIGIN[0]}|{ORIGIN[1]}|50|km"
    written = {
        "Practitioner?_count=2": cursor("Practitioner?_count=2"),
        "Location?_count=2": cursor("Location?_count=2"),
        f"Location?{near}&_count=2": cursor(f"Location?{near}&_count=2"),
        "Location/_history?_count=2": cursor("Location/_history?_count=2"),
    }
    for origin, value in written.items():
        assert fhir(f"{origin}&_cursor={value}").status == 200, origin
        for other in written:
            if other == origin:
                continue
            answer = fhir(f"{other}&_cursor={value}")
            assert answer.status == 400, (origin, other)
            validate(answer.body)
            assert answer.body["issue"][0]["diagnostics"].startswith("_cursor:")


def test_fhirpy_counts_with_count_zero(live_server, many):
    client = SyncFHIRClient(f"{live_server.url}/fhir")
    assert client.resources("Practitioner").count() == 57
    assert client.resources("Practitioner").search(name="nobody").count() == 0
    near = client.resources("Location").search(near=f"{ORIGIN[0]}|{ORIGIN[1]}|1|km")
    assert near.count() == 9  # 0.000 to 0.008 degrees north (0.009 is 1.0007 km)


@pytest.mark.parametrize("query", ["_summary=count", "_count=0"])
def test_summary_count_is_a_bundle_with_the_total_and_no_entries(fhir, many, query):
    answer = fhir(f"VerificationResult?{query}")
    assert answer.status == 200
    validate(answer.body)
    assert answer.body["total"] == 57
    assert "entry" not in answer.body


def test_post_search_answers_as_the_get(live_server, many):
    form = {"name": "Smith", "_count": "5", "_lastUpdated": "ge2000-01-01"}
    query = urllib.parse.urlencode(form)
    get = fetch(f"{live_server.url}/fhir/Practitioner?{query}")
    request_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    post = fetch(
        f"{live_server.url}/fhir/Practitioner/_search",
        method="POST",
        headers=request_headers,
        data=query.encode(),
    )
    assert post.status == get.status == 200
    validate(post.body)
    assert post.body == get.body
    json_body = fetch(
        f"{live_server.url}/fhir/Practitioner/_search",
        method="POST",
        headers={"Content-Type": "application/json"},
        data=b"{}",
    )
    assert json_body.status == 415


def test_post_search_refuses_a_bad_value_as_the_get_does(live_server, many):
    answer = fetch(
        f"{live_server.url}/fhir/Location/_search",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data=b"near=91|0",
    )
    assert answer.status == 400
    assert answer.diagnostics().startswith("near:")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("metadata", {"Accept": "application/fhir+xml"}),
        ("Practitioner", {"Accept": "application/xml, text/xml"}),
        ("Practitioner?_format=xml", {}),
        ("Practitioner?_format=application/fhir+xml", {}),
        ("Practitioner/p-01", {"Accept": "text/turtle"}),
        ("Practitioner", {"Accept": "application/fhir+json;q=0, application/xml"}),
    ],
)
def test_formats_not_served_answer_406(fhir, many, path, headers):
    answer = fhir(path, headers=headers)
    assert answer.status == 406
    assert answer.body["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "accept",
    [
        "application/fhir+json",
        "application/json",
        "*/*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "application/fhir+json; fhirVersion=4.0",
    ],
)
def test_json_and_wildcards_are_served(fhir, many, accept):
    assert fhir("Practitioner/p-01", headers={"Accept": accept}).status == 200
