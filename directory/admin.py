from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string

from common.admin import URL_FIELDS_ASSUME_HTTPS, JurisdictionFilter
from credentialing.admin import CertificationInline, LicenseInline
from credentialing.services import credential_save
from directory import hours, photos, services
from directory.models import Location, NppesOrganisation, OpeningInterval, Payer, Practitioner


class LocationAdminForm(forms.ModelForm):
    """Refuses on the page what directory.services.location_save would refuse on saving:
    payers from another country than the clinic's."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("payers") is not None and cleaned.get("country"):
            Location(country=cleaned["country"]).validate_payers(cleaned["payers"])
        return cleaned


class OpeningIntervalFormSet(BaseInlineFormSet):
    """The clinic's week as the inline rows give it; refuses overlapping intervals on the
    page, as directory.services.location_save would on saving."""

    def intervals(self) -> list[hours.Interval]:
        return [
            hours.Interval(data["weekday"], data["opens"], data["closes"])
            for data in (form.cleaned_data for form in self.forms if form.is_valid())
            if data and not data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        hours.check(self.intervals())


class LocationInline(admin.StackedInline):
    model = Location
    form = LocationAdminForm
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
    formset = OpeningIntervalFormSet
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
            # Clinics are saved by their service, so its rules hold here as on the dashboard.
            formset.save(commit=False)  # lists the changes for the admin's history only
            for location in formset.deleted_objects:
                services.location_delete(location=location)
            for location_form in formset.forms:
                if location_form.has_changed() and location_form not in formset.deleted_forms:
                    services.location_save(
                        location=location_form.instance,
                        payers=location_form.cleaned_data.get("payers"),
                        by_staff=True,
                    )
            return
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
    form = LocationAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    inlines = [OpeningIntervalInline]
    readonly_fields = ["time_zone"]

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related saves the clinic with its hours and payers in one call
        of its service, so the dashboard's rules hold here too."""

    def save_related(self, request, form, formsets, change):
        opening_hours = None  # unchanged rows are left as they are
        for week in formsets:  # the hours inline, unless staff may not see it
            week.save(commit=False)  # lists the changes for the admin's history only
            if week.has_changed():
                opening_hours = week.intervals()
        services.location_save(
            location=form.instance,
            opening_hours=opening_hours,
            payers=form.cleaned_data.get("payers"),
            by_staff=True,
        )

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


@admin.register(NppesOrganisation)
class NppesOrganisationAdmin(admin.ModelAdmin):
    """Read only: import_nppes keeps these as NPPES publishes them."""

    list_display = ["legal_name", "npi", "city", "region", "country", "deactivated_on"]
    list_filter = ["country", "region"]
    search_fields = ["legal_name", "npi", "city", "postal_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
