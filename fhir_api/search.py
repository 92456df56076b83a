"""A FHIR search: the request's parameters parsed (fhir.parameters), one page of matches
read through the selectors (nearest first for `near`), the includes added, all returned
as a searchset Bundle. An Organization search pages through the qualification issuers
(fhir_api.issuer_search) by id, then the practices by row, then the organisations from
NPPES (fhir_api.nppes_search) by NPI: a cursor key ["nppes", NPI] is an NPPES
organisation's, any other whose first value is a string an issuer's id, a number a row's."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict

from fhir_api import (
    directory_endpoint_search,
    issuer_search,
    issuers,
    nppes_organizations,
    nppes_search,
    search_filter,
    search_values,
    selectors,
)
from fhir_api.clinics import location_resource, role_resource
from fhir_api.cursor import cursor_decode, cursor_encode
from fhir_api.errors import FhirError, bad_parameter
from fhir_api.healthcare_services import healthcare_service_resource
from fhir_api.practices import (
    directory_endpoint,
    endpoint_resource,
    organization_resource,
)
from fhir_api.practitioners import practitioner_resource
from fhir_api.read import CLINIC_BUILDERS, READABLE
from fhir_api.search_parameters import IGNORED, INCLUDES, RESULT_PARAMETERS, REVINCLUDES, parameter
from fhir_api.systems import LOCATION_DISTANCE, UCUM
from fhir_api.verification import verification_resource

SEARCHABLE = READABLE
NPPES_KEY = "nppes"  # first value of a cursor key in the NPPES organisations' segment
# Types whose resources are clinics (Location rows) under another name.
CLINIC_TYPES = {**CLINIC_BUILDERS, "Endpoint": endpoint_resource}


@dataclass
class SearchRequest:
    resource_type: str
    where: Q = field(default_factory=Q)
    near: search_values.Near | None = None
    count: int = search_values.DEFAULT_COUNT
    count_given: bool = False
    summary_count: bool = False  # _summary=count or _count=0: the total, no entries
    after: list | None = None  # the cursor's ordering key: continue after it
    seen: int = 0  # matches on the pages before this one
    includes: list[str] = field(default_factory=list)
    revincludes: list[str] = field(default_factory=list)
    applied: list[tuple[str, str]] = field(default_factory=list)  # echoed in the self link
    cursor: tuple[str, str] | None = None  # (parameter, value), read once all are known

    @property
    def scope(self) -> str:
        """What a cursor pages: nearest-first searches order by another key."""
        return self.resource_type + (":near" if self.near else "")


def parse(resource_type: str, query: QueryDict, *, strict: bool) -> SearchRequest:
    """The request's parameters, checked. Unknown ones are left out (and out of the self
    link), or refused with `Prefer: handling=strict`; a bad value is always refused."""
    request = SearchRequest(resource_type)
    for key, raw_values in query.lists():
        name, _, modifier = key.partition(":")
        for raw in raw_values:
            if _apply(request, key, name, modifier, raw, strict=strict):
                request.applied.append((key, raw))
    if request.cursor:
        request.after, request.seen = cursor_decode(*request.cursor, scope=request.scope)
    return request


def _apply(
    request: SearchRequest, key: str, name: str, modifier: str, raw: str, *, strict: bool
) -> bool:
    """Apply one parameter; False when it is not applied (and so not echoed)."""
    if name in RESULT_PARAMETERS and not modifier:
        if name == "_count":
            if raw.strip() == "0":  # R4: a count of 0 is _summary=count
                request.summary_count = True
            else:
                request.count = search_values.positive_int(
                    key, raw, maximum=search_values.MAX_COUNT, clamp=True
                )
            request.count_given = True
        elif name == "_cursor":
            request.cursor = (key, raw)
        elif name == "_summary":
            if raw == "count":
                request.summary_count = True
            elif raw != "false":
                if strict:
                    raise bad_parameter(
                        key, "only count and false are supported.", code="not-supported"
                    )
                return False
            return True
        return (
            False  # _count and _cursor are written into each link; _format is checked by the view
        )
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
    if found.name == "_filter":
        request.where &= search_filter.where(request.resource_type, key, modifier, raw)
        return True
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
    next_key: list | None  # the ordering key of the last match, when there is a next page
    total: int | None = None
    outcomes: list[dict] = field(default_factory=list)  # notes on the page (search.mode outcome)


def run(request: SearchRequest) -> Page:
    if request.summary_count:
        return Page([], [], None, total=_count(request))
    limit = request.count + 1  # one more says whether there is a next page
    after = request.after
    kind = request.resource_type
    keys: list[list]
    if kind == "Organization" and after and after[0] == NPPES_KEY:
        return _with_nppes(request, Page([], [], None), after=str(after[1]))
    if kind in CLINIC_TYPES:
        build = CLINIC_TYPES[kind]
        first: list[tuple[dict, float | None]] = []
        if (
            kind == "Endpoint"
            and after is None
            and directory_endpoint_search.matches(request.applied)
        ):
            first = [(directory_endpoint(), None)]
        if kind == "Organization" and (after is None or isinstance(after[0], str)):
            issuer_page = _issuer_page(request)
            if issuer_page.next_key is not None:
                return issuer_page
            first, after = issuer_page.matches, None
        room = request.count - len(first)  # the page still holds _count entries
        if request.near:
            near = request.near
            rows = selectors.nearest_locations(
                near.latitude,
                near.longitude,
                radius_km=near.radius_km,
                where=request.where,
                after=(float(after[0]), int(after[1])) if after else None,
                limit=room + 1,
            )
            keys = [[distance, pk] for pk, distance in rows]
        else:
            pks = selectors.locations().filter(request.where)
            if kind == "Endpoint":
                pks = pks.exclude(booking_url="")
            if after:
                pks = pks.filter(pk__gt=int(after[0]))
            rows = [
                (pk, None) for pk in pks.order_by("pk").values_list("pk", flat=True)[: room + 1]
            ]
            keys = [[pk] for pk, _ in rows]
        objects = selectors.load_locations(pk for pk, _ in rows[:room])
        found = [(objects[pk], distance) for pk, distance in rows[:room] if pk in objects]
        matches = first + [(build(location), distance) for location, distance in found]
        includes = _clinic_includes(request, [location for location, _ in found])
        has_next = len(rows) > room
        page = Page(matches, includes, keys[room - 1] if has_next and room else None)
        if kind == "Organization" and first:
            page.includes, page.outcomes = issuer_page.includes + includes, issuer_page.outcomes
        if has_next and not room:
            page.next_key = [0]
        if not has_next and kind == "Organization":
            return _with_nppes(request, page, after="")
        if not has_next:
            page.total = request.seen + len(matches)
        return page
    if kind == "Practitioner":
        listed = selectors.practitioners().filter(request.where)
        if after:
            listed = listed.filter(slug__gt=str(after[0]))
        page_rows = list(listed.order_by("slug").values_list("pk", "slug")[:limit])
        rows = page_rows
        keys = [[slug] for _, slug in page_rows]
        page_pks = [pk for pk, _ in page_rows[: request.count]]
        loaded = {p.pk: p for p in selectors.load_practitioners(page_pks)}
        practitioners = [loaded[pk] for pk in page_pks if pk in loaded]
        matches = [(practitioner_resource(p), None) for p in practitioners]
        includes = _practitioner_includes(request, practitioners)
    else:
        start = selectors.valid_uuids([str(after[0])])[0] if after else None
        rows = selectors.credential_page(request.where, after=start, limit=limit)
        keys = [[str(credential.public_id)] for credential in rows]
        credentials = rows[: request.count]
        matches = [(verification_resource(credential), None) for credential in credentials]
        includes = []
        if "VerificationResult:target" in request.includes:
            pks = {credential.practitioner_id for credential in credentials}
            includes = [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
    has_next = len(rows) > request.count
    page = Page(matches, includes, keys[request.count - 1] if has_next else None)
    if not has_next:  # the last page: the total costs nothing
        page.total = request.seen + len(matches)
    return page


def _with_nppes(request: SearchRequest, page: Page, *, after: str) -> Page:
    """The page filled up with NPPES organisations after the NPI `after`: the last
    segment of an Organization search (they have no includes)."""
    room = request.count - len(page.matches)
    found = nppes_search.page(request.applied, after=after, limit=room + 1)
    page.matches += [(nppes_organizations.organization_resource(o), None) for o in found[:room]]
    if len(found) > room:
        page.next_key = [NPPES_KEY, found[room - 1].npi if room else after]
    else:
        page.total = request.seen + len(page.matches)
    return page


def _count(request: SearchRequest) -> int:
    kind = request.resource_type
    if kind in CLINIC_TYPES:
        if request.near:
            near = request.near
            return selectors.count_nearby(
                near.latitude, near.longitude, radius_km=near.radius_km, where=request.where
            )
        rows = selectors.locations().filter(request.where)
        if kind == "Endpoint":
            extra = 1 if directory_endpoint_search.matches(request.applied) else 0
            return rows.exclude(booking_url="").order_by().count() + extra
        if kind == "Organization":
            issuers_found = len(issuer_search.matching(request.applied))
            return rows.order_by().count() + issuers_found + nppes_search.count(request.applied)
        return rows.order_by().count()
    if kind == "Practitioner":
        return selectors.practitioners().filter(request.where).order_by().count()
    return selectors.count_credentials(request.where)


def _issuer_page(request: SearchRequest) -> Page:
    """The issuers on this page of an Organization search (after the cursor's id), with
    their includes; `next_key` is set when issuers fill the page and more follow."""
    after = str(request.after[0]) if request.after else ""
    remaining = [i for i in issuer_search.matching(request.applied) if i.id > after]
    shown = remaining[: request.count]
    includes: list[dict] = []
    outcomes: list[dict] = []
    if "Practitioner:qualification-issuer" in request.revincludes:
        pks, outcomes = issuer_search.holders(shown, limit=request.count)
        loaded = {p.pk: p for p in selectors.load_practitioners(pks)}
        includes = [practitioner_resource(loaded[pk]) for pk in pks if pk in loaded]
    matches: list[tuple[dict, float | None]] = [
        (issuers.issuer_resource(issuer), None) for issuer in shown
    ]
    next_key = [shown[-1].id] if len(remaining) > request.count else None
    return Page(matches, includes, next_key, outcomes=outcomes)


# A clinic row is its Location, PractitionerRole, Organization and booking Endpoint at
# once, so every include between them is the same row built as the other type.
TARGET_BUILDERS = {
    "organization": organization_resource,
    "endpoint": endpoint_resource,
    "location": location_resource,
    "service": healthcare_service_resource,
}


def _clinic_includes(request: SearchRequest, locations: list) -> list[dict]:
    found: list[dict] = []
    for value in request.includes:
        parameter = value.split(":")[1]
        if parameter == "practitioner":
            pks = {location.practitioner_id for location in locations}
            found += [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
        else:
            found += _built(TARGET_BUILDERS[parameter], locations)
    for value in request.revincludes:
        if value.split(":")[0] in CLINIC_TYPES:  # not Practitioner:qualification-issuer
            found += _built(CLINIC_TYPES[value.split(":")[0]], locations)
    if "Practitioner:endpoint" in request.revincludes:  # the booking pages' practitioners
        pks = {location.practitioner_id for location in locations if location.booking_url}
        found += [practitioner_resource(p) for p in selectors.load_practitioners(pks)]
    return found


def _built(build, locations: list) -> list[dict]:
    if build is endpoint_resource:
        locations = [location for location in locations if location.booking_url]
    return [build(location) for location in locations]


def _practitioner_includes(request: SearchRequest, practitioners: list) -> list[dict]:
    pks = [p.pk for p in practitioners]
    found: list[dict] = []
    if "Practitioner:qualification-issuer" in request.includes:
        found += issuer_search.issuers_of(practitioners)
    if "Practitioner:endpoint" in request.includes:
        booked = selectors.load_locations(
            location.pk for p in practitioners for location in p.booking_locations
        )
        found += [endpoint_resource(location) for _, location in sorted(booked.items())]
    if "PractitionerRole:practitioner" in request.revincludes:
        roles = selectors.load_locations(
            selectors.locations().filter(practitioner__in=pks).values_list("pk", flat=True)
        )
        found += [role_resource(location) for _, location in sorted(roles.items())]
    if "VerificationResult:target" in request.revincludes:
        found += [verification_resource(c) for c in selectors.credentials_in_force(pks)]
    return found


def bundle(request: SearchRequest, page: Page, *, base: str) -> dict:
    """The searchset. `total` only when it is known to be true: asked for (_summary=count),
    or on the last page, where the cursor has counted the pages before; elsewhere counting
    every match would cost more than the search."""
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
    entries += [{"resource": outcome, "search": {"mode": "outcome"}} for outcome in page.outcomes]
    found: dict = {"resourceType": "Bundle", "type": "searchset"}
    if page.total is not None:
        found["total"] = page.total
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
    def url(cursor: str, *, with_count: bool) -> str:
        query = list(request.applied)
        if with_count:
            query.append(("_count", "0" if request.summary_count else str(request.count)))
        if cursor:
            query.append(("_cursor", cursor))
        encoded = urlencode(query, safe="|:/,")
        return f"{base}{request.resource_type}" + (f"?{encoded}" if encoded else "")

    this = ""
    if request.after is not None:
        this = cursor_encode(key=request.after, seen=request.seen, scope=request.scope)
    links = [{"relation": "self", "url": url(this, with_count=request.count_given)}]
    if page.next_key is not None:
        following = cursor_encode(
            key=page.next_key, seen=request.seen + request.count, scope=request.scope
        )
        links.append({"relation": "next", "url": url(following, with_count=True)})
    return links
