"""GET /fhir/metadata: the CapabilityStatement, written from the same tables the searches
run on (fhir.parameters), so it cannot promise what the server does not do."""

from __future__ import annotations

from django.utils import timezone

from fhir_api import systems
from fhir_api.search import SEARCHABLE
from fhir_api.search_parameters import INCLUDES, PARAMETERS, REVINCLUDES

PROFILES = {**systems.NDAPI_PROFILE, "VerificationResult": systems.NDH_VERIFICATION_PROFILE}
INTERACTIONS = ["read", "vread", "search-type", "history-instance", "history-type"]
COMMON = [
    {
        "name": "_count",
        "type": "number",
        "documentation": "Page size, 1 to 50 (default 20); larger values are served as 50; "
        "0 answers the total only, as _summary=count does.",
    },
    {
        "name": "_cursor",
        "type": "string",
        "documentation": "Opaque: where the next page starts. Follow the links; do not build it.",
    },
    {
        "name": "_summary",
        "type": "token",
        "documentation": "count: a Bundle with the total and no entries; false: the default.",
    },
]


def capability_statement(*, base: str) -> dict:
    resources = []
    for resource_type in SEARCHABLE:
        entry = {
            "type": resource_type,
            "interaction": [{"code": code} for code in INTERACTIONS],
            "versioning": "versioned",
            "readHistory": True,
            "conditionalRead": "not-supported",
            "searchInclude": INCLUDES.get(resource_type, []),
            "searchRevInclude": REVINCLUDES.get(resource_type, []),
            "searchParam": [
                {"name": p.name, "type": p.type, "documentation": p.documentation}
                for p in PARAMETERS[resource_type]
            ]
            + COMMON,
        }
        if resource_type in PROFILES:
            entry["supportedProfile"] = [PROFILES[resource_type]]
        for key in ("searchInclude", "searchRevInclude"):
            if not entry[key]:
                del entry[key]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "publisher": "Meridian",
        "kind": "instance",
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "software": {"name": "Meridian"},
        "implementation": {
            "description": "Meridian's directory of licensed acupuncturists: public, read-only, "
            "listed practitioners only.",
            "url": base.rstrip("/"),
        },
        "fhirVersion": systems.FHIR_VERSION,
        "format": ["json", systems.CONTENT_TYPE],
        "rest": [
            {
                "mode": "server",
                "documentation": "Unknown search parameters are ignored and left out of the self "
                "link unless the request says Prefer: handling=strict. Bad values answer 400 "
                "with an OperationOutcome. Bundle.total is given only when it is exact. `near` "
                "sorts nearest first by great-circle distance and reports each distance in "
                "the location-distance extension of entry.search. Pages follow an opaque "
                "_cursor to the end of any result; _count=0 or _summary=count gives the total "
                "alone. POST [type]/_search takes the same parameters form-encoded. History "
                "holds the versions the version job recorded (every 15 minutes), so two "
                "changes between its runs are one version; resources that left the listing "
                "answer 410 and appear in history as DELETE entries.",
                "security": {"description": "Public data; no authentication, nothing tracked."},
                "resource": resources,
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                        "documentation": "System level; Prefer: respond-async; _type, _since.",
                    }
                ],
            }
        ],
    }
