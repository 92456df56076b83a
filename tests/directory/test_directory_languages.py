"""The directory in Spanish and Chinese: the search page, a profile and its verification
lines are in the page's language (names and the practitioner's own words stay as
written), the API's payer labels follow Accept-Language, and every human message of the
place table is listed for the catalogue."""

from __future__ import annotations

import csv
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format

from directory import place_aliases, vocabulary
from directory.models import Payer
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    listed_practitioner,
    restore_vocabulary,
)

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def two_practitioners():
    for slug, latitude, name in [("near-one", 37.7600, "Lan"), ("far-one", 37.80, "Ravi")]:
        practitioner = PractitionerFactory(slug=slug, first_name=name, last_name="Doe")
        LocationFactory(practitioner=practitioner, latitude=latitude, longitude=-122.4188)
        LicenseFactory(practitioner=practitioner)


@pytest.mark.parametrize(
    ("prefix", "heading", "status", "verified", "search_button"),
    [
        (
            "/es",
            "Buscar un profesional",
            "2 profesionales a menos de 15 mi de 94110 San Francisco, CA.",
            "Licencia verificada · US-CA",
            ">Buscar</button>",
        ),
        (
            "/zh-hans",
            "查找执业者",
            "94110 San Francisco, CA 15 英里范围内有 2 位执业者。",
            "执照已核实 · US-CA",
            ">搜索</button>",
        ),
    ],
)
def test_the_search_page_and_its_results_are_in_the_page_language(
    client, two_practitioners, prefix, heading, status, verified, search_button
):
    response = client.get(f"{prefix}/search/", {"near": "94110"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert status in text(html)
    assert verified in html
    assert search_button in html
    assert "Lan Doe" in html  # names as written
    for english in ["Find a practitioner", "practitioners within", "License verified"]:
        assert english not in html


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("/es", "Escriba una ciudad, un código postal o use «Usar mi ubicación»."),
        ("/zh-hans", "请输入城镇、邮政编码，或使用“使用我的位置”。"),
    ],
)
def test_a_refused_place_is_answered_in_the_page_language(client, prefix, message):
    response = client.get(f"{prefix}/search/", {"near": "acupuncture near me"})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "verified_with", "valid_until", "history", "care"),
    [
        ("/es", "Verificado con", "válido hasta", "historial de verificación", "Atención ofrecida"),
        ("/zh-hans", "核实来源：", "有效期至", "核实历史", "提供的诊疗"),
    ],
)
def test_a_profile_and_its_verification_lines_are_in_the_page_language(
    client, prefix, verified_with, valid_until, history, care
):
    practitioner = listed_practitioner(slug="mei-chen", bio="I trained in Chengdu.")
    license = practitioner.licenses.get()
    html = client.get(f"{prefix}/practitioners/mei-chen/").content.decode()
    page = text(html)
    with translation.override(prefix.strip("/")):
        verified_on = date_format(license.verified_on)
        expires_on = date_format(license.expires_on)
    assert verified_with in page
    assert verified_on in page
    assert valid_until in page
    assert expires_on in page
    assert history in page
    assert f'<h2 id="care-title">{care}</h2>' in html
    assert "Verified with" not in page
    assert "I trained in Chengdu." in page  # the practitioner's words, as written


def test_the_bio_carries_the_language_it_was_written_in(client):
    """Once profiles record it (bio_language), the bio says its own language, so a screen
    reader reads an English bio on a Spanish page in English."""
    practitioner = listed_practitioner(slug="mei-chen", bio="I trained in Chengdu.")
    html = client.get("/es/practitioners/mei-chen/").content.decode()
    bio_language = getattr(practitioner, "bio_language", None)
    if bio_language is None:  # the field arrives with another branch: no lang attribute
        assert '<div class="bio">' in html
    else:
        Practitioner = type(practitioner)
        Practitioner.objects.filter(pk=practitioner.pk).update(bio_language="en")
        html = client.get("/es/practitioners/mei-chen/").content.decode()
        assert '<div class="bio" lang="en">' in html


@pytest.mark.parametrize(
    ("accept", "name"),
    [
        ("es", "Indemnización por accidentes de trabajo"),
        ("zh-Hans", "工伤赔偿"),
        ("en-US", "Workers' compensation"),
    ],
)
def test_the_apis_payer_labels_follow_accept_language(client, accept, name):
    restore_vocabulary()
    practitioner = listed_practitioner(slug="ana-ruiz")
    location = practitioner.locations.get()
    location.payers.set(Payer.objects.filter(slug__in=["aetna-us", "workers-compensation-us"]))
    response = client.get("/api/v1/practitioners/ana-ruiz/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    payers = {payer["slug"]: payer for payer in response.json()["locations"][0]["payers"]}
    assert payers["workers-compensation-us"]["name"] == name
    assert payers["aetna-us"]["name"] == "Aetna"  # a brand, as written


def test_every_human_message_of_the_place_table_is_listed_for_the_catalogue():
    with place_aliases.TABLE.open(encoding="utf-8", newline="") as lines:
        messages = {row["means"] for row in csv.DictReader(lines) if row["kind"] == "refuse"}
    assert messages
    unlisted = messages - vocabulary.PLACE_MESSAGES
    assert not unlisted, f"Add to directory/vocabulary.py PLACE_MESSAGES: {unlisted}"
