"""A FHIR search: the request's parameters parsed (fhir.parameters), one page of matches
read through the selectors (nearest first for `near`), the includes added, all returned
as a searchset Bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict

from fhir_api import search_values, selectors
from fhir_api.clinics import location_resource, role_resource
from fhir_api.errors import FhirError, bad_parameter
from fhir_api.practitioners import practitioner_resource
from fhir_api.search_parameters import IGNORED, INCLUDES, RESULT_PARAMETERS, REVINCLUDES, parameter
from fhir_api.systems import LOCATION_DISTANCE, UCUM
from fhir_api.verification import verification_resource

SEARCHABLE = ["Practitioner", "PractitionerRole", "Location", "VerificationResult"]


@dataclass
class SearchRequest:
    resource_type: str
    where: Q = field(default_factory=Q)
    near: search_values.Near | None = None
    count: int = search_values.DEFAULT_COUNT
    count_given: bool = False
    page: int = 1
    includes: list[str] = field(default_factory=list)
    revincludes: list[str] = field(default_factory=list)
    applied: list[tuple[str, str]] = field(default_factory=list)  # echoed in the self link


def parse(resource_type: str, query: QueryDict, *, strict: bool) -> SearchRequest:
    """The request's parameters, checked. Unknown ones are left out (and out of the self
    link), or refused with `Prefer: handling=strict`; a bad value is always refused."""
    request = SearchRequest(resource_type)
    for key, raw_values in query.lists():
        name, _, modifier = key.partition(":")
        for raw in raw_values:
            if _apply(request, key, name, modifier, raw, strict=strict):
                request.applied.append((key, raw))
    return request


def _apply(
    request: SearchRequest, key: str, name: str, modifier: str, raw: str, *, strict: bool
) -> bool:
    """Apply one parameter; False when it is not applied (and so not echoed)."""
    if name in RESULT_PARAMETERS and not modifier:
        if name == "_count":
            request.count = search_values.positive_int(
                key, raw, maximum=search_values.MAX_COUNT, clamp=True
            )
            request.count_given = True
        elif name == "_page":
            request.page = search_values.positive_int(
                key, raw, maximum=search_values.MAX_PAGE, clamp=False
            )
        return False  # _count and _page are written into each link; _format is checked by the view
    if name in {"_include", "_revinclude"} and modifier in {"", "iterate"}:
        table = INCLUDES if name == "_include" else REVINCLUDES
        allowed = table.get(request.resource_type, [])
        value = ":".join(raw.split(":")[:2])  # a target type (Type:param:Target) adds nothing here
        if value not in allowed:
            options = ", ".join(allowed) or "none"
            raise bad_parameter(
                key, f"{raw!r} is not supported on {request.resource_type} (supported: {options})."
            )
        chosen = request.includes if name == "_include" else request.revincludes
        if value not in chosen:
            chosen.append(value)
        return True
    found = parameter(request.resource_type, name)
    if found is None:
        if strict:
            what = "not supported" if name in IGNORED else "not a search parameter"
            raise FhirError(
                f"{name} is {what} for {request.resource_type}.",
                parameter=key,
                code="not-supported",
            )
        return False
    if found.filter is None:  # near, or location.near
        if modifier:
            raise bad_parameter(key, "no modifier is supported.", code="not-supported")
        if request.near is not None:
            raise bad_parameter(key, "give one point to search near.")
        request.near = search_values.near_value(
            key, raw, default_km=selectors.DEFAULT_RADIUS_KM, maximum_km=selectors.MAX_RADIUS_KM
        )
        return True
    request.where &= found.filter(key, modifier, search_values.split_values(key, raw))
    return True


@dataclass
class Page:
    matches: list[tuple[dict, float | None]]  # resource, metres from the `near` point
    includes: list[dict]
    has_next: bool
    offset: int


def run(request: SearchRequest) -> Page:
    offset = (request.page - 1) * request.count
    limit = request.count + 1  # one more says whether there is a next page
    kind = request.resource_type
    if kind in {"Location", "PractitionerRole"}:
        build = location_resource if kind == "Location" else role_resource
        if request.near:
            near = request.near
            rows = selectors.nearest_locations(
                near.latitude,
                near.longitude,
                radius_km=near.radius_km,
                where=request.where,
                offset=offset,
                limit=limit,
            )
        else:
            pks = selectors.locations().filter(request.where).order_by("pk")
            rows = [(pk, None) for pk in pks.values_list("pk", flat=True)[offset : offset + limit]]
        objects = selectors.load_locations(pk for pk, _ in rows[: request.count])
        found = [(objects[pk], distance) for pk, distance in rows[: request.count] if pk in objects]
        matches = [(build(location), distance) for location, distance in found]
        includes = _clinic_includes(request, [location for location, _ in found])
    elif kind == "Practitioner":
        pks = selectors.practitioners().filter(request.where).order_by("slug")
        page_pks = list(pks.values_list("pk", flat=True)[offset : offset + limit])
        rows = page_pks
        loaded = {p.pk: p for p in selectors.load_practitioners(page_pks[: request.count])}
        practitioners = [loaded[pk] for pk in page_pks[: request.count] if pk in loaded]
        matches = [(practitioner_resource(p), None) for p in practitioners]
        includes = _practitioner_includes(request, [p.pk for p in practitioners])
    else:
        rows = selectors.credential_page(request.where, offset=offset, limit=limit)
        credentials = rows[: request.count]
        matches = [(verification_resource(credential), None) for credential in credentials]
        includes = []
        if "VerificationResult:target" in request.includes:
            pks = {credential.practitioner_id for credential in credentials}
            includes = [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
    return Page(matches, includes, has_next=len(rows) > request.count, offset=offset)


def _clinic_includes(request: SearchRequest, locations: list) -> list[dict]:
    found: list[dict] = []
    if "PractitionerRole:practitioner" in request.includes:
        pks = {location.practitioner_id for location in locations}
        found += [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
    if "PractitionerRole:location" in request.includes:
        found += [location_resource(location) for location in locations]
    if "PractitionerRole:location" in request.revincludes:
        found += [role_resource(location) for location in locations]
    return found


def _practitioner_includes(request: SearchRequest, pks: list[int]) -> list[dict]:
    found: list[dict] = []
    if "PractitionerRole:practitioner" in request.revincludes:
        roles = selectors.load_locations(
            selectors.locations().filter(practitioner__in=pks).values_list("pk", flat=True)
        )
        found += [role_resource(location) for _, location in sorted(roles.items())]
    if "VerificationResult:target" in request.revincludes:
        found += [verification_resource(c) for c in selectors.credentials_in_force(pks)]
    return found


def bundle(request: SearchRequest, page: Page, *, base: str) -> dict:
    """The searchset. `total` only when it is known to be true: on the last page, where it
    costs nothing; elsewhere counting every match would cost more than the search."""
    entries = []
    seen: set[tuple[str, str]] = set()
    for resource, metres in page.matches:
        seen.add((resource["resourceType"], resource["id"]))
        search: dict = {"mode": "match"}
        if metres is not None and request.near:
            search["extension"] = [distance_extension(metres, request.near)]
        entries.append(_entry(resource, base, search))
    for resource in page.includes:
        key = (resource["resourceType"], resource["id"])
        if key not in seen:
            seen.add(key)
            entries.append(_entry(resource, base, {"mode": "include"}))
    found: dict = {"resourceType": "Bundle", "type": "searchset"}
    if not page.has_next and (page.matches or page.offset == 0):
        found["total"] = page.offset + len(page.matches)
    found["link"] = _links(request, page, base=base)
    found["entry"] = entries
    if not entries:
        del found["entry"]
    return found


def distance_extension(metres: float, near: search_values.Near) -> dict:
    return {
        "url": LOCATION_DISTANCE,
        "valueDistance": {
            "value": round(metres / near.metres_per_unit, 4),
            "unit": near.unit,
            "system": UCUM,
            "code": near.unit,
        },
    }


def _entry(resource: dict, base: str, search: dict) -> dict:
    return {
        "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": search,
    }


def _links(request: SearchRequest, page: Page, *, base: str) -> list[dict]:
    def url(page_number: int, *, with_count: bool) -> str:
        query = list(request.applied)
        if with_count:
            query.append(("_count", str(request.count)))
        if page_number > 1:
            query.append(("_page", str(page_number)))
        encoded = urlencode(query, safe="|:/,")
        return f"{base}{request.resource_type}" + (f"?{encoded}" if encoded else "")

    links = [{"relation": "self", "url": url(request.page, with_count=request.count_given)}]
    if page.has_next and request.page < search_values.MAX_PAGE:
        links.append({"relation": "next", "url": url(request.page + 1, with_count=True)})
    if request.page > 1:
        links.append({"relation": "previous", "url": url(request.page - 1, with_count=True)})
    return links
