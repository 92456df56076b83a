"""The FHIR endpoints: thin views over fhir.search, fhir.read and fhir.capability."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers

from fhir_api import history_bundle, search
from fhir_api.capability import capability_statement
from fhir_api.errors import FhirError
from fhir_api.meta import etag
from fhir_api.read import READABLE, read
from fhir_api.responses import base_url, fhir_response, fhir_view, prefers


def _known_type(resource_type: str) -> None:
    if resource_type not in READABLE:
        raise FhirError(
            f"{resource_type} is not a resource type this server has.",
            status=404,
            code="not-supported",
        )


@fhir_view()
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base=base_url(request)))


@fhir_view()
def search_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    return _search(request, resource_type, request.GET)


@fhir_view(methods=("POST",))
def search_post(request: HttpRequest, resource_type: str) -> HttpResponse:
    """POST [base]/[type]/_search: the parameters form-encoded in the body (and any in the
    URL), answered exactly as the GET. A read, so no CSRF token is asked for."""
    content_type = request.content_type or ""
    if content_type != "application/x-www-form-urlencoded":
        raise FhirError(
            "send the search parameters as application/x-www-form-urlencoded.",
            status=415,
            code="not-supported",
        )
    parameters = request.GET.copy()
    for name, values in request.POST.lists():
        parameters.setlistdefault(name, []).extend(values)
    return _search(request, resource_type, parameters)


def _search(request: HttpRequest, resource_type: str, parameters: QueryDict) -> HttpResponse:
    _known_type(resource_type)
    wanted = search.parse(resource_type, parameters, strict=prefers(request, "handling=strict"))
    page = search.run(wanted)
    response = fhir_response(search.bundle(wanted, page, base=base_url(request)))
    # Prefer: handling=strict refuses what lenient handling ignores (and reports).
    patch_vary_headers(response, ["Prefer"])
    return response


@fhir_view()
def read_instance(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    _known_type(resource_type)
    resource = read(resource_type, resource_id)
    tag = etag(resource)
    headers = {"ETag": tag, "Last-Modified": _http_date(resource["meta"]["lastUpdated"])}
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
        for name, value in headers.items():
            response[name] = value
        return response
    return fhir_response(resource, headers=headers)


@fhir_view()
def vread(
    request: HttpRequest, resource_type: str, resource_id: str, version_id: str
) -> HttpResponse:
    _known_type(resource_type)
    resource = history_bundle.vread(resource_type, resource_id, version_id)
    headers = {
        "ETag": etag(resource),
        "Last-Modified": _http_date(resource["meta"]["lastUpdated"]),
    }
    return fhir_response(resource, headers=headers)


@fhir_view()
def history_instance(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    _known_type(resource_type)
    bundle = history_bundle.history_bundle(
        resource_type, resource_id, request.GET, base=base_url(request)
    )
    return fhir_response(bundle)


@fhir_view()
def history_type(request: HttpRequest, resource_type: str) -> HttpResponse:
    _known_type(resource_type)
    bundle = history_bundle.history_bundle(resource_type, None, request.GET, base=base_url(request))
    return fhir_response(bundle)


def _http_date(instant: str) -> str:
    import datetime

    from django.utils.http import http_date

    moment = datetime.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return http_date(moment.timestamp())


@fhir_view(methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /fhir/ (history, operations, the bare base): an
    OperationOutcome rather than the site's HTML 404."""
    raise FhirError(
        f"/fhir/{rest} is not an interaction this server supports.",
        status=404,
        code="not-supported",
    )
