from __future__ import annotations

from django.contrib import admin, messages
from django.template.loader import render_to_string

from common.admin import URL_FIELDS_ASSUME_HTTPS, JurisdictionFilter
from credentialing.admin import CertificationInline, LicenseInline
from credentialing.services import credential_save
from directory import photos, services
from directory.models import Location, OpeningInterval, Payer, Practitioner


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
        "hours_note",
        "payers",
    ]
    filter_horizontal = ["payers"]


class OpeningIntervalInline(admin.TabularInline):
    """The clinic's week, in its local time (the zone follows the coordinates)."""

    model = OpeningInterval
    extra = 0


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
        "npi",
        "licenses__number",
        "locations__city",
        "locations__postal_code",
        "owner__email",
    ]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    autocomplete_fields = ["owner"]
    filter_horizontal = ["conditions", "techniques"]
    inlines = [LocationInline, LicenseInline, CertificationInline]
    # Why NPPES took the practitioner out of search, when it did (import_nppes sets them).
    readonly_fields = [
        "npi_deactivated_on",
        "npi_deactivation_note",
        "created_at",
        "updated_at",
        "photo_shown",
        "photo_removed_at",
        "photo_removed_by",
    ]
    actions = ["remove_photo"]

    @admin.display(description="photo")
    def photo_shown(self, practitioner: Practitioner) -> str:
        if not practitioner.photo:
            return "None (initials shown)"
        return render_to_string(
            "directory/includes/photo.html", {"practitioner": practitioner, "size": 96}
        )

    @admin.action(description="Remove the photo of the selected practitioners")
    def remove_photo(self, request, queryset):
        removed = 0
        for practitioner in queryset.exclude(photo=""):
            photos.practitioner_photo_remove(practitioner=practitioner, by=request.user)
            removed += 1
        self.message_user(request, f"Removed {removed} photo(s).", messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        if formset.model is Location:
            for location_form in formset.forms:
                if (
                    location_form.has_changed()
                    and location_form.cleaned_data.get("DELETE") is not True
                ):
                    services.location_place(location=location_form.instance)
        if formset.model in (LicenseInline.model, CertificationInline.model):
            for credential in formset.save(commit=False):
                # Staff edits follow the holders' rule: a new credential enters review,
                # and a key-field change sends a decided one back to pending.
                credential_save(credential=credential, by=request.user)
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    list_select_related = ["owner"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    inlines = [OpeningIntervalInline]
    readonly_fields = ["time_zone"]

    def save_model(self, request, obj, form, change):
        services.location_place(location=obj)
        super().save_model(request, obj, form, change)

    list_display = ["__str__", "practitioner", "city", "region", "country", "geocode_precision"]
    list_filter = [JurisdictionFilter, "country", "geocode_precision", "geocode_retry"]
    search_fields = ["clinic_name", "city", "postal_code", "practitioner__last_name"]
    list_select_related = ["practitioner"]
    autocomplete_fields = ["practitioner"]
    filter_horizontal = ["payers"]


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):
    """The insurance and payment vocabulary. Retire a payer by unticking `active` rather
    than deleting it: clinics keep their choice, and it comes back if it is restored."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "kind", "country", "active", "ordering", "has_coverage_note"]
    list_editable = ["active", "ordering"]
    list_filter = ["kind", "country", "active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name", "country"]}
    fields = [
        ("name", "slug"),
        ("kind", "country"),
        "coverage_note",
        ("source_title", "source_url"),
        ("active", "ordering"),
    ]

    @admin.display(boolean=True, description="coverage note")
    def has_coverage_note(self, payer: Payer) -> bool:
        return bool(payer.coverage_note)
