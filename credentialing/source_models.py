"""What the automatic sources (NPPES, board rosters, the exclusion list) leave behind
besides credential events: each file they read, with its counts, and the differences they
found that staff must judge (never an automatic change)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SourceKind(models.TextChoices):
    NPPES = "nppes", "NPPES"
    ROSTER = "roster", "Board roster"
    EXCLUSIONS = "exclusions", "US federal exclusion list (LEIE)"


class ImportedFile(models.Model):
    """One run of an import over one file, with what it counted."""

    source = models.CharField(max_length=12, choices=SourceKind.choices)
    name = models.CharField(max_length=255, help_text="The file's name as given.")
    file_date = models.DateField(help_text="The date the file's data is as of.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256, when taken.")
    counts = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [
            models.Index(fields=["source", "-imported_at"], name="credentialing_file_recent")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} file {self.name} of {self.file_date}"


class DiscrepancyKind(models.TextChoices):
    NPPES_DIFFERS = "nppes", "NPPES differs from the claimed profile"


class Discrepancy(models.Model):
    """A difference an automatic source found and left for staff: what Meridian holds and
    what the source says. Open until staff resolve it; one open row per difference, so a
    re-run of the same file adds none."""

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="discrepancies"
    )
    kind = models.CharField(max_length=12, choices=DiscrepancyKind.choices)
    field = models.CharField(max_length=60, help_text="What differs, e.g. last name, license.")
    ours = models.CharField(max_length=300, blank=True)
    theirs = models.CharField(max_length=300, blank=True)
    found_in = models.ForeignKey(
        ImportedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "kind", "field", "theirs"],
                condition=Q(resolved_at__isnull=True),
                name="credentialing_discrepancy_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.field} “{self.ours}” / “{self.theirs}”"
