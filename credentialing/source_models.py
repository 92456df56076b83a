"""What the automatic sources (NPPES, board rosters, the exclusion list) leave behind
besides credential events: each file they read, with its counts, and the differences they
found that staff must judge (never an automatic change)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    NPPES = "nppes", "NPPES"
    ROSTER = "roster", _("Board roster")
    EXCLUSIONS = "exclusions", _("US federal exclusion list (LEIE)")


class ImportedFile(models.Model):
    """One run of an import over one file, with what it counted."""

    source = models.CharField(max_length=12, choices=SourceKind.choices)
    name = models.CharField(max_length=255, help_text="The file's name as given.")
    file_date = models.DateField(help_text="The date the file's data is as of.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256, when taken.")
    counts = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)
    failure = models.TextField(
        blank=True,
        db_default="",
        help_text="Why the file was refused (nothing was changed); empty when it was imported.",
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [
            models.Index(fields=["source", "-imported_at"], name="credentialing_file_recent"),
            # The drop folder imports each file once: it looks files up by checksum.
            models.Index(fields=["checksum"], name="credentialing_file_checksum"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} file {self.name} of {self.file_date}"


class DiscrepancyKind(models.TextChoices):
    NPPES_DIFFERS = "nppes", _("NPPES differs from the claimed profile")
    ROSTER_NAME = "roster-name", _("The roster names someone else for this license")
    NOT_IN_ROSTER = "not-in-roster", _("Not in the latest roster")


class Discrepancy(models.Model):
    """A difference an automatic source found and left for staff: what Meridian holds and
    what the source says. Open until staff resolve it; one open row per difference, so a
    re-run of the same file adds none."""

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="discrepancies"
    )
    kind = models.CharField(max_length=16, choices=DiscrepancyKind.choices)
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


class ExclusionStatus(models.TextChoices):
    EXCLUDED = "excluded", _("Excluded (exact NPI match)")
    POSSIBLE = "possible", _("Possible match (name and state), for staff")
    CONFIRMED = "confirmed", _("Confirmed by staff")
    DISMISSED = "dismissed", _("Dismissed by staff")
    REINSTATED = "reinstated", _("Reinstated")


# Matches that take the practitioner out of search (directory/sql/listing_rule.sql reads
# these, and a reinstated match for the days until its reinstatement).
DELISTING = [ExclusionStatus.EXCLUDED, ExclusionStatus.CONFIRMED]


class ExclusionMatch(models.Model):
    """A practitioner found on the OIG's List of Excluded Individuals/Entities: an exact NPI
    match delists from `delisted_from` until `reinstated_on` (a clause of the listing rule,
    evaluated at query time); a name-and-state match waits for staff to confirm or dismiss."""

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="exclusion_matches"
    )
    status = models.CharField(max_length=10, choices=ExclusionStatus.choices)
    entry_npi = models.CharField(max_length=10, blank=True)
    entry_name = models.CharField(max_length=200, help_text="As the list writes it.")
    entry_state = models.CharField(max_length=2, blank=True)
    exclusion_type = models.CharField(max_length=20, blank=True, help_text="e.g. 1128b4")
    excluded_on = models.DateField(help_text="The exclusion's date on the list.")
    delisted_from = models.DateField(
        null=True, blank=True, help_text="Out of search from this day (exact or confirmed)."
    )
    reinstated_on = models.DateField(null=True, blank=True)
    found_in = models.ForeignKey(
        ImportedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "entry_name", "excluded_on"],
                name="credentialing_exclusion_match_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.entry_name} ({self.get_status_display()})"

    @property
    def reason(self) -> str:
        """The recorded reason, as staff read it."""
        values = {"date": f"{self.excluded_on:%Y-%m-%d}", "type": self.exclusion_type}
        if self.exclusion_type:
            text = gettext("On the US federal exclusion list (LEIE) since %(date)s under %(type)s")
        else:
            text = gettext("On the US federal exclusion list (LEIE) since %(date)s")
        text %= values
        if self.found_in:
            text = gettext("%(reason)s, found in %(file)s") % {
                "reason": text,
                "file": self.found_in,
            }
        return text
