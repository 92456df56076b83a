"""Organizations from NPPES: the organisations (entity type 2) holding an acupuncture
taxonomy that import_nppes keeps, published while their NPI is active, exactly as NPPES
describes them: the NPI as identifier, the legal business name, the practice address and
phone. NPPES says nothing of what an organisation is part of, so there is no `partof`; no
practitioner or endpoint of Meridian's refers to one.

Ids are `npi-<NPI>`: ten decimal digits after `npi-`, never the name of an issuer
(`licensing-…`, `certifying-…`); a clinic's id is its practitioner's slug and ten hex digits
of a digest, so only a practitioner whose slug is "npi" and whose digest happened to be
made of decimal digits forming that NPI could share one, and `read` answers the
organisation first."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from django.db.models import Q

from fhir_api import selectors, systems
from fhir_api.contact import postal_address
from fhir_api.meta import with_meta

ID_PREFIX = "npi-"
ID = re.compile(r"npi-([0-9]{10})")


def organization_id(organisation) -> str:
    return f"{ID_PREFIX}{organisation.npi}"


def npi_of(resource_id: str) -> str | None:
    match = ID.fullmatch(resource_id)
    return match.group(1) if match else None


def listed_by_id(resource_id: str):
    npi = npi_of(resource_id)
    return selectors.nppes_organisations().filter(npi=npi).first() if npi else None


def organization_resource(organisation) -> dict:
    resource: dict = {
        "resourceType": "Organization",
        "id": organization_id(organisation),
        # As NPPES reports it; nobody has checked it against another source.
        "extension": [systems.verification_status("incomplete")],
        "identifier": [
            {
                "extension": [systems.identifier_status("active")],
                "use": "official",
                "system": systems.NPI,
                "value": organisation.npi,
            }
        ],
        "active": True,
        "type": [systems.concept(systems.ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
        "name": organisation.legal_name,
    }
    if organisation.phone:
        resource["telecom"] = [{"system": "phone", "value": organisation.phone, "use": "work"}]
    if organisation.country:
        resource["address"] = [
            postal_address([organisation.address_line_1, organisation.address_line_2], organisation)
        ]
    return with_meta(
        resource,
        last_updated=organisation.updated_at,
        profile=systems.NDAPI_PROFILE["Organization"],
    )


def batches(*, since: datetime.datetime | None, size: int) -> Iterator[list[dict]]:
    """Every published one, changed at or after `since`, in batches (export, history)."""
    after = ""
    where = Q(updated_at__gte=since) if since is not None else Q()
    while batch := selectors.nppes_organisation_page(where, after=after, limit=size):
        yield [organization_resource(organisation) for organisation in batch]
        after = batch[-1].npi
