"""How every FHIR endpoint answers: application/fhir+json, errors as OperationOutcome,
`_format` checked, anonymous clients rate-limited."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from common.ratelimit import AnonymousThrottle
from fhir_api.errors import FhirError, error_outcome, outcome
from fhir_api.systems import CONTENT_TYPE

JSON_FORMATS = {"json", "application/json", "application/fhir+json", "application/json+fhir"}
NDJSON_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
ANY = {"*/*", "application/*"}


class FhirThrottle(AnonymousThrottle):
    scope = "fhir"


def fhir_response(body: dict, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    return fhir_response(error_outcome(error), status=error.status)


def too_many_requests(wait: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 60))
    body = outcome(f"Too many requests; try again in {seconds} s.", code="throttled")
    return fhir_response(body, status=429, headers={"Retry-After": str(seconds)})


def fhir_view(
    *,
    throttle: type[AnonymousThrottle] = FhirThrottle,
    methods=("GET",),
    formats: frozenset[str] | set[str] = JSON_FORMATS,
):
    """Wrap a view returning an HttpResponse (or raising FhirError). A request whose Accept
    or _format asks only for what the view does not write (XML, say) is answered 406."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                body = outcome(f"{request.method} is not supported here.", code="not-supported")
                response = fhir_response(body, status=405)
                response["Allow"] = ", ".join(methods)
                return response
            limiter = throttle()
            if not limiter.allow_request(request, None):
                return too_many_requests(limiter.wait())
            try:
                check_format(request, formats)
                return view(request, *args, **kwargs)
            except FhirError as error:
                return error_response(error)

        return wrapped

    return decorator


def check_format(request: HttpRequest, formats: frozenset[str] | set[str]) -> None:
    for value in [*request.GET.getlist("_format"), *_form(request).getlist("_format")]:
        if _media_type(value) not in formats:
            raise FhirError(
                f"only {', '.join(sorted(formats))} is served, not {value!r}.",
                parameter="_format",
                status=406,
                code="not-supported",
            )
    accept = request.headers.get("Accept", "").strip()
    if accept and not any(_acceptable(item, formats) for item in accept.split(",")):
        raise FhirError(
            f"only {', '.join(sorted(formats))} is served, not {accept!r}.",
            status=406,
            code="not-supported",
        )


def _media_type(value: str) -> str:
    return value.strip().split(";")[0].strip().lower()


def _acceptable(item: str, formats: frozenset[str] | set[str]) -> bool:
    """One media range of an Accept header, with q=0 meaning "not this"."""
    media_type, *options = (part.strip() for part in item.split(";"))
    for option in options:
        name, _, value = option.partition("=")
        if name.strip().lower() == "q" and value.strip() in {"0", "0.0", "0.00", "0.000"}:
            return False
    return media_type.lower() in formats or media_type.lower() in ANY


def _form(request: HttpRequest):
    """The form-encoded body of a POST search (empty for anything else)."""
    return request.POST if request.method == "POST" else request.GET.__class__()


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/")


def prefers(request: HttpRequest, token: str) -> bool:
    """Whether the Prefer header holds `token` (e.g. "handling=strict")."""
    parts = [part.strip().lower() for part in request.headers.get("Prefer", "").split(",")]
    return any(part.replace(" ", "") == token for item in parts for part in item.split(";"))
