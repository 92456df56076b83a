"""Which requests are public reads: the same answer for every anonymous visitor, built only
from the directory (so a CDN may keep it, and a replica may answer it)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation

# Views whose anonymous GET answers depend only on the directory and the request.
PUBLIC_NAMESPACES = {"directory", "evidence", "fhir"}
# Bulk export status and files change with the export job, not with the directory.
NOT_PUBLIC = {"fhir:export", "fhir:export-status", "fhir:export-file"}
MESSAGES_COOKIE = "messages"


def is_public_view(path: str) -> bool:
    """Public pages (in every language), the JSON API but /api/v1/me/, FHIR but bulk export.
    Pages resolve under their address's language prefix, which LocaleMiddleware, inside
    the cache, has not activated yet."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    if match.view_name in NOT_PUBLIC:
        return False
    name = match.url_name or ""
    return match.namespace in PUBLIC_NAMESPACES or (
        name.startswith("api-") and not name.startswith("api-me-")
    )


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no pending message, no API token: nothing that makes the answer personal."""
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or MESSAGES_COOKIE in request.COOKIES
        or "Authorization" in request.headers
    )
