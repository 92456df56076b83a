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
