"""The read interaction: one resource by its id, 404 when unknown, 410 when it has left
the listing."""

from __future__ import annotations

from fhir_api import history, issuers, nppes_organizations, search_values, selectors
from fhir_api.clinics import location_resource, role_resource
from fhir_api.errors import gone, not_found
from fhir_api.healthcare_services import healthcare_service_resource
from fhir_api.practices import (
    BOOKING_SUFFIX,
    DIRECTORY_ENDPOINT_ID,
    directory_endpoint,
    endpoint_resource,
    organization_resource,
)
from fhir_api.practitioners import practitioner_resource
from fhir_api.resources import PUBLISHED
from fhir_api.verification import verification_resource

READABLE = PUBLISHED  # every type the version job walks is read, and no other
CLINIC_BUILDERS = {
    "Location": location_resource,
    "PractitionerRole": role_resource,
    "Organization": organization_resource,
    "HealthcareService": healthcare_service_resource,
}


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
    elif resource_type == "Organization" and (
        organisation := nppes_organizations.listed_by_id(resource_id)
    ):
        return nppes_organizations.organization_resource(organisation)
    elif resource_type == "Organization" and (issuer := issuers.listed_by_id(resource_id)):
        return issuers.issuer_resource(issuer)
    elif resource_type in CLINIC_BUILDERS:
        locations = list(selectors.load_locations(selectors.location_pks([resource_id])).values())
        if locations:
            return CLINIC_BUILDERS[resource_type](locations[0])
    elif resource_type == "Endpoint":
        if resource_id == DIRECTORY_ENDPOINT_ID:
            return directory_endpoint()
        pks = selectors.location_pks([resource_id.removesuffix(BOOKING_SUFFIX)])
        locations = list(selectors.load_locations(pks).values())
        if resource_id.endswith(BOOKING_SUFFIX) and locations and locations[0].booking_url:
            return endpoint_resource(locations[0])
    elif resource_type == "VerificationResult":
        credentials = selectors.credentials_by_public_id([resource_id])
        if credentials:
            return verification_resource(credentials[0])
    if history.has_left(resource_type, resource_id):
        raise gone(resource_type, resource_id)
    clinic_id = (
        resource_id.removesuffix(BOOKING_SUFFIX) if resource_type == "Endpoint" else resource_id
    )
    if resource_type != "Practitioner" and selectors.location_gone(clinic_id):
        raise gone(resource_type, resource_id)
    raise not_found(resource_type, resource_id)
