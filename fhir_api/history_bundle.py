"""The _history interactions (instance and type) as history Bundles, newest first, paged
with the same opaque keyset cursor as searches, and vread."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.http import QueryDict

from fhir_api import history, search_values
from fhir_api.cursor import cursor_decode, cursor_encode
from fhir_api.errors import FhirError, bad_parameter, gone, not_found
from fhir_api.meta import instant
from fhir_api.models import ResourceVersion
from fhir_api.read import read


def vread(resource_type: str, resource_id: str, version_id: str) -> dict:
    """The version asked for: the current resource when it is that version (even before
    the version job has recorded it), else the recorded one; 410 for a tombstone."""
    try:
        current = read(resource_type, resource_id)
    except FhirError as error:
        if error.status not in {404, 410}:
            raise
        current = None
    if current is not None and current["meta"]["versionId"] == version_id:
        return current
    found = history.version(resource_type, resource_id, version_id)
    if found is None:
        raise not_found(resource_type, f"{resource_id}/_history/{version_id}")
    if found.is_tombstone:
        raise gone(resource_type, resource_id)
    return found.resource


def history_bundle(
    resource_type: str, resource_id: str | None, query: QueryDict, *, base: str
) -> dict:
    count, since, after, seen, applied = _parse(query)
    rows = history.versions(
        resource_type,
        resource_id=resource_id,
        since=since,
        after=(datetime.datetime.fromisoformat(after[0]), int(after[1])) if after else None,
        limit=count + 1,
    )
    entries = []
    if resource_id is not None:
        current = _current(resource_type, resource_id)
        if current is None and not rows and after is None:
            raise not_found(resource_type, resource_id)
        newest = rows[0].version_id if rows else None
        if current is not None and after is None and current["meta"]["versionId"] != newest:
            entries.append(_entry(base, current, current["meta"]["lastUpdated"]))
    page = rows[:count]
    entries += [_version_entry(base, row) for row in page]
    path = f"{resource_type}/{resource_id}/_history" if resource_id else f"{resource_type}/_history"
    links = [{"relation": "self", "url": _url(base, path, applied, count, after, seen)}]
    found: dict = {"resourceType": "Bundle", "type": "history"}
    if len(rows) > count:
        last = page[-1]
        key = [last.recorded_at.isoformat(), last.pk]
        links.append(
            {"relation": "next", "url": _url(base, path, applied, count, key, seen + count)}
        )
    else:
        found["total"] = seen + len(entries)
    found["link"] = links
    if entries:
        found["entry"] = entries
    return found


def _parse(query: QueryDict):
    count, since, after, seen, applied = search_values.DEFAULT_COUNT, None, None, 0, []
    for name, values in query.lists():
        raw = values[-1]
        if name == "_count":
            count = search_values.positive_int(
                name, raw, maximum=search_values.MAX_COUNT, clamp=True
            )
        elif name == "_since":
            moment = search_values.date_value(name, raw)
            if raw[:2].isalpha():
                raise bad_parameter(name, "give an instant, without a prefix.")
            since = moment.start
            applied.append((name, raw))
        elif name == "_cursor":
            after, seen = cursor_decode(name, raw, scope="history")
    return count, since, after, seen, applied


def _url(base: str, path: str, applied: list, count: int, key: list | None, seen: int) -> str:
    query = [*applied, ("_count", str(count))]
    if key is not None:
        query.append(("_cursor", cursor_encode(key=key, seen=seen, scope="history")))
    return f"{base}{path}?{urlencode(query, safe='|:/,')}"


def _current(resource_type: str, resource_id: str) -> dict | None:
    try:
        return read(resource_type, resource_id)
    except FhirError:
        return None


def _version_entry(base: str, row: ResourceVersion) -> dict:
    if row.is_tombstone:
        return {
            "fullUrl": f"{base}{row.resource_type}/{row.resource_id}",
            "request": {"method": "DELETE", "url": f"{row.resource_type}/{row.resource_id}"},
            "response": {"status": "410 Gone", "lastModified": instant(row.recorded_at)},
        }
    return _entry(base, row.resource, instant(row.recorded_at))


def _entry(base: str, resource: dict, modified: str) -> dict:
    kind, id = resource["resourceType"], resource["id"]
    return {
        "fullUrl": f"{base}{kind}/{id}",
        "resource": resource,
        "request": {"method": "PUT", "url": f"{kind}/{id}"},
        "response": {
            "status": "200 OK",
            "etag": f'W/"{resource["meta"]["versionId"]}"',
            "lastModified": modified,
        },
    }
