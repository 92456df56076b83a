"""The read interaction: one resource by its id, 404 when unknown, 410 when it has left
the listing."""

from __future__ import annotations

from fhir_api import search_values, selectors
from fhir_api.clinics import location_resource, role_resource
from fhir_api.errors import gone, not_found
from fhir_api.practitioners import practitioner_resource
from fhir_api.verification import verification_resource

READABLE = ["Practitioner", "PractitionerRole", "Location", "VerificationResult"]


def read(resource_type: str, resource_id: str) -> dict:
    if not search_values.is_fhir_id(resource_id):
        raise not_found(resource_type, resource_id)
    if resource_type == "Practitioner":
        listed = selectors.practitioners().filter(slug=resource_id).values("pk")
        found = list(selectors.load_practitioners(listed))
        if found:
            return practitioner_resource(found[0])
        if selectors.practitioner_gone(resource_id):
            raise gone(resource_type, resource_id)
    elif resource_type in {"Location", "PractitionerRole"}:
        locations = list(selectors.load_locations(selectors.location_pks([resource_id])).values())
        if locations:
            build = location_resource if resource_type == "Location" else role_resource
            return build(locations[0])
    elif resource_type == "VerificationResult":
        credentials = selectors.credentials_by_public_id([resource_id])
        if credentials:
            return verification_resource(credentials[0])
    raise not_found(resource_type, resource_id)
