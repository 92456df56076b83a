"""Public answers a CDN can keep, and an origin that answers them from one cache read.

An anonymous GET of a public page, the JSON API or FHIR is keyed by the directory version
(ops.models.DirectoryVersion: moves with every change to who is listed or what is shown),
today's date (licenses expire at midnight), the host and the normalised request. The key is
the answer's ETag, so a conditional GET answers 304 without running the view, and the
rendered answer is kept in the configured cache under it, so a popular search costs one
cache read; a change moves the version, so the origin shows it at once and a shared cache
lags by at most CACHE_MAX_AGE. Anonymous here means: no session cookie, no messages cookie,
no Authorization header. A CDN must pass requests carrying the session cookie to the origin
(docs/scaling.md), since these answers do not vary on Cookie. Signed-in answers are
`private, no-store`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from common.languages import one_language
from ops import replicas
from ops.models import DirectoryVersion
from ops.public import is_anonymous, is_public_view

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")  # as Django's GZipMiddleware reads the header
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
# Request headers that change an answer (htmx's fragment, FHIR's strict handling).
KEYED_HEADERS = ("HX-Request", "Prefer")


def language(request: HttpRequest) -> str:
    """The language an answer is in, once LocaleMiddleware chooses one per request (from
    the URL's prefix, or Accept-Language, which it then adds to Vary)."""
    if LOCALE_MIDDLEWARE not in settings.MIDDLEWARE or one_language(request):
        return ""
    return translation.get_language_from_request(request, check_path=True)


def directory_stamp(version: int) -> str:
    """What every cached rendering of the directory depends on: its version, today's date,
    the listing rule's settings and the release (answers built by other code or rules are
    not served from a cache that outlived a deploy)."""
    return "/".join(
        [
            str(version),
            timezone.localdate().isoformat(),
            f"{settings.REVERIFY_ENFORCE}/{settings.REVERIFY_AFTER_DAYS}/{settings.RELEASE}",
        ]
    )


def request_stamp(request: HttpRequest) -> str:
    """directory_stamp as this request reads the directory (the version the middleware
    read for an anonymous request, otherwise read now, from the same database)."""
    version = getattr(request, "directory_version", None)
    if version is None:
        version = DirectoryVersion.current(using=replicas.read_alias())
    return directory_stamp(version)


def cache_key(request: HttpRequest, *, version: int) -> str:
    """The directory as of today, and the normalised request: parameters sorted (their
    order never changes an answer), the headers that do change one, the scheme and host
    (FHIR answers hold absolute URLs)."""
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    parts = [
        directory_stamp(version),
        request.scheme or "",
        request.get_host(),
        request.path,
        repr(query),
        language(request),
        *(request.headers.get(header, "") for header in KEYED_HEADERS),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return digest[:40]


@dataclass(frozen=True)
class Stored:
    """A rendered answer, also compressed once, so a hit costs no compression either."""

    status: int
    content: bytes
    gzipped: bytes
    headers: list[tuple[str, str]]

    @classmethod
    def of(cls, response: HttpResponse) -> Stored:
        content = response.content
        return cls(response.status_code, content, compress_string(content), list(response.items()))

    def response(self, request: HttpRequest) -> HttpResponse:
        packed = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(self.gzipped if packed else self.content, status=self.status)
        for name, value in self.headers:
            if name.lower() != "content-length":  # of the uncompressed body
                response[name] = value
        response["Content-Length"] = str(len(response.content))
        if packed:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.CACHE_STALE_WHILE_REVALIDATE}"
    )


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Weak comparison (RFC 9110): compression may turn our tags weak on the way out."""
    wanted = request.headers.get("If-None-Match", "")
    if wanted.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in wanted.split(","))


def not_modified(stored: Stored, etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    for name, value in stored.headers:
        if name.lower() in {"cache-control", "vary", "content-location", "expires"}:
            response[name] = value
    response["ETag"] = etag
    return response


class PublicCacheMiddleware:
    """Cache-Control, ETag, 304s and the origin's cache of anonymous public answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous(request):
            return self.private(self.get_response(request))
        if request.method not in {"GET", "HEAD"} or not is_public_view(request.path_info):
            return self.get_response(request)
        version = DirectoryVersion.current(using=replicas.read_alias())
        request.directory_version = version  # type: ignore[attr-defined]  # request_stamp
        key = f"public-answer:{cache_key(request, version=version)}"
        etag = f'W/"{key.rsplit(":", 1)[1]}"'
        stored: Stored | None = cache.get(key) if settings.PAGE_CACHE_SECONDS else None
        if stored is not None:
            stored_etag = dict((n.lower(), v) for n, v in stored.headers).get("etag", etag)
            if etag_matches(request, stored_etag):
                return not_modified(stored, stored_etag)
            return stored.response(request)
        if etag_matches(request, etag):
            unchanged = HttpResponseNotModified()
            unchanged["Cache-Control"] = public_cache_control()
            unchanged["ETag"] = etag
            return unchanged
        response = self.get_response(request)
        if not self.cacheable(request, response):
            return response
        response["Cache-Control"] = public_cache_control()
        if not response.has_header("ETag"):
            response["ETag"] = etag
        # SessionMiddleware varies on Cookie as soon as a template asks who is signed in;
        # an anonymous request has no session cookie to vary on. LocaleMiddleware varies
        # every unprefixed answer on Accept-Language, FHIR's too, which does not.
        ignored = {"cookie", "accept-language"} if one_language(request) else {"cookie"}
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        del response["Vary"]
        patch_vary_headers(response, [v for v in vary if v.lower() not in ignored])
        if settings.PAGE_CACHE_SECONDS and request.method == "GET" and response.status_code == 200:
            cache.set(key, Stored.of(response), settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable(request: HttpRequest, response: HttpResponse) -> bool:
        """Only successful answers (a view's own 304 too: FHIR reads keep their resource's
        version as their ETag) that set nothing for this visitor: no cookie, no
        CSRF token (a page that called get_token() holds this visitor's secret), no
        Cache-Control of the view's own (photos, health checks)."""
        return (
            response.status_code in {200, 304}
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
        )

    @staticmethod
    def private(response: HttpResponse) -> HttpResponse:
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
