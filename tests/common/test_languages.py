"""Languages: the address decides (English unprefixed, /es/, /zh-hans/, /en-gb/), a first
visit follows Accept-Language once, the switcher and hreflang name the same page in every
language, pages stay cacheable per language, and dates and times are written as each
language writes them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import formats, translation

from directory.hours import shown
from tests.factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    listed_practitioner,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_each_language_has_its_own_address_and_says_so(client):
    for prefix, tag in [("", "en"), ("/es", "es"), ("/zh-hans", "zh-Hans"), ("/en-gb", "en-GB")]:
        answer = client.get(f"{prefix}/search/?q=migraine")
        assert answer.status_code == 200, prefix
        page = answer.content.decode()
        assert f'<html lang="{tag}" dir="ltr">' in page
        assert alternates(page) == {
            "en": f"{HOST}/search/?q=migraine",
            "x-default": f"{HOST}/search/?q=migraine",
            "en-GB": f"{HOST}/en-gb/search/?q=migraine",
            "es": f"{HOST}/es/search/?q=migraine",
            "zh-Hans": f"{HOST}/zh-hans/search/?q=migraine",
        }
        switcher = page[page.index('class="language-switcher"') :]
        switcher = switcher[: switcher.index("</nav>")]
        assert (
            f'href="{prefix}/search/?q=migraine" hreflang="{tag}" lang="{tag}" aria-current="true"'
            in switcher
        )
        assert switcher.count("<a ") == 4
        assert "<form" not in switcher


def test_the_api_and_fhir_keep_one_address(client):
    assert client.get("/es/api/v1/practitioners/").status_code == 404
    assert client.get("/api/v1/studies/", HTTP_ACCEPT_LANGUAGE="es").status_code == 200
    assert client.get("/fhir/metadata", HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 200


def test_fhir_answers_in_english_whatever_the_reader_asks_for(client):
    # A license abroad names its country ("United Kingdom"): a translated word would change
    # the resource's digest, so its version id and ETag would depend on the reader.
    practitioner = PractitionerFactory(slug="ana-uk")
    LocationFactory(practitioner=practitioner, country="GB", region="", postal_code="SW1A 1AA")
    LicenseFactory(practitioner=practitioner, country="GB", region="")
    english = client.get("/fhir/Practitioner/ana-uk")
    assert english.status_code == 200
    assert "United Kingdom" in english.content.decode()
    for accept in ["es", "zh-CN,zh;q=0.9"]:
        answer = client.get("/fhir/Practitioner/ana-uk", HTTP_ACCEPT_LANGUAGE=accept)
        assert answer.content == english.content
        assert answer["ETag"] == english["ETag"]
        assert "Accept-Language" not in answer.get("Vary", "")
    # The JSON API still follows Accept-Language (here, the link to the profile page).
    spanish = client.get("/api/v1/practitioners/ana-uk/", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["url"] == "/es/practitioners/ana-uk/"


@pytest.mark.parametrize(
    ("accept", "where"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "/es/search/?q=back"),
        ("zh-CN,zh;q=0.9", "/zh-hans/search/?q=back"),
        ("en-AU,en;q=0.8", "/en-gb/search/?q=back"),
        ("en-GB", "/en-gb/search/?q=back"),
        ("fr-FR,es;q=0.7", "/es/search/?q=back"),
    ],
)
def test_a_first_visit_goes_on_to_the_browsers_language(client, accept, where):
    answer = client.get("/search/?q=back", HTTP_ACCEPT_LANGUAGE=accept)
    assert answer.status_code == 302
    assert answer["Location"] == where
    assert "Accept-Language" in answer["Vary"]
    assert answer["Cache-Control"].startswith("public")


@pytest.mark.parametrize("accept", ["", "en-US,en;q=0.9", "fr-FR", "de,*;q=0.5"])
def test_english_and_languages_we_do_not_speak_stay_at_the_english_address(client, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    answer = client.get("/search/", **headers)
    assert answer.status_code == 200
    assert '<html lang="en"' in answer.content.decode()


def test_choosing_english_from_our_own_page_is_kept_and_not_shared(client):
    answer = client.get("/search/", HTTP_ACCEPT_LANGUAGE="es", HTTP_REFERER=f"{HOST}/es/search/")
    assert answer.status_code == 200
    assert '<html lang="en"' in answer.content.decode()
    assert answer["Cache-Control"] == "private, no-cache"
    # From another site, the same request goes on to Spanish.
    elsewhere = client.get(
        "/search/", HTTP_ACCEPT_LANGUAGE="es", HTTP_REFERER="https://example.org/list"
    )
    assert elsewhere["Location"] == "/es/search/"


def test_pages_stay_cacheable_in_every_language(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    for path in ["/search/", "/es/search/", "/zh-hans/evidence/"]:
        first = client.get(path)
        assert first.status_code == 200, path
        assert first["Cache-Control"].startswith("public"), path
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, path
    assert client.get("/es/search/")["ETag"] != client.get("/search/")["ETag"]


@pytest.mark.parametrize(
    ("language", "date", "time"),
    [
        ("en", "Dec 7, 2026", "9:00 AM"),
        ("en-gb", "7 Dec 2026", "09:00"),
        ("es", "7 dic 2026", "09:00"),
        ("zh-hans", "2026年12月7日", "09:00"),
    ],
)
def test_dates_and_times_as_each_language_writes_them(language, date, time):
    day = datetime.date(2026, 12, 7)  # a value to format, not "today": no clock involved
    with translation.override(language):
        assert formats.date_format(day) == date
        assert shown(datetime.time(9)) == time
        assert formats.time_format(datetime.time(21, 30)) == (
            "9:30 PM" if language == "en" else "21:30"
        )


def test_a_profile_writes_the_check_date_in_the_visitors_way(client):
    practitioner = listed_practitioner(slug="lin")
    license = practitioner.licenses.get()
    us = client.get("/practitioners/lin/").content.decode()
    gb = client.get("/en-gb/practitioners/lin/").content.decode()
    with translation.override("en"):
        assert formats.date_format(license.expires_on) in us
    with translation.override("en-gb"):
        assert formats.date_format(license.expires_on) in gb


def test_a_signed_in_persons_language_is_kept_for_their_emails(client, django_user_model):
    user = django_user_model.objects.create_user("lin@example.org", "a long passphrase 1")
    client.force_login(user)
    client.get("/zh-hans/evidence/")
    user.refresh_from_db()
    assert user.language == "zh-hans"
    client.get("/api/v1/practitioners/", HTTP_ACCEPT_LANGUAGE="es")  # not a page: not a choice
    user.refresh_from_db()
    assert user.language == "zh-hans"
    client.get("/evidence/")
    user.refresh_from_db()
    assert user.language == "en"
