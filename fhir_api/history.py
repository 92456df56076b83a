"""Versions of published resources: recorded by the version job, read by vread and the
_history interactions, and the tombstones that the bulk export lists as `deleted`.

The version id is the digest of what a client sees (fhir.meta), so a version is due
whenever that digest changes, whatever row changed it (an expiring license included).
Reads are served by replicas, so nothing is written when a resource is served: the job
(`manage.py fhir_versions`, run by run_jobs and before every bulk export) walks every
published resource, records a version for each new digest, and a tombstone for each
resource it recorded before that is no longer listed. History is therefore as complete as
the job's runs: two changes between runs are one version."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from fhir_api.models import PublishedResource, ResourceVersion
from fhir_api.resources import PUBLISHED, resource_batches

LOCK = 0x4D4552464849  # the version job's advisory lock key


@dataclass
class VersionReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    left: int = 0


def versions_record(*, types: list[str] | None = None) -> VersionReport:
    """Record a version of every published resource whose digest is new, and a tombstone
    for every recorded one no longer published. Safe to repeat; one run at a time."""
    report = VersionReport()
    with connection.cursor() as cursor:
        # One run at a time (the job and an export's): a second waits rather than
        # tombstoning what the first has just seen.
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            latest = PublishedResource.objects.aggregate(run=Max("seen_run"))["run"] or 0
            run = latest + 1
            for resource_type in types or PUBLISHED:
                for batch in resource_batches(resource_type):
                    _record_batch(resource_type, batch, run=run, report=report)
                report.left += _tombstone_unseen(resource_type, run=run)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    return report


def _record_batch(resource_type: str, batch: list[dict], *, run: int, report: VersionReport):
    now = timezone.now()
    ids = [resource["id"] for resource in batch]
    known = {
        row.resource_id: row
        for row in PublishedResource.objects.filter(
            resource_type=resource_type, resource_id__in=ids
        )
    }
    versions, rows, unchanged = [], [], []
    for resource in batch:
        version_id = resource["meta"]["versionId"]
        row = known.get(resource["id"])
        if row is not None and row.version_id == version_id and row.left_at is None:
            unchanged.append(row.pk)
            continue
        if row is None:
            report.new += 1
        else:
            report.changed += 1
        versions.append(
            ResourceVersion(
                resource_type=resource_type,
                resource_id=resource["id"],
                version_id=version_id,
                recorded_at=now,
                resource=resource,
            )
        )
        rows.append(
            PublishedResource(
                resource_type=resource_type,
                resource_id=resource["id"],
                version_id=version_id,
                seen_run=run,
                left_at=None,
            )
        )
    report.unchanged += len(unchanged)
    with transaction.atomic():
        ResourceVersion.objects.bulk_create(versions)
        PublishedResource.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["resource_type", "resource_id"],
            update_fields=["version_id", "seen_run", "left_at"],
        )
        PublishedResource.objects.filter(pk__in=unchanged).update(seen_run=run)


def _tombstone_unseen(resource_type: str, *, run: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        gone = list(
            PublishedResource.objects.select_for_update().filter(
                resource_type=resource_type, seen_run__lt=run, left_at__isnull=True
            )
        )
        ResourceVersion.objects.bulk_create(
            ResourceVersion(
                resource_type=resource_type,
                resource_id=row.resource_id,
                version_id=tombstone_version(row.version_id),
                recorded_at=now,
                resource=None,
            )
            for row in gone
        )
        PublishedResource.objects.filter(pk__in=[row.pk for row in gone]).update(left_at=now)
    return len(gone)


def tombstone_version(last_version: str) -> str:
    return hashlib.sha256(f"left:{last_version}".encode()).hexdigest()[:16]


def has_left(resource_type: str, resource_id: str) -> bool:
    """Whether this resource was published and has left the listing (410 Gone)."""
    return PublishedResource.objects.filter(
        resource_type=resource_type, resource_id=resource_id, left_at__isnull=False
    ).exists()


def left_since(resource_type: str, since: datetime.datetime) -> list[str]:
    """Ids of the type's resources that left the listing at or after `since`."""
    return list(
        PublishedResource.objects.filter(resource_type=resource_type, left_at__gte=since)
        .order_by("resource_id")
        .values_list("resource_id", flat=True)
    )


def version(resource_type: str, resource_id: str, version_id: str) -> ResourceVersion | None:
    return (
        ResourceVersion.objects.filter(
            resource_type=resource_type, resource_id=resource_id, version_id=version_id
        )
        .order_by("-recorded_at", "-id")
        .first()
    )


def versions(
    resource_type: str,
    *,
    resource_id: str | None,
    since: datetime.datetime | None,
    after: tuple[datetime.datetime, int] | None,
    limit: int,
) -> list[ResourceVersion]:
    """The versions of the type (or of one resource) newest first; `after` (recorded_at,
    id) continues after that row."""
    rows = ResourceVersion.objects.filter(resource_type=resource_type)
    if resource_id is not None:
        rows = rows.filter(resource_id=resource_id)
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    if after is not None:
        moment, pk = after
        rows = rows.filter(Q(recorded_at__lt=moment) | Q(recorded_at=moment, id__lt=pk))
    return list(rows.order_by("-recorded_at", "-id")[:limit])
