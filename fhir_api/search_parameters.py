"""The search parameters of each resource type: their FHIR type (as the CapabilityStatement
declares it) and the filter each value becomes. Filters are Q objects on the type's model
(Practitioner; Location for Location and PractitionerRole; License and Certification for
VerificationResult), so a nearby search can add them to its index-ordered scan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from fhir_api import issuers, search_values, selectors, systems
from fhir_api.errors import bad_parameter
from fhir_api.practices import BOOKING_SUFFIX

Filter = Callable[[str, str, list[str]], Q]  # (parameter, modifier, values) -> Q


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # FHIR search parameter type
    filter: Filter | None  # None: handled by the search itself (near, _filter)
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


def _new_patients(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    found = []
    for value in values:
        system, code = search_values.token_value(value)
        if system in {None, systems.ACCEPTING_PATIENTS} and code in {"newpt", "nopt"}:
            found.append(selectors.new_patients_filter(code == "newpt"))
    return _any(found) if found else Q(pk__in=[])


def _accessibility(parameter: str, modifier: str, values: list[str]) -> Q:
    """Clinics with the access feature: Meridian's code, or THO's where it says the same."""
    _no_modifier(parameter, modifier)
    found = []
    for value in values:
        system, code = search_values.token_value(value)
        for field, (own, _display, tho) in systems.ACCESSIBILITY.items():
            if (code == own and system in {None, systems.accessibility_system()}) or (
                tho and code == tho and system in {None, systems.CARE_SERVICE_ACCESSIBILITY}
            ):
                found.append(Q(**{field: True}))
    return _any(found) if found else Q(pk__in=[])


def _qualification_code(parameter: str, modifier: str, values: list[str]) -> Q:
    """A license's code (NUCC Acupuncturist), or with :text words of a qualification."""
    _no_modifier(parameter, modifier, ("text",))
    if modifier == "text":
        return _any(
            [selectors.qualification_text_filter(search_values.plain_text(v)) for v in values]
        )
    found = []
    for value in values:
        system, code = search_values.token_value(value)
        if code == systems.ACUPUNCTURIST[0] and system in {None, systems.NUCC_TAXONOMY}:
            found.append(selectors.licensed_filter())
    return _any(found) if found else Q(pk__in=[])


def _qualification_issuer(parameter: str, modifier: str, values: list[str]) -> Q:
    """Practitioners holding a credential in force from the issuer Organization
    (fhir_api.issuers): a license in its jurisdiction, or a certification from its body."""
    _no_modifier(parameter, modifier)
    found = []
    for value in values:
        issuer = issuers.by_id(search_values.reference_id(parameter, value, "Organization"))
        if issuer is not None:
            found.append(issuers.holders_filter(issuer))
    return _any(found) if found else Q(pk__in=[])


def _practitioner_endpoint(parameter: str, modifier: str, values: list[str]) -> Q:
    """Practitioners whose online booking page at a listed clinic is this Endpoint
    (`<clinic id>-booking`); the directory's own FHIR endpoint is no practitioner's."""
    _no_modifier(parameter, modifier)
    ids = [search_values.reference_id(parameter, value, "Endpoint") for value in values]
    clinics = [i.removesuffix(BOOKING_SUFFIX) for i in ids if i.endswith(BOOKING_SUFFIX)]
    booked = selectors.booking_locations().filter(pk__in=selectors.location_pks(clinics))
    return Q(pk__in=booked.values("practitioner_id"))


def _gender(parameter: str, modifier: str, values: list[str]) -> Q:
    """Practitioners whose chosen category is published as this FHIR gender (unknown: none
    chosen, so the element is absent and nothing matches it)."""
    _no_modifier(parameter, modifier)
    found = []
    for value in values:
        system, code = search_values.token_value(value)
        if system in {None, systems.ADMINISTRATIVE_GENDER}:
            found.append(
                Q(gender__in=[ours for ours, fhir in systems.GENDERS.items() if fhir == code])
            )
    return _any(found) if found else Q(pk__in=[])


def _credential_ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    return Q(public_id__in=selectors.valid_uuids(values))


def _credential_target(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    slugs = [search_values.reference_id(parameter, value, "Practitioner") for value in values]
    return Q(practitioner__slug__in=slugs)


def _constant(*accepted: tuple[str, str]) -> Filter:
    """A token every resource of the type shares (or none does): each value matches all of
    them when it is one of `accepted` (system, code), with or without its system."""

    def build(parameter: str, modifier: str, values: list[str]) -> Q:
        _no_modifier(parameter, modifier)
        found = [Q() for value in values if search_values.token_in(value, accepted)]
        return _any(found) if found else Q(pk__in=[])

    return build


def _nothing(resource_type: str) -> Filter:
    """A parameter whose element Meridian never fills (no Location is part of another, no
    practice has an identifier yet): valid values match nothing."""

    def build(parameter: str, modifier: str, values: list[str]) -> Q:
        _no_modifier(parameter, modifier)
        for value in values:
            if resource_type:
                search_values.reference_id(parameter, value, resource_type)
        return Q(pk__in=[])

    return build


def _clinic_references(resource_type: str, suffix: str = "") -> Filter:
    """References to another type that a clinic row also is (Organization/<id>,
    Endpoint/<id>-booking): the same row."""

    def build(parameter: str, modifier: str, values: list[str]) -> Q:
        _no_modifier(parameter, modifier)
        ids = [search_values.reference_id(parameter, value, resource_type) for value in values]
        found = [value.removesuffix(suffix) for value in ids if value.endswith(suffix)]
        q = Q(pk__in=selectors.location_pks(found))
        return q & ~Q(booking_url="") if suffix else q

    return build


def _directory_endpoint_only(parameter: str, modifier: str, values: list[str]) -> Q:
    """A token of an extension only the directory's own endpoint carries
    (practices.DIRECTORY_ENDPOINT_EXTENSIONS; the search matches it there): no booking page
    has it, so no clinic row matches, whatever the value."""
    _no_modifier(parameter, modifier, ("text",))
    return Q(pk__in=[])


def _verification(code: str) -> Filter:
    return _constant((systems.NDH_VERIFICATION_STATUS_CS, code))


def _active(parameter: str, modifier: str, values: list[str]) -> Q:
    return _constant((None, "true"))(parameter, modifier, values)


LAST_UPDATED_DOC = "When the resource last changed; prefixes eq, gt, ge, lt, le."
NEAR_DOC = (
    "latitude|longitude|distance|unit: listed locations within the distance (default "
    f"{selectors.DEFAULT_RADIUS_KM:g} km, at most {selectors.MAX_RADIUS_KM:g} km), nearest "
    "first by great-circle distance, each entry with the location-distance extension. "
    "Units (UCUM): km, m, [mi_i]; also mi and [mi_us]. Without a unit, km."
)
TEXT_DOC = " Starts with, ignoring case and accents; :exact and :contains supported."


def _practice_name() -> Filter:
    return _text(lambda _parameter, value, **how: selectors.practice_name_filter(value, **how))


def _address(field: str) -> Filter:
    return _text(
        lambda _parameter, value, **how: selectors.location_text_filter(field, value, **how)
    )


def _name(part: str) -> Filter:
    return _text(
        lambda _parameter, value, **how: selectors.practitioner_name_filter(part, value, **how)
    )


FILTER = Parameter(
    "_filter",
    "special",
    None,
    "FHIR's _filter over this type's other parameters: and, or, not(...), parentheses (and "
    "binds tighter than or). token and _id: eq, ne; reference: eq, re, ne; string: eq "
    "(exact), sw (starts with), co (contains), ne; date: eq, ne, gt, lt, ge, le, sa, eb. "
    "Values are JSON strings or bare tokens. Chains, filtered paths, near and other "
    "operators are refused (400).",
)
CLINIC_PARAMETERS = [
    FILTER,
    Parameter(
        "_lastUpdated",
        "date",
        _last_updated(("updated_at", "practitioner__updated_at")),
        LAST_UPDATED_DOC,
    ),
]
NO_IDENTIFIER = Parameter(
    "identifier", "token", _nothing(""), "Meridian assigns no identifier to this type yet."
)
ADDRESS_PARAMETERS = [
    Parameter("address", "string", _address("address"), "Any part of the address." + TEXT_DOC),
    Parameter("address-city", "string", _address("address-city"), "City." + TEXT_DOC),
    Parameter("address-state", "string", _address("address-state"), "State or region code."),
    Parameter(
        "address-postalcode", "string", _address("address-postalcode"), "Postal code." + TEXT_DOC
    ),
    Parameter("address-country", "string", _address("address-country"), "ISO 3166 country code."),
    Parameter("address-use", "token", _constant((None, "work")), "work (every address)."),
]
ORGANIZATION_REFERENCE = Parameter(
    "organization",
    "reference",
    _clinic_references("Organization"),
    "Organization/<id>: the practice the clinic belongs to.",
)
ENDPOINT_REFERENCE = Parameter(
    "endpoint",
    "reference",
    _clinic_references("Endpoint", BOOKING_SUFFIX),
    "Endpoint/<id>: the clinic's online booking page.",
)
NEW_PATIENT = Parameter(
    "new-patient",
    "token",
    _new_patients,
    f"{systems.ACCEPTING_PATIENTS}|newpt or |nopt, while the practitioner's answer is current "
    "(as the newpatients extension shows it).",
)
INCOMPLETE = Parameter(
    "verification-status",
    "token",
    _verification("incomplete"),
    "incomplete: Meridian checks practitioners' licenses, not this resource's own facts.",
)

PARAMETERS: dict[str, list[Parameter]] = {
    "Practitioner": [
        Parameter("_id", "token", _practitioner_ids, "The practitioner's id (profile slug)."),
        FILTER,
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
            f"system|value: the NPI ({systems.NPI}) or the Meridian profile "
            f"({systems.profile_identifier()}).",
        ),
        Parameter("active", "token", _active, "true (every practitioner listed)."),
        Parameter(
            "gender",
            "token",
            _gender,
            "female, male or other: the category the practitioner chose to show patients "
            "(woman, man; non-binary and another gender as other). Absent when none was chosen.",
        ),
        Parameter(
            "verification-status",
            "token",
            _verification("complete"),
            "complete: listed only with a license checked against its primary source.",
        ),
        Parameter(
            "qualification-code",
            "token",
            _qualification_code,
            f"{systems.NUCC_TAXONOMY}|{systems.ACUPUNCTURIST[0]}: a license in force (a "
            "certification has no code). :text matches a license's type or a certification's "
            "body or credential, anywhere, ignoring case and accents.",
            modifiers=("text",),
        ),
        Parameter(
            "qualification-issuer",
            "reference",
            _qualification_issuer,
            "Organization/<id> of a licensing authority or certifying body: practitioners "
            "holding a license in force in its jurisdiction or a certification in force "
            "from it.",
        ),
        Parameter(
            "endpoint",
            "reference",
            _practitioner_endpoint,
            "Endpoint/<id>: the practitioner's online booking page at one of their clinics "
            "(NDH's endpoint extension).",
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
        Parameter(
            "near",
            "special",
            None,
            "The role's location is near (also as the chain location.near): " + NEAR_DOC,
        ),
        ORGANIZATION_REFERENCE,
        ENDPOINT_REFERENCE,
        NEW_PATIENT,
        Parameter("active", "token", _active, "true (every role listed)."),
        Parameter(
            "role",
            "token",
            _constant((systems.NUCC_TAXONOMY, systems.ACUPUNCTURIST[0])),
            f"{systems.NUCC_TAXONOMY}|{systems.ACUPUNCTURIST[0]} (every role).",
        ),
        NO_IDENTIFIER,
        Parameter(
            "verification-status",
            "token",
            _verification("complete"),
            "complete: listed only with a license checked against its primary source.",
        ),
        Parameter(
            "service",
            "reference",
            _clinic_references("HealthcareService"),
            "HealthcareService/<id>: acupuncture at the role's clinic (the same id).",
        ),
    ],
    "Location": [
        Parameter("_id", "token", _location_ids, "The location's id."),
        *CLINIC_PARAMETERS,
        *ADDRESS_PARAMETERS,
        Parameter("name", "string", _practice_name(), "The clinic's name." + TEXT_DOC),
        Parameter("near", "special", None, NEAR_DOC),
        ORGANIZATION_REFERENCE,
        ENDPOINT_REFERENCE,
        NO_IDENTIFIER,
        Parameter("partof", "reference", _nothing("Location"), "No clinic is part of another."),
        Parameter("type", "token", _nothing(""), "Meridian does not type its clinics."),
        INCOMPLETE,
        Parameter(
            "new-patient",
            "token",
            _new_patients,
            f"{systems.ACCEPTING_PATIENTS}|newpt or |nopt: the practitioner's answer at this "
            "clinic, while it is current (as the newpatients extension shows it).",
        ),
        Parameter(
            "accessibility",
            "token",
            _accessibility,
            f"An access feature the clinic has, as {systems.accessibility_system()}|<code>: "
            + ", ".join(code for code, _d, _t in systems.ACCESSIBILITY.values())
            + f"; or {systems.CARE_SERVICE_ACCESSIBILITY}|pubtrans (near public transport).",
        ),
    ],
    "Organization": [
        Parameter(
            "_id",
            "token",
            _clinic_references("Organization"),
            "The practice's, the issuer's or the NPPES organisation's id (npi-<NPI>).",
        ),
        *CLINIC_PARAMETERS,
        Parameter(
            "name",
            "string",
            _practice_name(),
            "The practice's, the issuer's or the NPPES organisation's legal name." + TEXT_DOC,
        ),
        *ADDRESS_PARAMETERS,
        Parameter(
            "active",
            "token",
            _active,
            "true (every practice, issuer and NPPES organisation listed).",
        ),
        Parameter(
            "type",
            "token",
            _constant((systems.ORGANIZATION_TYPE, "prov")),
            f"{systems.ORGANIZATION_TYPE}|prov (every practice and NPPES organisation) or "
            f"|{issuers.TYPE_CODE} (licensing authorities and certifying bodies, the "
            "qualification issuers). A search lists the issuers, then the practices, then the "
            "NPPES organisations. Issuers answer only _id, name, type, active, address-state, "
            "address-country, verification-status, _lastUpdated, identifier and a _filter over "
            "those; NPPES organisations answer every parameter here but endpoint and partof; "
            "any other parameter leaves them out.",
        ),
        ENDPOINT_REFERENCE,
        Parameter(
            "identifier",
            "token",
            _nothing(""),
            f"system|value or value: the NPI ({systems.NPI}) of an organisation from NPPES. "
            "Practices and issuers have no identifier, so match none.",
        ),
        Parameter(
            "partof",
            "reference",
            _nothing("Organization"),
            "No practice is part of another; NPPES does not say what an organisation is part of.",
        ),
        INCOMPLETE,
    ],
    "Endpoint": [
        Parameter(
            "_id",
            "token",
            _clinic_references("Endpoint", BOOKING_SUFFIX),
            "The endpoint's id; meridian-fhir is this directory's own FHIR base.",
        ),
        *CLINIC_PARAMETERS,
        Parameter("status", "token", _constant((None, "active")), "active (every endpoint)."),
        Parameter(
            "connection-type",
            "token",
            _constant((systems.NDH_CONNECTION_TYPE, "rest-non-fhir")),
            "rest-non-fhir (booking pages) or hl7-fhir-rest (this directory).",
        ),
        Parameter(
            "connection-type-version",
            "token",
            _directory_endpoint_only,
            f"{systems.FHIR_VERSION_CS}|{systems.FHIR_VERSION}: this directory's own FHIR base "
            "(NDH's endpoint-connection-type-version); booking pages have no FHIR version. "
            ":text matches the version's display, anywhere, ignoring case and accents.",
            modifiers=("text",),
        ),
        Parameter(
            "access-control-mechanism",
            "token",
            _directory_endpoint_only,
            f"{systems.NDH_ACCESS_CONTROL_MECHANISM_CS}|public: this directory's own FHIR base, "
            "public with no authentication (NDH's endpointAccessControlMechanism); Meridian "
            "does not know how a clinic's booking page controls access, so states none. "
            ":text matches the display (Public), anywhere, ignoring case and accents.",
            modifiers=("text",),
        ),
        Parameter(
            "organization",
            "reference",
            _clinic_references("Organization"),
            "Organization/<id>: the practice whose booking page it is.",
        ),
        NO_IDENTIFIER,
        INCOMPLETE,
    ],
    "HealthcareService": [
        Parameter(
            "_id",
            "token",
            _clinic_references("HealthcareService"),
            "The service's id (also its clinic's Location and PractitionerRole id).",
        ),
        *CLINIC_PARAMETERS,
        Parameter("active", "token", _active, "true (every service listed)."),
        Parameter("location", "reference", _location_ids, "Location/<id>: where it is given."),
        Parameter(
            "organization",
            "reference",
            _clinic_references("Organization"),
            "Organization/<id>: the practice that provides it.",
        ),
        ENDPOINT_REFERENCE,
        Parameter(
            "service-category",
            "token",
            _constant((systems.NDH_SERVICE_CATEGORY, systems.SERVICE_CATEGORY[0])),
            f"{systems.NDH_SERVICE_CATEGORY}|{systems.SERVICE_CATEGORY[0]} (every service).",
        ),
        Parameter(
            "service-type",
            "token",
            _constant((systems.SERVICE_TYPE, systems.ACUPUNCTURE_SERVICE[0])),
            f"{systems.SERVICE_TYPE}|{systems.ACUPUNCTURE_SERVICE[0]}, Acupuncture (every "
            "service).",
        ),
        Parameter(
            "specialty",
            "token",
            _role_specialty,
            f"{systems.NUCC_TAXONOMY}|{systems.ACUPUNCTURIST[0]} (every service), or a "
            f"technique as {systems.technique_system()}|<slug>.",
        ),
        NEW_PATIENT,
        NO_IDENTIFIER,
        INCOMPLETE,
    ],
    "VerificationResult": [
        Parameter("_id", "token", _credential_ids, "The verification's id (a UUID)."),
        Parameter("_lastUpdated", "date", _last_updated(("updated_at",)), LAST_UPDATED_DOC),
        Parameter("target", "reference", _credential_target, "Practitioner/<id>."),
    ],
}

# _include and _revinclude values each type accepts.
INCLUDES = {
    "PractitionerRole": [
        "PractitionerRole:practitioner",
        "PractitionerRole:location",
        "PractitionerRole:organization",
        "PractitionerRole:endpoint",
        "PractitionerRole:service",
    ],
    "Location": ["Location:organization", "Location:endpoint"],
    "Organization": ["Organization:endpoint"],
    "Practitioner": ["Practitioner:qualification-issuer", "Practitioner:endpoint"],
    "Endpoint": ["Endpoint:organization"],
    "HealthcareService": [
        "HealthcareService:location",
        "HealthcareService:organization",
        "HealthcareService:endpoint",
    ],
    "VerificationResult": ["VerificationResult:target"],
}
REVINCLUDES = {
    "Practitioner": ["PractitionerRole:practitioner", "VerificationResult:target"],
    "Location": ["PractitionerRole:location", "HealthcareService:location"],
    "Organization": [
        "Location:organization",
        "PractitionerRole:organization",
        "Endpoint:organization",
        "Practitioner:qualification-issuer",
        "HealthcareService:organization",
    ],
    "Endpoint": [
        "Location:endpoint",
        "Organization:endpoint",
        "PractitionerRole:endpoint",
        "Practitioner:endpoint",
        "HealthcareService:endpoint",
    ],
    "HealthcareService": ["PractitionerRole:service"],
}
# Result parameters every search understands (besides _include and _revinclude).
RESULT_PARAMETERS = {"_count", "_cursor", "_summary", "_format"}
# Standard parameters not supported: ignored (lenient) or refused (strict).
IGNORED = {"_sort", "_elements", "_total", "_contained", "_pretty"}


# Chains accepted as another name of a parameter.
ALIASES = {("PractitionerRole", "location.near"): "near"}


def parameter(resource_type: str, name: str) -> Parameter | None:
    name = ALIASES.get((resource_type, name), name)
    return next((p for p in PARAMETERS[resource_type] if p.name == name), None)
