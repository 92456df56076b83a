"""Searching issuer Organizations (fhir_api.issuers), which are not rows: an Organization
search lists the issuers that match first, by id, then the practices (fhir_api.search).

An issuer answers only the parameters it can be told apart by: `_id`, `name` (with :exact
and :contains), `type`, `active`, `address-state`, `address-country`, `verification-status`
and `_lastUpdated`, `identifier` (which no issuer has: Meridian assigns none, so it matches
none), and a `_filter` over those alone (evaluated here on each issuer, with
the operators search_filter serves). Any other parameter, or a `_filter` naming one, leaves
the issuers out, as the directory's own Endpoint is left out (the practices' filters still
apply to practices).

`_revinclude=Practitioner:qualification-issuer` is bounded: a board may license thousands.
A page brings at most `_count` practitioners in all; an issuer cut short gets an outcome
entry naming the search that lists every holder."""

from __future__ import annotations

import functools
from collections.abc import Callable

from fhir_api import issuers, search_filter, search_values, selectors, systems
from fhir_api.issuers import Issuer
from fhir_api.search_parameters import RESULT_PARAMETERS

TOKENS: dict[str, set[tuple[str | None, str]]] = {
    "type": {(systems.ORGANIZATION_TYPE, issuers.TYPE_CODE)},
    "active": {(None, "true")},
    "verification-status": {(systems.NDH_VERIFICATION_STATUS_CS, "incomplete")},
}


ANSWERED = {
    "_id",
    "name",
    "address-state",
    "address-country",
    "_lastUpdated",
    "identifier",
    *TOKENS,
}
Test = Callable[[Issuer], bool]


def matching(applied: list[tuple[str, str]]) -> list[Issuer]:
    """The listed issuers that answer every applied parameter, by id; none when one is a
    parameter they cannot answer, or a `_filter` that names one. The values were checked
    when the practices' filters were built from them."""
    tests: list[Test] = []
    for key, raw in applied:
        name, _, modifier = key.partition(":")
        if name in {"_include", "_revinclude", *RESULT_PARAMETERS}:  # _summary is echoed
            continue
        if name == "_filter":
            node = search_filter.parse(key, raw)
            if not search_filter.names(node) <= ANSWERED:
                return []
            tests.append(functools.partial(_passes, node=node, key=key))
        elif name in ANSWERED:
            values = search_values.split_values(key, raw)
            tests.append(
                functools.partial(_matches, name=name, modifier=modifier, values=values, key=key)
            )
        else:
            return []
    candidates = [i for i in issuers.all_issuers() if all(test(i) for test in tests)]
    return issuers.listed(candidates)


def _matches(issuer: Issuer, *, name: str, modifier: str, values: list[str], key: str) -> bool:
    if name == "_id":
        return issuer.id in {search_values.token_value(value)[1] for value in values}
    if name in TOKENS:
        return any(search_values.token_in(value, TOKENS[name]) for value in values)
    if name == "_lastUpdated":
        return _last_updated(key, values)
    if name == "identifier":
        return False
    return _text(_field(issuer, name), modifier, values)


def _passes(issuer: Issuer, *, node: search_filter.Node, key: str) -> bool:
    def answers(name: str, modifier: str, value: str) -> bool:
        return _matches(issuer, name=name, modifier=modifier, values=[value], key=key)

    return search_filter.evaluate("Organization", node, answers)


def _field(issuer: Issuer, name: str) -> str:
    return {"name": issuer.name, "address-state": issuer.region}.get(name, issuer.country)


def _text(field: str, modifier: str, values: list[str]) -> bool:
    """FHIR string search as the practices' filters do it: starts with, ignoring case and
    accents; :exact compares as written, :contains anywhere."""
    if not field:
        return False
    if modifier == "exact":
        return field in values
    plain = search_values.plain_text(field).casefold()
    for value in values:
        wanted = search_values.plain_text(value).casefold()
        if (wanted in plain) if modifier == "contains" else plain.startswith(wanted):
            return True
    return False


def _last_updated(key: str, values: list[str]) -> bool:
    return search_values.instant_matches(key, values, issuers.ISSUERS_SINCE)


def issuers_of(practitioners: list) -> list[dict]:
    """The issuer Organizations of these practitioners' qualifications (an _include)."""
    found: dict[str, Issuer] = {}
    for practitioner in practitioners:
        credentials = [*practitioner.licenses_in_force, *practitioner.certifications_in_force]
        for credential in credentials:
            issuer = issuers.issuer_of(credential)
            if issuer is not None:
                found[issuer.id] = issuer
    return [issuers.issuer_resource(found[key]) for key in sorted(found)]


def holders(page: list[Issuer], *, limit: int) -> tuple[list[int], list[dict]]:
    """Primary keys of practitioners holding credentials of these issuers (an _revinclude),
    at most `limit` in all, and an OperationOutcome for each issuer cut short."""
    pks: list[int] = []
    outcomes = []
    for issuer in page:
        room = limit - len(pks)
        rows = selectors.practitioners().filter(issuers.holders_filter(issuer))
        rows = rows.exclude(pk__in=pks).order_by("slug")
        found = list(rows.values_list("pk", flat=True)[: room + 1])
        pks += found[:room]
        if len(found) > room:
            outcomes.append(_cut(issuer, limit))
    return pks, outcomes


def _cut(issuer: Issuer, limit: int) -> dict:
    search = f"Practitioner?qualification-issuer=Organization/{issuer.id}"
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "information",
                "code": "informational",
                "diagnostics": f"Not every practitioner holding a credential from "
                f"Organization/{issuer.id} is included (at most {limit} practitioners a "
                f"page); {search} lists them all.",
            }
        ],
    }
