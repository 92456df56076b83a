"""What every resource carries: `meta.versionId` and `meta.lastUpdated`, and the ETag."""

from __future__ import annotations

import datetime
import hashlib
import json


def instant(moment: datetime.datetime) -> str:
    """A FHIR instant: UTC, to the millisecond."""
    utc = moment.astimezone(datetime.UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def with_meta(resource: dict, *, last_updated: datetime.datetime, profile: str = "") -> dict:
    """The resource with its meta. The version id is a digest of the content, so it changes
    exactly when what a client sees changes (an expired qualification included), without a
    history table."""
    content = json.dumps(resource, sort_keys=True, separators=(",", ":"), default=str)
    meta: dict = {
        "versionId": hashlib.sha256(content.encode()).hexdigest()[:16],
        "lastUpdated": instant(last_updated),
    }
    if profile:
        meta["profile"] = [profile]
    return {"resourceType": resource["resourceType"], "id": resource["id"], "meta": meta} | {
        key: value for key, value in resource.items() if key not in {"resourceType", "id"}
    }


def etag(resource: dict) -> str:
    return f'W/"{resource["meta"]["versionId"]}"'
