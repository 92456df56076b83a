"""What a visitor gets when something breaks: while the database is unreachable (restarting,
failing over, overloaded), a clean 503 with Retry-After instead of a 500, as an HTML page
or, for the API, in its shared error shape. Everything else stays Django's 500."""

from __future__ import annotations

import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from common.api import error_body

# The database is unreachable. Django wraps the driver's errors in its own classes, but not
# all of them: closing a server-side cursor (QuerySet.iterator(), which form choice fields
# use) on a lost connection raises psycopg's own OperationalError.
UNREACHABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)

# Seconds a client should wait before trying again. A database restart takes a few.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = _("Meridian is briefly unavailable. Please try again in a few seconds.")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it while the exception is being handled, so sys.exc_info()
    says what went wrong. OperationalError covers a server that is down, restarting or
    refusing connections, and a connection killed mid-request; InterfaceError a connection
    already closed."""
    if not isinstance(sys.exc_info()[1], UNREACHABLE):
        return defaults.server_error(request)
    return unavailable(request, str(UNAVAILABLE), retry_after=RETRY_AFTER_SECONDS)


def unavailable(request: HttpRequest, message: str, *, retry_after: int) -> HttpResponse:
    """A 503 with Retry-After, as an HTML page or in the API's error shape."""
    if request.path.startswith(("/api/", "/fhir/")) or _prefers_json(request):
        response: HttpResponse = JsonResponse(error_body(message), status=503)
    else:
        # Rendered without the request: context processors would look up the signed-in
        # user's session, in the database that may be away.
        html = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _prefers_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept
