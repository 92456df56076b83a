"""Credentials, the verification log and claims in the admin. Staff read and correct
details here; statuses change only through the review queue's recorded decisions."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.admin import JurisdictionFilter
from credentialing.models import (
    Certification,
    Discrepancy,
    ExclusionMatch,
    ImportedFile,
    License,
    ProfileClaim,
    VerificationEvent,
)
from credentialing.services import credential_save

# Status, verification date and source change only through the rulebook
# (credentialing.rules), never by editing the field.
DECISION_FIELDS = ["status", "verified_on", "source"]


class ExpiryFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("expired", "Expired"), ("30", "Expires within 30 days"), ("valid", "Valid")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        match self.value():
            case "expired":
                return queryset.filter(expires_on__lt=today)
            case "30":
                soon = today + datetime.timedelta(days=30)
                return queryset.filter(expires_on__gte=today, expires_on__lte=soon)
            case "valid":
                return queryset.filter(expires_on__gte=today)
        return queryset


class CredentialInline(admin.TabularInline):
    """A practitioner's credentials on the practitioner's admin page."""

    extra = 0
    can_delete = False  # the verification log keeps every credential it mentions
    readonly_fields = ["status"]
    show_change_link = True


class LicenseInline(CredentialInline):
    model = License
    fields = ["country", "region", "license_type", "number", "issued_on", "expires_on", "status"]


class CertificationInline(CredentialInline):
    model = Certification
    fields = ["body", "credential", "number", "issued_on", "expires_on", "status"]


class VerificationEventInline(admin.TabularInline):
    model = VerificationEvent
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "actor",
        "system_actor",
        "from_status",
        "to_status",
        "reason",
        "source",
        "checked_on",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CredentialAdmin(admin.ModelAdmin):
    list_filter = ["status", ExpiryFilter]
    # The document is private: staff open it through the permission-checked view (and
    # decide in the review queue); it is never uploaded or linked by file name here.
    exclude = ["document"]
    readonly_fields = [
        *DECISION_FIELDS,
        "supporting_document",
        "public_id",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["practitioner"]
    autocomplete_fields = ["practitioner"]
    inlines = [VerificationEventInline]
    date_hierarchy = "expires_on"
    search_fields = ["number", "practitioner__first_name", "practitioner__last_name"]

    def save_model(self, request, obj, form, change):
        credential_save(credential=obj, by=request.user)

    @admin.display(description="Supporting document")
    def supporting_document(self, credential: License | Certification) -> str:
        if not credential.pk or not credential.document:
            return "None uploaded"
        kwargs = {"slug": credential.practitioner.slug, "public_id": credential.public_id}
        review = reverse(credential.review_url_name, kwargs={"public_id": credential.public_id})
        return format_html(
            '<a href="{}">Download</a> · <a href="{}">Open in the review queue</a>',
            reverse(credential.document_url_name, kwargs=kwargs),
            review,
        )


@admin.register(License)
class LicenseAdmin(CredentialAdmin):
    list_display = [
        "number",
        "license_type",
        "jurisdiction",
        "practitioner",
        "status",
        "expires_on",
        "verified_on",
    ]
    list_filter = [*CredentialAdmin.list_filter, JurisdictionFilter, "license_type"]


@admin.register(Certification)
class CertificationAdmin(CredentialAdmin):
    list_display = ["number", "body", "credential", "practitioner", "status", "expires_on"]
    list_filter = [*CredentialAdmin.list_filter, "body", "credential"]


@admin.register(VerificationEvent)
class VerificationEventAdmin(admin.ModelAdmin):
    """The log is append-only: staff read it here, decisions are made elsewhere."""

    list_display = ["created_at", "credential", "from_status", "to_status", "actor", "source"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["license__number", "certification__number", "reason", "source"]
    list_select_related = ["license", "certification", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProfileClaim)
class ProfileClaimAdmin(admin.ModelAdmin):
    """Claims are decided in the review queue (/review/), which records and emails."""

    list_display = ["practitioner", "claimant", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["claimant__email", "practitioner__last_name", "license__number"]
    list_select_related = ["practitioner", "claimant", "decided_by"]
    readonly_fields = [field.name for field in ProfileClaim._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ImportedFile)
class ImportedFileAdmin(admin.ModelAdmin):
    """What each automatic import read and did; written by the imports only."""

    list_display = ["name", "source", "file_date", "imported_at", "counts"]
    list_filter = ["source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    list_display = ["practitioner", "kind", "field", "ours", "theirs", "created_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["practitioner", "kind", "field", "ours", "theirs", "found_in", "created_at"]
    actions = ["resolve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Mark as resolved")
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )


@admin.register(ExclusionMatch)
class ExclusionMatchAdmin(admin.ModelAdmin):
    """Matches on the exclusion list. Staff confirm a possible match (out of search from
    today) or dismiss it; exact matches and reinstatements come from screen_exclusions."""

    list_display = ["practitioner", "status", "entry_name", "entry_state", "excluded_on"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in ExclusionMatch._meta.fields if field.name != "id"]
    actions = ["confirm", "dismiss"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Confirm: the same person (out of search from today)")
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.filter(status="possible").update(
            status="confirmed", delisted_from=timezone.localdate(), decided_by=request.user
        )

    @admin.action(description="Dismiss: not the same person")
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.filter(status="possible").update(status="dismissed", decided_by=request.user)
