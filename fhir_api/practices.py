"""Organization and Endpoint resources: only what Meridian knows. A clinic belongs to a
practice: the practice named on the clinic, or else the practitioner's own practice; it is
published as an Organization under the clinic's id. Endpoints are a clinic's online booking
page (NDH's rest-non-fhir connection type, for web portals) and this directory's own FHIR
base; nothing else is invented."""

from __future__ import annotations

import datetime

from fhir_api import selectors, systems
from fhir_api.contact import address, telecom
from fhir_api.meta import with_meta

BOOKING_SUFFIX = "-booking"
DIRECTORY_ENDPOINT_ID = "meridian-fhir"
# When the directory's own endpoint was first published; its content follows SITE_URL.
DIRECTORY_ENDPOINT_SINCE = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
# NDH's Endpoint extensions only the directory's own endpoint carries, by the search
# parameter that finds them: (extension, system, code, display). Its FHIR base is R4 4.0.1
# and public, with no authentication; of a clinic's booking page Meridian knows neither how
# access is controlled nor any FHIR version (it serves no FHIR), so booking pages carry none.
DIRECTORY_ENDPOINT_EXTENSIONS = {
    "connection-type-version": (
        systems.NDH_CONNECTION_TYPE_VERSION,
        systems.FHIR_VERSION_CS,
        systems.FHIR_VERSION,
        systems.FHIR_VERSION,
    ),
    "access-control-mechanism": (
        systems.NDH_ACCESS_CONTROL_MECHANISM,
        systems.NDH_ACCESS_CONTROL_MECHANISM_CS,
        "public",
        "Public",
    ),
}


def organization_resource(location) -> dict:
    resource = {
        "resourceType": "Organization",
        "id": selectors.location_id(location),
        "extension": [systems.verification_status("incomplete")],
        "active": True,
        "type": [systems.concept(systems.ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
        "name": practice_name(location),
        "telecom": telecom(location),
        "address": [address(location)],
    }
    if location.booking_url:
        resource["endpoint"] = [endpoint_reference(location)]
    if not resource["telecom"]:
        del resource["telecom"]
    return with_meta(
        resource,
        last_updated=location.last_updated,
        profile=systems.NDAPI_PROFILE["Organization"],
    )


def practice_name(location) -> str:
    return location.clinic_name or location.practitioner.full_name


def endpoint_id(location) -> str:
    return selectors.location_id(location) + BOOKING_SUFFIX


def endpoint_reference(location) -> dict:
    return {"reference": f"Endpoint/{endpoint_id(location)}", "display": "Online booking"}


def endpoint_resource(location) -> dict:
    """A clinic's online booking page: a web portal, so NDH's rest-non-fhir connection type
    with no FHIR payload (NDH binds payloadType to data-absent-reason#not-applicable)."""
    organization_id = selectors.location_id(location)
    resource = {
        "resourceType": "Endpoint",
        "id": endpoint_id(location),
        "extension": [systems.verification_status("incomplete")],
        "status": "active",
        "connectionType": systems.coding(
            systems.NDH_CONNECTION_TYPE, "rest-non-fhir", "REST (not FHIR)"
        ),
        "name": f"Online booking: {practice_name(location)}",
        "managingOrganization": {
            "reference": f"Organization/{organization_id}",
            "display": practice_name(location),
        },
        "payloadType": [_not_applicable()],
        "address": location.booking_url,
    }
    return with_meta(
        resource,
        last_updated=location.last_updated,
        profile=systems.NDAPI_PROFILE["Endpoint"],
    )


def directory_endpoint() -> dict:
    """This directory's own FHIR base: FHIR REST (R4 4.0.1), JSON only, no authentication."""
    resource = {
        "resourceType": "Endpoint",
        "id": DIRECTORY_ENDPOINT_ID,
        "extension": [
            systems.verification_status("incomplete"),
            *(
                {"url": url, "valueCodeableConcept": systems.concept(system, code, display)}
                for url, system, code, display in DIRECTORY_ENDPOINT_EXTENSIONS.values()
            ),
        ],
        "status": "active",
        "connectionType": systems.coding(systems.CONNECTION_TYPE, "hl7-fhir-rest", "HL7 FHIR"),
        "name": "Meridian directory FHIR API",
        "payloadType": [_not_applicable()],
        "payloadMimeType": ["application/fhir+json"],
        "address": systems.site("/fhir"),
    }
    return with_meta(
        resource, last_updated=DIRECTORY_ENDPOINT_SINCE, profile=systems.NDAPI_PROFILE["Endpoint"]
    )


def _not_applicable() -> dict:
    return systems.concept(systems.DATA_ABSENT_REASON, "not-applicable", "Not Applicable")
