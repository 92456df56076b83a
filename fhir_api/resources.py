"""Every published resource of a type, in batches: what the bulk export writes and what
the version job compares with the versions it recorded. Organizations are the clinics'
practices, the qualification issuers (fhir_api.issuers) and the organisations from NPPES
(fhir_api.nppes_organizations), so history, vread and the export see the same set as read
and search."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from fhir_api import issuers, nppes_organizations, selectors
from fhir_api.clinics import location_resource, role_resource
from fhir_api.healthcare_services import healthcare_service_resource
from fhir_api.practices import (
    DIRECTORY_ENDPOINT_SINCE,
    directory_endpoint,
    endpoint_resource,
    organization_resource,
)
from fhir_api.practitioners import practitioner_resource
from fhir_api.search_parameters import parameter
from fhir_api.verification import verification_resource

PUBLISHED = [
    "Practitioner",
    "PractitionerRole",
    "Location",
    "Organization",
    "Endpoint",
    "HealthcareService",
    "VerificationResult",
]
BATCH = 500
CLINIC_TYPES = {
    "Location": location_resource,
    "PractitionerRole": role_resource,
    "Organization": organization_resource,
    "Endpoint": endpoint_resource,
    "HealthcareService": healthcare_service_resource,
}


def resource_batches(
    resource_type: str, *, since: datetime.datetime | None = None
) -> Iterator[list[dict]]:
    """The type's resources in batches, changed since `since` (as _lastUpdated=ge)."""
    where = Q()
    if since is not None:
        since_filter = parameter(resource_type, "_lastUpdated").filter
        where = since_filter("_since", "", [f"ge{since.isoformat()}"])
    if resource_type == "VerificationResult":
        after = None
        while batch := selectors.credential_page(where, after=after, limit=BATCH):
            yield [verification_resource(credential) for credential in batch]
            after = batch[-1].public_id
        return
    if resource_type == "Endpoint" and (since is None or since <= DIRECTORY_ENDPOINT_SINCE):
        yield [directory_endpoint()]
    if resource_type == "Organization" and (since is None or since <= issuers.ISSUERS_SINCE):
        yield [issuers.issuer_resource(issuer) for issuer in issuers.listed()]
    if resource_type == "Organization":
        yield from nppes_organizations.batches(since=since, size=BATCH)
    last = 0
    while True:
        if resource_type == "Practitioner":
            rows = selectors.practitioners().filter(where, pk__gt=last).order_by("pk")
        else:
            rows = selectors.locations().filter(where, pk__gt=last).order_by("pk")
            if resource_type == "Endpoint":
                rows = rows.exclude(booking_url="")
        pks = list(rows.values_list("pk", flat=True)[:BATCH])
        if not pks:
            return
        last = pks[-1]
        if resource_type == "Practitioner":
            yield [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
        else:
            build = CLINIC_TYPES[resource_type]
            loaded = selectors.load_locations(pks)
            yield [build(loaded[pk]) for pk in pks if pk in loaded]
