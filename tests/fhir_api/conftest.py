"""The FHIR API is tested over real HTTP against a live server, with every resource it
returns parsed by an independent model of FHIR (fhir.resources, R4B), on a frozen today."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory, restore_vocabulary

TODAY = datetime.date.today()  # the run's frozen today (tests/conftest.py)
NOW = datetime.datetime.combine(TODAY, datetime.time(17), tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    """The clock stopped at 17:00 on the run's today, so that resources' lastUpdated and
    the server's answers compare exactly."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def vocabulary(request):
    """Live-server tests commit, and the flush after each empties the tables data
    migrations filled; put the shared vocabulary back."""
    if request.node.get_closest_marker("django_db"):
        restore_vocabulary()


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.RATE_LIMITS = {name: "" for name in settings.RATE_LIMITS}
    cache.clear()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict

    def diagnostics(self) -> str:
        return " ".join(issue.get("diagnostics", "") for issue in self.body["issue"])


def fetch(
    url: str, *, headers: dict | None = None, method: str = "GET", data: bytes | None = None
) -> Answer:
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status, found = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, found = error.read(), error.code, dict(error.headers)
    body = json.loads(raw) if raw else {}
    return Answer(status, {name.lower(): value for name, value in found.items()}, body)


@pytest.fixture
def fhir(live_server):
    """GET a path under /fhir/ from the live server: fhir("Practitioner?name=chen")."""

    def get(path: str, **options) -> Answer:
        return fetch(f"{live_server.url}/fhir/{path}", **options)

    return get


def search(fhir, query: str) -> dict:
    """A searchset that answered 200 and validates."""
    answer = fhir(query)
    assert answer.status == 200, answer.body
    validate(answer.body)
    return answer.body


def page_to_end(fhir, query: str) -> tuple[list[str], dict]:
    """The ids of every page's entries, following `next` links to the end, and the last page."""
    seen: list[str] = []
    while True:
        page = search(fhir, query)
        seen += [entry["resource"]["id"] for entry in page.get("entry", [])]
        following = [link["url"] for link in page["link"] if link["relation"] == "next"]
        if not following:
            return seen, page
        query = following[0].partition("/fhir/")[2]


def validate(resource: dict):
    """Parse with fhir.resources' R4B models and with fhirclient's R4 models (two independent
    implementations), which refuse unknown elements, wrong types and malformed ids, dates
    and codes."""
    from fhir.resources.R4B import get_fhir_model_class
    from fhirclient.models.fhirelementfactory import FHIRElementFactory

    FHIRElementFactory.instantiate(resource["resourceType"], json.loads(json.dumps(resource)))
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def clinic(slug: str, latitude: float, longitude: float, **practitioner_fields):
    """A listed practitioner with one clinic at this point in California."""
    practitioner = PractitionerFactory(slug=slug, **practitioner_fields)
    location = LocationFactory(practitioner=practitioner, latitude=latitude, longitude=longitude)
    LicenseFactory(practitioner=practitioner)
    return practitioner, location


def clinics_changed_on_the_15th_and_20th(time_machine) -> tuple[datetime.date, datetime.date]:
    """Practitioners "old" and "new", each with a clinic, last changed on the 15th and the
    20th of this month (of the run's today: both within one month); the two days."""
    old, new = (TODAY.replace(day=day) for day in (15, 20))
    for slug, day in (("old", old), ("new", new)):
        time_machine.move_to(datetime.datetime.combine(day, NOW.timetz()), tick=False)
        clinic(slug, 37.77, -122.41)
    return old, new
