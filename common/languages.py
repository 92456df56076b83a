"""The languages Meridian's pages speak, chosen by the address: English has no prefix,
Spanish is under /es/, Simplified Chinese under /zh-hans/ (i18n_patterns, config/urls.py).

The address alone decides, so the switcher is plain links (no form, no cookie) and every
anonymous page stays one cacheable answer per address. A browser's Accept-Language is
honoured once, on arrival: an English address opened from elsewhere by a browser that
prefers a language we speak redirects to that language's address. A visitor who then
chooses English arrives from one of our own pages and stays; that answer is marked
private so no shared cache hands it to the next Spanish browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

# Englishes written like British English (dates "7 Dec 2026", the 24-hour clock).
BRITISH_STYLE = {"en-au", "en-nz", "en-ie", "en-za", "en-in"}


@dataclass(frozen=True)
class Alternate:
    code: str  # Django's language code: "zh-hans"
    tag: str  # BCP 47, for lang and hreflang: "zh-Hans"
    name: str  # the language's own name: "简体中文"
    url: str  # this page in that language


def bcp47(code: str) -> str:
    """Django writes "zh-hans" and "en-gb"; HTML's lang and hreflang want "zh-Hans", "en-GB"."""
    language, _, rest = code.partition("-")
    if not rest:
        return language
    return f"{language}-{rest.upper() if len(rest) == 2 else rest.title()}"


def page_in(path: str, code: str) -> str | None:
    """The address of the page at `path` (with its query) in language `code`, or None where
    the address is not a page in every language (the API, FHIR, the admin, files)."""
    language = translation.get_language_from_path(urlsplit(path).path) or settings.LANGUAGE_CODE
    with translation.override(language):
        target = translate_url(path, code)
        if code == language:
            # translate_url answers the same address both for "this page, already in that
            # language" and for "not a page in other languages": ask the other way round.
            other = next(c for c, _ in settings.LANGUAGES if c != code)
            return path if translate_url(path, other) != path else None
    return target if target != path else None


def browser_language(request: HttpRequest) -> str:
    """The first language in Accept-Language that we speak, else the default."""
    header = request.headers.get("Accept-Language", "")
    for accepted, _quality in parse_accept_lang_header(header):
        accepted = accepted.lower()
        if accepted == "*":
            break
        if accepted in BRITISH_STYLE:
            return "en-gb"
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def came_from_here(request: HttpRequest) -> bool:
    referer = request.headers.get("Referer", "")
    return bool(referer) and urlsplit(referer).netloc == request.get_host()


# FHIR answers in English whatever Accept-Language says: a resource's version id and ETag
# are digests of its content, and the version history records one content per version.
ONE_LANGUAGE_PREFIXES = ("/fhir/",)


def one_language(request: HttpRequest) -> bool:
    """Whether the answer is the same in every language (FHIR)."""
    return request.path_info.startswith(ONE_LANGUAGE_PREFIXES)


class BrowserLanguageMiddleware:
    """After LocaleMiddleware (which reads only the prefix): send a first visit to an
    English page on to the visitor's own language, and let the JSON API, which has one
    address for all languages, write its labels in the language asked for. FHIR stays
    English (ONE_LANGUAGE_PREFIXES)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if translation.get_language_from_path(request.path_info):
            return self.get_response(request)
        if one_language(request):
            return self.get_response(request)
        wanted = browser_language(request)
        if wanted == settings.LANGUAGE_CODE:
            return self.get_response(request)
        target = page_in(request.get_full_path(), wanted)
        if target is None:  # not a page: one address, in the language asked for
            translation.activate(wanted)
            request.LANGUAGE_CODE = wanted
            response = self.get_response(request)
        elif request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        elif came_from_here(request):
            # Chosen from our own switcher (or a link on an English page): English it is.
            response = self.get_response(request)
            response["Cache-Control"] = "private, no-cache"
        else:
            response = HttpResponseRedirect(target)
            # Shared caches keep it (keyed on Accept-Language); a browser must ask again, or
            # choosing English from the switcher would follow this redirect from its cache.
            response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.CACHE_MAX_AGE}"
        patch_vary_headers(response, ["Accept-Language"])
        return response


def alternates(request: HttpRequest) -> dict[str, object]:
    """Template context: this page in each language (the switcher and hreflang links), and
    the BCP 47 tag of the page's own language for <html lang>."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        url = page_in(path, code)
        if url is not None:
            links.append(Alternate(code=code, tag=bcp47(code), name=name, url=url))
    return {"language_alternates": links, "language_tag": bcp47(current)}
