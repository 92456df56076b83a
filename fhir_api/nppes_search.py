"""Searching the Organizations from NPPES (fhir_api.nppes_organizations): an Organization
search lists the issuers, then the practices, then these, by NPI (fhir_api.search).

They are rows of their own table, so each parameter they answer has its own filter here,
on that table: `_id`, `identifier` (the NPI), `name` (with :exact and :contains), `type`,
`active`, the address parameters, `_lastUpdated`, `verification-status`, and a `_filter`
over those (search_filter's operators, on these rows). As for the issuers
(fhir_api.issuer_search), any other parameter of Organization (`endpoint`, `partof`), or a
`_filter` naming one, leaves them out: they have no endpoint and NPPES says nothing of what
they are part of."""

from __future__ import annotations

from django.db.models import Q

from fhir_api import nppes_organizations, search_filter, search_values, selectors, systems
from fhir_api.search_parameters import (
    LAST_UPDATED_DOC,
    RESULT_PARAMETERS,
    Parameter,
    _active,
    _any,
    _constant,
    _last_updated,
    _no_modifier,
    _text,
    _verification,
)

ADDRESS_FIELDS = {
    "address": [
        "address_line_1",
        "address_line_2",
        "city",
        "region",
        "postal_code",
        "country",
    ],
    "address-city": ["city"],
    "address-state": ["region"],
    "address-postalcode": ["postal_code"],
    "address-country": ["country"],
}


def _ids(parameter: str, modifier: str, values: list[str]) -> Q:
    _no_modifier(parameter, modifier)
    ids = [search_values.reference_id(parameter, value, "Organization") for value in values]
    return Q(npi__in=[npi for npi in map(nppes_organizations.npi_of, ids) if npi])


def _identifier(parameter: str, modifier: str, values: list[str]) -> Q:
    """The NPI, as `system|value` or a bare value (any system)."""
    _no_modifier(parameter, modifier)
    tokens = map(search_values.token_value, values)
    return Q(npi__in=[code for system, code in tokens if system in {None, systems.NPI}])


def _match(fields: list[str]):
    def build(_parameter: str, value: str, *, exact: bool, contains: bool) -> Q:
        lookup = "unaccent__icontains" if contains else "unaccent__istartswith"
        lookup = "exact" if exact else lookup
        return _any([Q(**{f"{field}__{lookup}": value}) for field in fields])

    return _text(build)


def _address_use(parameter: str, modifier: str, values: list[str]) -> Q:
    """work: every address (an organisation kept without one has none)."""
    _no_modifier(parameter, modifier)
    if any(search_values.token_in(value, [(None, "work")]) for value in values):
        return ~Q(country="")
    return Q(pk__in=[])


PARAMETERS = {
    parameter.name: parameter
    for parameter in [
        Parameter("_id", "token", _ids, ""),
        Parameter("_lastUpdated", "date", _last_updated(("updated_at",)), LAST_UPDATED_DOC),
        Parameter("identifier", "token", _identifier, ""),
        Parameter("name", "string", _match(["legal_name"]), ""),
        Parameter("active", "token", _active, ""),
        Parameter("type", "token", _constant((systems.ORGANIZATION_TYPE, "prov")), ""),
        Parameter("verification-status", "token", _verification("incomplete"), ""),
        *[Parameter(name, "string", _match(fields), "") for name, fields in ADDRESS_FIELDS.items()],
        Parameter("address-use", "token", _address_use, ""),
    ]
}


def where(applied: list[tuple[str, str]]) -> Q | None:
    """The Q of the applied parameters on the published NPPES organisations, or None when
    one is a parameter they cannot answer (or a `_filter` naming one). The values were
    checked when the practices' filters were built from them."""
    q = Q()
    for key, raw in applied:
        name, _, modifier = key.partition(":")
        if name in {"_include", "_revinclude", *RESULT_PARAMETERS}:  # _summary is echoed
            continue
        if name == "_filter":
            node = search_filter.parse(key, raw)
            if not search_filter.names(node) <= PARAMETERS.keys():
                return None
            q &= search_filter.where_over(
                node,
                key=key,
                label="Organization",
                lookup=PARAMETERS.get,
                rows=selectors.nppes_organisations,
            )
        elif (found := PARAMETERS.get(name)) and found.filter is not None:
            q &= found.filter(key, modifier, search_values.split_values(key, raw))
        else:
            return None
    return q


def count(applied: list[tuple[str, str]]) -> int:
    found = where(applied)
    return 0 if found is None else selectors.count_nppes_organisations(found)


def page(applied: list[tuple[str, str]], *, after: str, limit: int) -> list:
    """Up to `limit` matching organisations after the NPI `after`, by NPI."""
    found = where(applied)
    if found is None:
        return []
    return selectors.nppes_organisation_page(found, after=after, limit=limit)
