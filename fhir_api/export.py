"""Bulk export (FHIR Bulk Data Access 2.0, system level): exports are queued by the
kick-off request, written by the export job (`manage.py fhir_export`, run by the
scheduler) as one NDJSON file per resource type, served from our own storage and deleted
FHIR_EXPORT_KEEP_HOURS after they finish."""

from __future__ import annotations

import datetime
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fhir_api.history import left_since, versions_record
from fhir_api.meta import instant
from fhir_api.models import Export, ExportStatus
from fhir_api.resources import PUBLISHED, resource_batches

EXPORTABLE = PUBLISHED
DELETED = "deleted"  # the file of the resources that left the listing


def export_start(*, types: list[str], since: datetime.datetime | None, request_url: str) -> Export:
    return Export.objects.create(types=types, since=since, request_url=request_url)


def export_cancel(*, export: Export) -> None:
    """Stop an export (the job checks between batches) and delete what it wrote."""
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.CANCELLED, finished_at=timezone.now()
    )
    shutil.rmtree(export_directory(export), ignore_errors=True)


def export_directory(export: Export) -> Path:
    return Path(settings.FHIR_EXPORT_ROOT) / str(export.pk)


def export_file(export: Export, resource_type: str) -> Path:
    return export_directory(export) / f"{resource_type}.ndjson"


def export_expires(export: Export) -> datetime.datetime | None:
    if export.finished_at is None:
        return None
    return export.finished_at + datetime.timedelta(hours=settings.FHIR_EXPORT_KEEP_HOURS)


def manifest(export: Export, *, base: str) -> dict:
    return {
        "transactionTime": instant(export.transaction_time or export.created_at),
        "request": export.request_url,
        "requiresAccessToken": False,
        "output": [
            _file_entry(export, file, base) for file in export.files if "deleted" not in file
        ],
        "deleted": [_file_entry(export, file, base) for file in export.files if "deleted" in file],
        "error": [],
    }


def _file_entry(export: Export, file: dict, base: str) -> dict:
    name = file.get("deleted", file["type"])
    return {
        "type": file["type"],
        "url": f"{base}$export-file/{export.pk}/{name}.ndjson",
        "count": file["count"],
    }


@dataclass
class RunReport:
    finished: int = 0
    failed: int = 0
    cancelled: int = 0
    deleted: int = 0


def exports_run() -> RunReport:
    """Delete expired exports, then write every queued one (oldest first)."""
    report = RunReport(deleted=exports_delete_expired())
    while (export := _claim_next()) is not None:
        try:
            finished = _write(export)
        except Exception as error:  # recorded for the client, then raised for the job's log
            Export.objects.filter(pk=export.pk).update(
                status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
            )
            shutil.rmtree(export_directory(export), ignore_errors=True)
            report.failed += 1
            raise
        if finished:
            report.finished += 1
        else:
            report.cancelled += 1
    return report


def exports_delete_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(hours=settings.FHIR_EXPORT_KEEP_HOURS)
    expired = Export.objects.filter(
        Q(finished_at__lt=cutoff) | Q(status=ExportStatus.CANCELLED)
    ).exclude(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
    count = 0
    for export in expired:
        shutil.rmtree(export_directory(export), ignore_errors=True)
        export.delete()
        count += 1
    return count


def _claim_next() -> Export | None:
    with transaction.atomic():
        export = (
            Export.objects.select_for_update(skip_locked=True)
            .filter(status=ExportStatus.QUEUED)
            .order_by("created_at")
            .first()
        )
        if export is None:
            return None
        export.status = ExportStatus.RUNNING
        export.transaction_time = timezone.now()
        export.save(update_fields=["status", "transaction_time"])
        return export


def _write(export: Export) -> bool:
    """Write the export's files; False if it was cancelled meanwhile."""
    directory = export_directory(export)
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for number, resource_type in enumerate(export.types, start=1):
        count = 0
        with export_file(export, resource_type).open("w", encoding="utf-8") as output:
            for batch in resource_batches(resource_type, since=export.since):
                if _cancelled(export):
                    return False
                for resource in batch:
                    output.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")))
                    output.write("\n")
                count += len(batch)
                _progress(export, f"{resource_type} ({number} of {len(export.types)}): {count}")
        files.append({"type": resource_type, "count": count})
    if export.since is not None:
        deleted = _write_deleted(export)
        if deleted:
            files.append({"type": "Bundle", "count": deleted, "deleted": DELETED})
    updated = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.COMPLETE, files=files, progress="", finished_at=timezone.now()
    )
    return bool(updated)


def _write_deleted(export: Export) -> int:
    """Bulk Data's `deleted`: one transaction Bundle per resource that left the listing
    since `_since`, with a DELETE request for it. The version job runs first, so that
    what left since its last run is known."""
    versions_record(types=export.types)
    count = 0
    with export_file(export, DELETED).open("w", encoding="utf-8") as output:
        for resource_type in export.types:
            for resource_id in left_since(resource_type, export.since):
                bundle = {
                    "resourceType": "Bundle",
                    "type": "transaction",
                    "entry": [
                        {"request": {"method": "DELETE", "url": f"{resource_type}/{resource_id}"}}
                    ],
                }
                output.write(json.dumps(bundle, separators=(",", ":")) + "\n")
                count += 1
    return count


def _cancelled(export: Export) -> bool:
    return not Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).exists()


def _progress(export: Export, text: str) -> None:
    Export.objects.filter(pk=export.pk).update(progress=text[:200])
