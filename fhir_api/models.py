from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Export(models.Model):
    """A bulk export (FHIR Bulk Data, system level) asked for over HTTP and written by the
    export job (`manage.py fhir_export`), never inside the request. Its UUID is the status
    URL's, so nobody can guess another client's export."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    types = ArrayField(models.CharField(max_length=40))
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    transaction_time = models.DateTimeField(null=True, blank=True)
    progress = models.CharField(max_length=200, blank=True)
    # One entry per file written: {"type": ..., "count": ...}.
    files = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="queued"),
                name="fhir_export_queued",
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.id} ({self.status})"


class PublishedResource(models.Model):
    """The version store's index: one row per resource the FHIR API has published, with
    the version it publishes now, the run of the version job that last saw it listed, and
    when it left the listing (a tombstone) if it has."""

    resource_type = models.CharField(max_length=40)
    resource_id = models.CharField(max_length=64)
    version_id = models.CharField(max_length=16)
    seen_run = models.BigIntegerField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "resource_id"], name="fhir_published_resource_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["resource_type", "seen_run"],
                condition=models.Q(left_at__isnull=True),
                name="fhir_published_listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.resource_id}"


class ResourceVersion(models.Model):
    """One version of a published resource as clients saw it, recorded by the version job
    (`manage.py fhir_versions`) whenever its content digest (meta.versionId) changed; a
    version without a resource is a tombstone: the resource left the listing then."""

    resource_type = models.CharField(max_length=40)
    resource_id = models.CharField(max_length=64)
    version_id = models.CharField(max_length=16)
    recorded_at = models.DateTimeField()
    resource = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["resource_type", "resource_id", "-recorded_at", "-id"],
                name="fhir_version_instance",
            ),
            models.Index(fields=["resource_type", "-recorded_at", "-id"], name="fhir_version_type"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.resource_id}/_history/{self.version_id}"

    @property
    def is_tombstone(self) -> bool:
        return self.resource is None
