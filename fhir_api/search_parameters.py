"""The search parameters of each resource type: their FHIR type (as the CapabilityStatement
declares it) and the filter each value becomes. Filters are Q objects on the type's model
(Practitioner; Location for Location and PractitionerRole; License and Certification for
VerificationResult), so a nearby search can add them to its index-ordered scan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from fhir_api import search_values, selectors, systems
from fhir_api.errors import bad_parameter

Filter = Callable[[str, str, list[str]], Q]  # (parameter, modifier, values) -> Q


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # FHIR search parameter type
    filter: Filter | None  # None: handled by the search itself (near)
    documentation: str
    modifiers: tuple[str, ...] = ()


def _no_modifier(parameter: str, modifier: str, allowed: tuple[str, ...] = ()) -> None:
    if modifier and modifier not in allowed:
        raise bad_parameter(
            parameter, f"the modifier :{modifier} is not supported here.", code="not-supported"
        )


def _any(filters: list[Q]) -> Q:
    """OR of the alternatives; none matches nothing, an empty one matches everything."""
    if any(not one for one in filters):
        return Q()
    found = Q(pk__in=[])
    for one in filters:
        found |= one
    return found


def _last_updated(fields: tuple[str, ...]) -> Filter:
    """_lastUpdated over a resource made of several rows: it changed when any of them did,
    so `ge`/`gt` match if one row is late enough and `le`/`lt` only if all are early."""

    def build(parameter: str, modifier: str, values: list[str]) -> Q:
        _no_modifier(parameter, modifier)
        alternatives = []
        for value in values:
            moment = search_values.date_value(parameter, value)
            after = {"gt": ("gte", moment.end), "ge": ("gte", moment.start)}
            before = {"lt": ("lt", moment.start), "le": ("lt", moment.end)}
            if moment.prefix in after:
                lookup, bound = after[moment.prefix]
                alternatives.append(_any([Q(**{f"{f}__{lookup}": bound}) for f in fields]))
            elif moment.prefix in before:
                lookup, bound = before[moment.prefix]
                alternatives.append(Q(*[Q(**{f"{f}__{lookup}": bound}) for f in fields]))
            else:  # eq: the latest change falls within the value's range
                late_enough = _any([Q(**{f"{f}__gte": moment.start}) for f in fields])
                early_enough = Q(*[Q(**{f"{f}__lt": moment.end}) for f in fields])
                alternatives.append(late_enough & early_enough)
        return _any(alternatives)

    return build


def _text(match: Callable[..., Q]) -> Filter:
    def build(parameter: str, modifier: str, values: list[str]) -> Q:
        _no_modifier(parameter, modifier, ("exact", "contains"))
        return _any(
            [
                match(
                    parameter,
                    value if modifier == "exact" else search_values.plain_text(value),
                    exact=modifier == "exact",
                    contains=modifier == "contains",
                )
                for value in values
            ]
        )

    return build


def _practitioner_ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    return Q(
        slug__in=[search_values.reference_id(parameter, value, "Practitioner") for value in values]
    )


def _practitioner_identifier(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    return _any(
        [selectors.practitioner_identifier_filter(*search_values.token_value(v)) for v in values]
    )


def _location_ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    ids = [search_values.reference_id(parameter, value, "Location") for value in values]
    return Q(pk__in=selectors.location_pks(ids))


def _role_ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    ids = [search_values.reference_id(parameter, value, "PractitionerRole") for value in values]
    return Q(pk__in=selectors.location_pks(ids))


def _role_practitioner(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    slugs = [search_values.reference_id(parameter, value, "Practitioner") for value in values]
    return Q(practitioner__slug__in=slugs)


def _role_specialty(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    found = []
    for value in values:
        system, code = search_values.token_value(value)
        if code == systems.ACUPUNCTURIST[0] and system in {None, systems.NUCC_TAXONOMY}:
            found.append(Q())  # every practitioner listed is an acupuncturist
        elif system in {None, systems.technique_system()}:
            found.append(selectors.technique_filter(code))
    return _any(found) if found else Q(pk__in=[])


def _credential_ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    return Q(public_id__in=selectors.valid_uuids(values))


def _credential_target(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    slugs = [search_values.reference_id(parameter, value, "Practitioner") for value in values]
    return Q(practitioner__slug__in=slugs)


LAST_UPDATED_DOC = "When the resource last changed; prefixes eq, gt, ge, lt, le."
NEAR_DOC = (
    "latitude|longitude|distance|unit: listed locations within the distance (default "
    f"{selectors.DEFAULT_RADIUS_KM:g} km, at most {selectors.MAX_RADIUS_KM:g} km), nearest "
    "first by great-circle distance, each entry with the location-distance extension. "
    "Units (UCUM): km, m, [mi_i]; also mi and [mi_us]. Without a unit, km."
)
TEXT_DOC = " Starts with, ignoring case and accents; :exact and :contains supported."


def _address(field: str) -> Filter:
    return _text(
        lambda _parameter, value, **how: selectors.location_text_filter(field, value, **how)
    )


def _name(part: str) -> Filter:
    return _text(
        lambda _parameter, value, **how: selectors.practitioner_name_filter(part, value, **how)
    )


CLINIC_PARAMETERS = [
    Parameter(
        "_lastUpdated",
        "date",
        _last_updated(("updated_at", "practitioner__updated_at")),
        LAST_UPDATED_DOC,
    ),
]

PARAMETERS: dict[str, list[Parameter]] = {
    "Practitioner": [
        Parameter("_id", "token", _practitioner_ids, "The practitioner's id (profile slug)."),
        Parameter(
            "_lastUpdated",
            "date",
            _last_updated(("last_updated",)),
            LAST_UPDATED_DOC + " Includes changes to the practitioner's credentials.",
        ),
        Parameter("name", "string", _name("name"), "Given or family name." + TEXT_DOC),
        Parameter("family", "string", _name("family"), "Family name." + TEXT_DOC),
        Parameter("given", "string", _name("given"), "Given name." + TEXT_DOC),
        Parameter(
            "identifier",
            "token",
            _practitioner_identifier,
            f"system|value; the Meridian profile system is {systems.profile_identifier()}.",
        ),
    ],
    "PractitionerRole": [
        Parameter("_id", "token", _role_ids, "The role's id (also its Location's id)."),
        *CLINIC_PARAMETERS,
        Parameter("practitioner", "reference", _role_practitioner, "Practitioner/<id>."),
        Parameter("location", "reference", _location_ids, "Location/<id>."),
        Parameter(
            "specialty",
            "token",
            _role_specialty,
            f"{systems.NUCC_TAXONOMY}|{systems.ACUPUNCTURIST[0]} (every role), or a technique "
            f"as {systems.technique_system()}|<slug>.",
        ),
        Parameter("location.near", "special", None, "The role's location is near: " + NEAR_DOC),
    ],
    "Location": [
        Parameter("_id", "token", _location_ids, "The location's id."),
        *CLINIC_PARAMETERS,
        Parameter("address", "string", _address("address"), "Any part of the address." + TEXT_DOC),
        Parameter("address-city", "string", _address("address-city"), "City." + TEXT_DOC),
        Parameter("address-state", "string", _address("address-state"), "State or region code."),
        Parameter(
            "address-postalcode",
            "string",
            _address("address-postalcode"),
            "Postal code." + TEXT_DOC,
        ),
        Parameter("near", "special", None, NEAR_DOC),
    ],
    "VerificationResult": [
        Parameter("_id", "token", _credential_ids, "The verification's id (a UUID)."),
        Parameter("_lastUpdated", "date", _last_updated(("updated_at",)), LAST_UPDATED_DOC),
        Parameter("target", "reference", _credential_target, "Practitioner/<id>."),
    ],
}

# _include and _revinclude values each type accepts.
INCLUDES = {
    "PractitionerRole": ["PractitionerRole:practitioner", "PractitionerRole:location"],
    "VerificationResult": ["VerificationResult:target"],
}
REVINCLUDES = {
    "Practitioner": ["PractitionerRole:practitioner", "VerificationResult:target"],
    "Location": ["PractitionerRole:location"],
}
# Result parameters every search understands (besides _include and _revinclude).
RESULT_PARAMETERS = {"_count", "_cursor", "_summary", "_format"}
# Standard parameters not supported: ignored (lenient) or refused (strict).
IGNORED = {"_sort", "_elements", "_total", "_contained", "_pretty"}


def parameter(resource_type: str, name: str) -> Parameter | None:
    return next((p for p in PARAMETERS[resource_type] if p.name == name), None)
