"""Whether the directory's own Endpoint (`Endpoint/meridian-fhir`, fhir_api.practices), which
is not a row, answers an Endpoint search: it comes first when it does (fhir_api.search).

It answers only the parameters it can be told apart by: `_id`, `status`, `connection-type`
(its own system, or none), `_lastUpdated` (its fixed date), the two extensions only it
carries (`connection-type-version`, `access-control-mechanism`, with `:text`), and a
`_filter` over those alone, evaluated here with the operators search_filter serves, as the
issuers' is (fhir_api.issuer_search). Any other parameter, or a `_filter` naming one, leaves
it out. The values were checked when the clinics' filters were built from them."""

from __future__ import annotations

from fhir_api import search_filter, search_values
from fhir_api.practices import (
    DIRECTORY_ENDPOINT_EXTENSIONS,
    DIRECTORY_ENDPOINT_ID,
    DIRECTORY_ENDPOINT_SINCE,
)
from fhir_api.search_parameters import RESULT_PARAMETERS
from fhir_api.systems import CONNECTION_TYPE

ANSWERED = {"_id", "status", "connection-type", "_lastUpdated", *DIRECTORY_ENDPOINT_EXTENSIONS}


def matches(applied: list[tuple[str, str]]) -> bool:
    for key, raw in applied:
        if key.startswith(("_include", "_revinclude")) or key in RESULT_PARAMETERS:
            continue  # what the search returns, not what it matches (_summary=count)
        if key == "_filter":
            node = search_filter.parse(key, raw)
            if not search_filter.names(node) <= ANSWERED or not _passes(node):
                return False
        elif not _answers(key, search_values.split_values(key, raw)):
            return False
    return True


def _answers(key: str, values: list[str]) -> bool:
    """Whether it answers one parameter (`key` with its modifier) given these values."""
    name, _, modifier = key.partition(":")
    codes = {search_values.token_value(value)[1] for value in values}
    if modifier and not (modifier == "text" and name in DIRECTORY_ENDPOINT_EXTENSIONS):
        return False
    if name == "_id":
        return DIRECTORY_ENDPOINT_ID in codes
    if name == "status":
        return "active" in codes
    if name == "connection-type":
        return any(search_values.token_in(v, [(CONNECTION_TYPE, "hl7-fhir-rest")]) for v in values)
    if name == "_lastUpdated":
        return search_values.instant_matches(key, values, DIRECTORY_ENDPOINT_SINCE)
    if name in DIRECTORY_ENDPOINT_EXTENSIONS:
        _url, system, code, display = DIRECTORY_ENDPOINT_EXTENSIONS[name]
        if modifier == "text":
            shown = search_values.plain_text(display).casefold()
            return any(search_values.plain_text(value).casefold() in shown for value in values)
        return any(search_values.token_in(value, [(system, code)]) for value in values)
    return False


def _passes(node: search_filter.Node) -> bool:
    def answers(name: str, modifier: str, value: str) -> bool:
        return _answers(f"{name}:{modifier}" if modifier else name, [value])

    return search_filter.evaluate("Endpoint", node, answers)
