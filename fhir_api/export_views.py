"""Bulk Data kick-off, status and file endpoints. The request only queues the export; the
export job writes it (see fhir.export)."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest, HttpResponse

from common.ratelimit import AnonymousThrottle
from fhir_api import search_values
from fhir_api.errors import FhirError, outcome
from fhir_api.export import (
    EXPORTABLE,
    export_cancel,
    export_expires,
    export_file,
    export_start,
    manifest,
)
from fhir_api.models import Export, ExportStatus
from fhir_api.responses import (
    JSON_FORMATS,
    NDJSON_FORMATS,
    base_url,
    fhir_response,
    fhir_view,
    prefers,
)

OUTPUT_FORMATS = NDJSON_FORMATS
RETRY_AFTER_SECONDS = 5


class ExportThrottle(AnonymousThrottle):
    scope = "fhir_export"


@fhir_view(throttle=ExportThrottle)
def kick_off(request: HttpRequest) -> HttpResponse:
    if not prefers(request, "respond-async"):
        raise FhirError("a bulk export needs the header Prefer: respond-async.", code="required")
    types = list(EXPORTABLE)
    since = None
    lenient = prefers(request, "handling=lenient")
    for name, values in request.GET.lists():
        raw = values[-1]
        if name == "_type":
            types = []
            for value in search_values.split_values(name, ",".join(values)):
                if value not in EXPORTABLE:
                    raise FhirError(
                        f"{value!r} is not exported (choose from {', '.join(EXPORTABLE)}).",
                        parameter=name,
                    )
                if value not in types:
                    types.append(value)
        elif name == "_since":
            moment = search_values.date_value(name, raw)
            if moment.prefix != "eq" or raw[:2] == "eq":
                raise FhirError("give an instant, without a prefix.", parameter=name)
            since = moment.start
        elif name == "_outputFormat":
            if raw not in OUTPUT_FORMATS:
                raise FhirError(
                    f"only NDJSON is written ({', '.join(sorted(OUTPUT_FORMATS))}).",
                    parameter=name,
                    code="not-supported",
                )
        elif name != "_format" and not lenient:
            raise FhirError(
                "is not supported by this server's export.", parameter=name, code="not-supported"
            )
    export = export_start(types=types, since=since, request_url=request.build_absolute_uri())
    body = outcome("The export is queued.", code="informational", severity="information")
    location = f"{base_url(request)}$export-status/{export.pk}"
    return fhir_response(body, status=202, headers={"Content-Location": location})


@fhir_view(methods=("GET", "DELETE"))
def status(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    export = Export.objects.filter(pk=export_id).exclude(status=ExportStatus.CANCELLED).first()
    if export is None:
        raise FhirError(
            "No such export (or it was cancelled or has expired).", status=404, code="not-found"
        )
    if request.method == "DELETE":
        export_cancel(export=export)
        body = outcome("The export is cancelled.", code="informational", severity="information")
        return fhir_response(body, status=202)
    if export.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}:
        response = HttpResponse(status=202)
        response["X-Progress"] = export.progress or export.status
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if export.status == ExportStatus.FAILED:
        body = outcome(f"The export failed: {export.error}", code="exception")
        return fhir_response(body, status=500)
    response = fhir_response(manifest(export, base=base_url(request)))
    response["Content-Type"] = "application/json"
    expires = export_expires(export)
    if expires:
        from django.utils.http import http_date

        response["Expires"] = http_date(expires.timestamp())
    return response


@fhir_view(formats=JSON_FORMATS | NDJSON_FORMATS)
def download(request: HttpRequest, export_id: uuid.UUID, resource_type: str) -> HttpResponse:
    export = Export.objects.filter(pk=export_id, status=ExportStatus.COMPLETE).first()
    written = {file.get("deleted", file["type"]) for file in export.files} if export else set()
    path = export_file(export, resource_type) if export else None
    if resource_type not in written or path is None or not path.exists():
        raise FhirError("No such export file (it may have expired).", status=404, code="not-found")
    return FileResponse(path.open("rb"), content_type="application/fhir+ndjson")
