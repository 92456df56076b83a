"""A credential's life: licenses and certifications, the append-only log of every change
of their status, and claims on unclaimed profiles. Status changes go through
credentialing.rules only; the database refuses any other (credentialing/sql/).

The tables keep the names they had when these models lived in `directory` and `accounts`."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import jurisdictions
from credentialing.documents import document_path, private_storage, validate_document

# Django registers an app's models from its models module: this import registers the records
# the automatic sources leave behind (files read, discrepancies, exclusion matches), which
# live in source_models.py and are imported from there.
from credentialing.source_models import Discrepancy, ExclusionMatch, ImportedFile  # noqa: F401
from credentialing.sources import Source, sources_for_certification, sources_for_license


class CredentialStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class CredentialQuerySet(models.QuerySet[Any]):
    def in_force(self, on: datetime.date | None = None) -> CredentialQuerySet:
        """Verified, already issued and not expired on `on` (default today)."""
        day = on or timezone.localdate()
        return self.filter(status=CredentialStatus.VERIFIED, expires_on__gte=day).filter(
            Q(issued_on__isnull=True) | Q(issued_on__lte=day)
        )

    # Re-verification: when a primary source last confirmed a
    # verified credential is `verified_on`, set by staff's check or a board roster. A
    # verified credential without that date has no confirmation to count on, so is overdue.
    def confirmed_within_cycle(self, on: datetime.date | None = None) -> CredentialQuerySet:
        """Confirmed by a primary source within REVERIFY_AFTER_DAYS of `on` (default today)."""
        return self.filter(verified_on__gte=reverify_cutoff(on, settings.REVERIFY_AFTER_DAYS))

    def overdue(self, on: datetime.date | None = None) -> CredentialQuerySet:
        """Verified, not expired on `on`, and last confirmed more than REVERIFY_AFTER_DAYS
        before it."""
        return self._confirmed_before(on, reverify_cutoff(on, settings.REVERIFY_AFTER_DAYS))

    def due_for_reverification(self, on: datetime.date | None = None) -> CredentialQuerySet:
        """Verified, not expired on `on`, and overdue or within REVERIFY_WARNING_DAYS of it.
        (An expired credential needs a new expiry, not a re-verification.)"""
        days = settings.REVERIFY_AFTER_DAYS - settings.REVERIFY_WARNING_DAYS
        return self._confirmed_before(on, reverify_cutoff(on, days))

    def _confirmed_before(self, on: datetime.date | None, day: datetime.date) -> CredentialQuerySet:
        return self.filter(
            Q(verified_on__isnull=True) | Q(verified_on__lt=day),
            status=CredentialStatus.VERIFIED,
            expires_on__gte=on or timezone.localdate(),
        )


def reverify_cutoff(on: datetime.date | None, days: int) -> datetime.date:
    """The oldest confirmation still within `days` of `on` (default today)."""
    return (on or timezone.localdate()) - datetime.timedelta(days=days)


class Credential(models.Model):
    """What licenses and certifications share: a number, dates, a review status, the
    primary source staff checked, and a private supporting document. What differs between
    the two kinds lives on each class: its names, its primary sources, its field in the log."""

    # The kind's name in URLs and templates ("license"), its plural ("licenses") and the
    # VerificationEvent field that points at it.
    kind: ClassVar[str]
    kind_plural: ClassVar[str]
    # Its pages' URL names, written out so that a search for one finds every use: the
    # review queue's page, and the holder's edit page and document download.
    review_url_name: ClassVar[str]
    if TYPE_CHECKING:
        # Each kind's events, by the log's foreign key to that kind (related_name="events").
        events: models.Manager[VerificationEvent]
    edit_url_name: ClassVar[str]
    document_url_name: ClassVar[str]
    # Changing any of these sends a decided credential back to review; how the holder
    # reads them; and who checks the credential.
    KEY_FIELDS: ClassVar[list[str]]
    key_details: ClassVar[str]
    checked_with: ClassVar[str]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=60)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.PENDING
    )
    verified_on = models.DateField(
        null=True, blank=True, help_text="When staff last checked it against the source."
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="The primary source checked: a board look-up URL or a register reference.",
    )
    document = models.FileField(
        upload_to=document_path,
        storage=private_storage,
        blank=True,
        validators=[validate_document],
        help_text="A scan of the license or certificate (PDF, PNG or JPEG); private.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": _("The expiry date must be after the issue date.")}
            )

    def is_expired(self, on: datetime.date | None = None) -> bool:
        # An unknown expiry (a license NPPES reports) is not known to be expired; it cannot
        # be verified until a roster or staff give it (see License).
        return self.expires_on is not None and self.expires_on < (on or timezone.localdate())

    def reverify_by(self) -> datetime.date | None:
        """The last day a primary source's confirmation still counts (REVERIFY_AFTER_DAYS
        after it), or its expiry if that comes first; None while neither is known."""
        days = datetime.timedelta(days=settings.REVERIFY_AFTER_DAYS)
        dates = [self.expires_on, self.verified_on and self.verified_on + days]
        return min((day for day in dates if day is not None), default=None)

    @property
    def decision_reason(self) -> str:
        """Why a rejected or revoked credential was decided so: its latest event's reason
        (read from prefetched events when the caller prefetched them in order)."""
        if self.status not in {CredentialStatus.REJECTED, CredentialStatus.REVOKED}:
            return ""
        events = list(self.events.all())
        return events[-1].reason if events else ""

    @property
    def label(self) -> str:
        """How the credential is named to its holder, e.g. "L.Ac. license AC12345 (US-CA)"."""
        raise NotImplementedError

    @property
    def title(self) -> str:
        """Its kind in a few words, e.g. "L.Ac., California, United States"."""
        raise NotImplementedError

    def primary_sources(self) -> list[Source]:
        """Where staff check this credential."""
        raise NotImplementedError

    def event_link(self) -> dict[str, Credential]:
        """The VerificationEvent field naming this credential, as keyword arguments."""
        return {self.kind: self}


def _expires_after_issue(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(issued_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
        name=name,
    )


class License(Credential):
    kind = "license"
    kind_plural = "licenses"
    review_url_name = "review:license"
    edit_url_name = "accounts:license-edit"
    document_url_name = "accounts:license-document"
    KEY_FIELDS = ["country", "region", "license_type", "number", "issued_on", "expires_on"]
    key_details = "jurisdiction, type"
    checked_with = "licensing board or register"

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="licenses"
    )
    country = models.CharField(max_length=2, choices=jurisdictions.COUNTRY_CHOICES)
    region = models.CharField(
        max_length=3,
        blank=True,
        help_text="State or province code; empty for a national register covering the country.",
    )
    license_type = models.CharField(max_length=80, help_text="e.g. L.Ac., R.Ac.")
    # Unknown for a license only NPPES reports (it gives no dates) until a board roster or
    # staff supply it; a license is never verified without one. (Nullable where the shared
    # base's is not, hence the override the type checker is told about.)
    expires_on = models.DateField(  # type: ignore[assignment]
        null=True, blank=True, help_text="Empty only while not known (a license NPPES reports)."
    )
    board_action = models.CharField(
        max_length=300,
        blank=True,
        default="",
        db_default="",  # also for rows inserted in SQL (bench_search)
        help_text="A public action or probation the board's roster lists; shown on the profile.",
    )
    board_url = models.URLField(
        blank=True, default="", db_default="", help_text="Where the board publishes it."
    )

    class Meta:
        db_table = "directory_license"
        ordering = ["country", "region", "license_type"]
        constraints = [
            _expires_after_issue("directory_license_expires_after_issue"),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(expires_on__isnull=False),
                name="credentialing_license_verified_has_expiry",
            ),
            models.UniqueConstraint(
                fields=["country", "region", "license_type", "number"],
                name="directory_license_number_unique_per_jurisdiction",
                violation_error_message=_(
                    "This license number is already listed for this jurisdiction and type. "
                    "If it is yours, claim the profile that holds it instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.license_type} {self.number} ({self.jurisdiction})"

    def clean(self) -> None:
        super().clean()
        jurisdictions.validate(self.country, self.region, region_required=False)

    @property
    def jurisdiction(self) -> str:
        return jurisdictions.code(self.country, self.region)

    @property
    def jurisdiction_name(self) -> str:
        return jurisdictions.label(self.country, self.region)

    @property
    def label(self) -> str:
        return gettext("%(type)s license %(number)s (%(jurisdiction)s)") % {
            "type": self.license_type,
            "number": self.number,
            "jurisdiction": self.jurisdiction,
        }

    @property
    def title(self) -> str:
        return f"{self.license_type}, {self.jurisdiction_name}"

    def primary_sources(self) -> list[Source]:
        return sources_for_license(self.country, self.region)


class Certification(Credential):
    kind = "certification"
    kind_plural = "certifications"
    review_url_name = "review:certification"
    edit_url_name = "accounts:certification-edit"
    document_url_name = "accounts:certification-document"
    KEY_FIELDS = ["body", "credential", "number", "issued_on", "expires_on"]
    key_details = "body, credential"
    checked_with = "certifying body"

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="certifications"
    )
    body = models.CharField(max_length=80, help_text="Certifying body, e.g. NCCAOM")
    credential = models.CharField(max_length=80, help_text="e.g. Dipl. Ac., Dipl. O.M.")

    class Meta:
        db_table = "directory_certification"
        ordering = ["body", "credential"]
        constraints = [
            _expires_after_issue("directory_certification_expires_after_issue"),
            models.UniqueConstraint(
                fields=["body", "credential", "number"],
                name="directory_certification_number_unique_per_body",
                violation_error_message=(
                    "This certification number is already listed for this body and credential."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.credential} {self.number}"

    @property
    def label(self) -> str:
        return gettext("%(body)s %(credential)s certification %(number)s") % {
            "body": self.body,
            "credential": self.credential,
            "number": self.number,
        }

    @property
    def title(self) -> str:
        return f"{self.body} {self.credential}"

    def primary_sources(self) -> list[Source]:
        return sources_for_certification(self.body)


# Each kind by its plural, as URLs name them ("licenses", "certifications").
CREDENTIAL_KINDS: dict[str, type[License] | type[Certification]] = {
    model.kind_plural: model for model in (License, Certification)
}


class VerificationEvent(models.Model):
    """One change of a credential's status: who (a staff member, the account that edited
    it, or a named system process), when, from, to, why and against what source.
    Append-only: database triggers refuse UPDATE and DELETE."""

    license = models.ForeignKey(
        License, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The staff member who decided, or the account whose edit sent it to "
        "review; empty for the system.",
    )
    system_actor = models.CharField(
        max_length=200,
        blank=True,
        help_text="For changes by the system: which process, e.g. “demo data”.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=CredentialStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CredentialStatus.choices)
    reason = models.TextField(blank=True, help_text="Shown to the practitioner.")
    source = models.CharField(max_length=300, blank=True)
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "directory_verificationevent"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(license__isnull=False, certification__isnull=True)
                | Q(license__isnull=True, certification__isnull=False),
                name="directory_event_exactly_one_credential",
            ),
            models.CheckConstraint(
                condition=Q(actor__isnull=True) | Q(system_actor=""),
                name="credentialing_event_one_kind_of_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def credential(self) -> License | Certification:
        credential = self.license or self.certification
        # The database holds exactly one of the two (directory_event_exactly_one_credential).
        assert credential is not None
        return credential


class ProfileClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProfileClaim(models.Model):
    """An account asking to control an unclaimed profile, having given the number and
    jurisdiction of one of its licenses. Staff approve it before ownership passes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="claims"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_claims"
    )
    license = models.ForeignKey(
        License,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The license whose number and jurisdiction the claimant gave.",
    )
    status = models.CharField(
        max_length=10, choices=ProfileClaimStatus.choices, default=ProfileClaimStatus.PENDING
    )
    reason = models.TextField(blank=True, help_text="Why it was rejected; shown to the claimant.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "accounts_profileclaim"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claimant"],
                condition=Q(status="pending"),
                name="accounts_claim_one_pending_per_account",
                violation_error_message=_("You already have a claim waiting for review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} claims {self.practitioner}"
