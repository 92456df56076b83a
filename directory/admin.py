from __future__ import annotations

import datetime

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from directory import jurisdictions, services
from directory.models import (
    Certification,
    License,
    Location,
    Practitioner,
    VerificationEvent,
)

# A website typed as "clinic.example" means https (Django 6's default, chosen early).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}

# Status, verification date and source change only through recorded decisions
# (directory.services), never by editing the field.
DECISION_FIELDS = ["status", "verified_on", "source"]


class JurisdictionFilter(admin.SimpleListFilter):
    title = "jurisdiction"
    parameter_name = "jurisdiction"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        pairs = model_admin.get_queryset(request).values_list("country", "region").distinct()
        return sorted(
            (jurisdictions.code(country, region), jurisdictions.label(country, region))
            for country, region in pairs
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        country, _, region = self.value().partition("-")
        return queryset.filter(country=country, region=region)


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


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    fields = [
        "clinic_name",
        "address",
        ("city", "region", "postal_code", "country"),
        ("latitude", "longitude", "geocode_precision"),
        ("phone", "website"),
    ]


class LicenseInline(admin.TabularInline):
    model = License
    extra = 0
    can_delete = False  # the verification log keeps every credential it mentions
    fields = ["country", "region", "license_type", "number", "issued_on", "expires_on", "status"]
    readonly_fields = ["status"]
    show_change_link = True


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    can_delete = False
    fields = ["body", "credential", "number", "issued_on", "expires_on", "status"]
    readonly_fields = ["status"]
    show_change_link = True


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "credentials",
        "published",
        "accepting_new_patients",
        "telehealth",
        "owner",
        "updated_at",
    ]
    list_filter = [
        "published",
        "accepting_new_patients",
        "telehealth",
        "licenses__status",
        ("locations__country", admin.AllValuesFieldListFilter),
        ("locations__region", admin.AllValuesFieldListFilter),
        ("conditions", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "first_name",
        "last_name",
        "slug",
        "licenses__number",
        "locations__city",
        "locations__postal_code",
        "owner__email",
    ]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    autocomplete_fields = ["owner"]
    filter_horizontal = ["conditions", "modalities"]
    inlines = [LocationInline, LicenseInline, CertificationInline]
    readonly_fields = ["created_at", "updated_at"]

    def save_formset(self, request, form, formset, change):
        if formset.model is Location:
            for location_form in formset.forms:
                if (
                    location_form.has_changed()
                    and location_form.cleaned_data.get("DELETE") is not True
                ):
                    services.location_place(location=location_form.instance)
        if formset.model in (License, Certification):
            for credential in formset.save(commit=False):
                save_credential(credential, by=request.user)
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    list_select_related = ["owner"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def save_model(self, request, obj, form, change):
        services.location_place(location=obj)
        super().save_model(request, obj, form, change)

    list_display = ["__str__", "practitioner", "city", "region", "country", "geocode_precision"]
    list_filter = [JurisdictionFilter, "country", "geocode_precision", "geocode_retry"]
    search_fields = ["clinic_name", "city", "postal_code", "practitioner__last_name"]
    list_select_related = ["practitioner"]
    autocomplete_fields = ["practitioner"]


class VerificationEventInline(admin.TabularInline):
    model = VerificationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "reason", "source", "checked_on"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def save_credential(credential: License | Certification, *, by) -> None:
    """Staff edits follow the practitioners' rule: a new credential enters review, and a
    key-field change sends a decided one back to pending, each with its event."""
    if credential.pk:
        services.credential_save(credential=credential, by=by)
    else:
        credential.save()
        services.credential_record_submission(credential=credential, by=by)


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

    def save_model(self, request, obj, form, change):
        save_credential(obj, by=request.user)

    @admin.display(description="Supporting document")
    def supporting_document(self, credential: License | Certification) -> str:
        if not credential.pk or not credential.document:
            return "None uploaded"
        noun = "license" if isinstance(credential, License) else "certification"
        kwargs = {"slug": credential.practitioner.slug, "public_id": credential.public_id}
        review = reverse(f"review:{noun}", kwargs={"public_id": credential.public_id})
        return format_html(
            '<a href="{}">Download</a> · <a href="{}">Open in the review queue</a>',
            reverse(f"accounts:{noun}-document", kwargs=kwargs),
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
    search_fields = ["number", "practitioner__first_name", "practitioner__last_name"]


@admin.register(Certification)
class CertificationAdmin(CredentialAdmin):
    list_display = ["number", "body", "credential", "practitioner", "status", "expires_on"]
    list_filter = [*CredentialAdmin.list_filter, "body", "credential"]
    search_fields = ["number", "practitioner__first_name", "practitioner__last_name"]


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
