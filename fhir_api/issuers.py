"""Issuer Organizations: who issued a practitioner's qualification (NDH's
Practitioner.qualification.issuer and its qualification-issuer search), built only from
the rulebook Meridian holds.

A licensing authority for each jurisdiction with a primary source (credentialing.sources:
its listed boards, and the US states whose look-up is NCCAOM's list of state boards), named
as the site names the issuer of such a license, with that look-up's address and the place;
a certifying body for each body of the vocabulary (credentialing.certification_bodies), by
its full name. Of these, an issuer is listed while it backs a credential in force of a
listed practitioner, as a practice is listed with its clinic: the directory describes whom
its practitioners are qualified by, and every reference on a Practitioner resolves. (One
that leaves is answered 410, through the version history, like a clinic.) A body written
in as "Other", or a jurisdiction without a known source, has no Organization: its issuer
stays a display.

Their type is HL7 organization-type `other`: Meridian does not record whether a board is a
government agency (some are colleges or private registers), and they are not providers.

Ids (`licensing-us-ca`, `licensing-gb`, `certifying-nccaom`) end in a jurisdiction code or a
body's short name, never in the 10 hex digits that end a clinic's id, so they cannot collide."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation

from common import jurisdictions
from credentialing import certification_bodies, sources
from fhir_api import selectors, systems
from fhir_api.meta import with_meta

# When issuers were first published; their content follows the rulebook.
ISSUERS_SINCE = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
TYPE_CODE = "other"


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    url: str = ""
    country: str = ""  # a licensing authority's jurisdiction
    region: str = ""
    body: str = ""  # a certifying body's key in the vocabulary


def all_issuers() -> tuple[Issuer, ...]:
    """Every issuer, by id, once per language: the fallback names are in the request's
    language, as on practitioners' qualifications."""
    return _issuers(translation.get_language())


@functools.cache
def _issuers(_language: str | None) -> tuple[Issuer, ...]:
    found = [_licensing(country, region) for country, region in _jurisdictions()]
    for body, full_name in certification_bodies.BODIES.items():
        known = sources.sources_for_certification(body)
        url = known[0].url if known else ""
        found.append(Issuer(f"certifying-{body.lower()}", full_name, url=url, body=body))
    return tuple(sorted(found, key=lambda issuer: issuer.id))


def _jurisdictions() -> set[tuple[str, str]]:
    places = {(code.partition("-")[0], code.partition("-")[2]) for code in sources.LICENSE_SOURCES}
    return places | {("US", region) for region in jurisdictions.REGIONS["US"]}


def _licensing(country: str, region: str) -> Issuer:
    source = sources.sources_for_license(country, region)[0]
    code = jurisdictions.code(country, region).lower()
    return Issuer(f"licensing-{code}", source.name, source.url, country=country, region=region)


def by_id(issuer_id: str) -> Issuer | None:
    """A known issuer, listed or not."""
    return next((issuer for issuer in all_issuers() if issuer.id == issuer_id), None)


def listed(candidates: Iterable[Issuer] | None = None) -> list[Issuer]:
    """Those of `candidates` (default: every known issuer) that back a credential in force
    of a listed practitioner, by id. Asks the database only when there is a candidate."""
    candidates = list(all_issuers() if candidates is None else candidates)
    if not candidates:
        return []
    places, bodies = selectors.credential_issuers()
    return [issuer for issuer in candidates if _backed(issuer, places, bodies)]


def _backed(issuer: Issuer, places: set[tuple[str, str]], bodies: set[str]) -> bool:
    if issuer.body:
        return issuer.body in bodies
    return (issuer.country, issuer.region) in places


def listed_by_id(issuer_id: str) -> Issuer | None:
    issuer = by_id(issuer_id)
    return next(iter(listed([issuer])), None) if issuer else None


def issuer_of(credential) -> Issuer | None:
    """The Organization that issued this credential, if Meridian publishes one."""
    if selectors.is_license(credential):
        wanted = f"licensing-{jurisdictions.code(credential.country, credential.region).lower()}"
    elif credential.body in certification_bodies.BODIES:
        wanted = f"certifying-{credential.body.lower()}"
    else:
        return None
    return by_id(wanted)


def holders_filter(issuer: Issuer):
    """Practitioners holding a credential in force from this issuer (a Q)."""
    if issuer.body:
        return selectors.certified_by_filter(issuer.body)
    return selectors.licensed_in_filter(issuer.country, issuer.region)


def issuer_resource(issuer: Issuer) -> dict:
    resource: dict = {
        "resourceType": "Organization",
        "id": issuer.id,
        # Named from the rulebook; staff have not checked the board's own details.
        "extension": [systems.verification_status("incomplete")],
        "active": True,
        "type": [systems.concept(systems.ORGANIZATION_TYPE, TYPE_CODE, "Other")],
        "name": issuer.name,
    }
    if issuer.url:
        resource["telecom"] = [{"system": "url", "value": issuer.url, "use": "work"}]
    if issuer.country:
        place = {"state": issuer.region, "country": issuer.country}
        resource["address"] = [{key: value for key, value in place.items() if value}]
    return with_meta(
        resource, last_updated=ISSUERS_SINCE, profile=systems.NDAPI_PROFILE["Organization"]
    )


def reference(issuer: Issuer, display: str) -> dict:
    return {"reference": f"Organization/{issuer.id}", "display": display}
