"""Dashboard forms. They parse and check input; the services in directory.services and
credentialing.services validate again and save, so the pages and the API share every rule."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import jurisdictions
from common.forms import FIELD_ALIASES
from common.jurisdictions import CURRENCY_SYMBOLS
from credentialing import certification_bodies
from credentialing.documents import ACCEPTED
from credentialing.models import Certification, License
from directory import hours, photos
from directory.languages import LANGUAGE_CHOICES
from directory.models import ACCESS_FIELDS, Location, Payer, Practitioner
from evidence.models import Intervention

# What a practitioner edits, on the dashboard and through /api/v1/me/ alike (the API's
# serializers add what they only show). A jurisdiction is one field for country and region.
PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "credentials",
    "npi",
    "bio",
    "bio_language",
    "practice_started",
    "gender",
    "gender_description",
    "pronouns",
    "languages",
    "conditions",
    "techniques",
    "accepting_new_patients",
    "telehealth",
    "published",
]
CLINIC_FIELDS = [
    "clinic_name",
    "address",
    "city",
    "jurisdiction",
    "postal_code",
    "phone",
    "website",
    "booking_url",
    "latitude",
    "longitude",
    "currency",
    "first_visit_fee",
    "first_visit_fee_max",
    "follow_up_fee",
    "follow_up_fee_max",
    "sliding_scale",
    "free_first_consultation",
    *ACCESS_FIELDS,
    "hours_note",
    "payers",
]
CREDENTIAL_DETAILS = ["number", "issued_on", "expires_on", "document"]
LICENSE_FIELDS = ["jurisdiction", "license_type", *CREDENTIAL_DETAILS]
CERTIFICATION_FIELDS = ["body", "credential", *CREDENTIAL_DETAILS]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


def home_country(practitioner: Practitioner | None) -> str:
    """The practitioner's own country: that of their first clinic, else of their first
    license; empty for someone with neither yet."""
    if practitioner is None or practitioner.pk is None:
        return ""
    for related in (practitioner.locations, practitioner.licenses):
        country = related.order_by("pk").values_list("country", flat=True).first()
        if country:
            return country
    return ""


def jurisdiction_choices(*, national: bool, first: str = "") -> list[tuple[str, Any]]:
    """Grouped by country (HTML optgroups), the practitioner's own country `first`, the
    others by name. `national` adds a whole-country choice (a national register) for
    countries that license by region; a country without regions is always whole."""
    groups: list[tuple[str, Any]] = [("", _("Choose…"))]
    countries = sorted(jurisdictions.COUNTRY_CHOICES, key=lambda item: item[0] != first)
    for country, country_name in countries:
        regions = jurisdictions.REGIONS[country]
        options = []
        if national or not regions:
            whole = (
                _("%(country)s (whole country)") % {"country": country_name}
                if regions
                else country_name
            )
            options.append((country, whole))
        options += sorted(
            ((jurisdictions.code(country, code), name) for code, name in regions.items()),
            key=lambda option: option[1],
        )
        groups.append((country_name, options))
    return groups


class JurisdictionMixin:
    """Maps a single `jurisdiction` choice onto the model's country and region."""

    national = True

    def __init__(self, *args: Any, practitioner: Practitioner | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home_country = home_country(practitioner)
        self.fields["jurisdiction"].choices = jurisdiction_choices(
            national=self.national, first=self.home_country
        )
        if self.instance.country:
            code = jurisdictions.code(self.instance.country, self.instance.region)
            self.initial.setdefault("jurisdiction", code)

    def clean_jurisdiction(self) -> str:
        value = self.cleaned_data["jurisdiction"]
        self.instance.country, self.instance.region = jurisdictions.parse(value)
        return value

    def _update_errors(self, errors: ValidationError) -> None:
        # The model reports jurisdiction problems against country and region, which this
        # form shows as the one jurisdiction field.
        if hasattr(errors, "error_dict"):
            aliased = {}
            for field, messages in errors.error_dict.items():
                target = FIELD_ALIASES.get(field, field)
                if target == "jurisdiction" and self.has_error("jurisdiction"):
                    continue
                aliased.setdefault(target, []).extend(messages)
            errors = ValidationError(aliased)
        super()._update_errors(errors)


def bio_language_choices() -> list[tuple[str, Any]]:
    """The site's languages (settings.LANGUAGES, each in its own name) plus "not said": the
    profile marks the bio with lang="..." only when it is one of these."""
    return [("", _("Not said")), *settings.LANGUAGES]


class ProfileForm(forms.ModelForm):
    bio_language = forms.ChoiceField(
        choices=bio_language_choices,
        required=False,
        label=_("Language your bio is written in"),
        help_text=_("Screen readers then read your bio in that language's voice."),
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    practice_started = forms.IntegerField(
        required=False,
        min_value=1900,
        label=_("Year you began practising"),
        help_text=_("Patients see this as years in practice."),
    )

    class Meta:
        model = Practitioner
        fields = PROFILE_FIELDS
        widgets = {
            "conditions": forms.CheckboxSelectMultiple,
            "techniques": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "conditions": _("Conditions you treat"),
            "techniques": _("Techniques you use"),
            "credentials": _("Letters after your name"),
            "npi": _("NPI (US National Provider Identifier)"),
            "published": _("Show my profile publicly (once a license is verified)"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only what practitioners offer (Intervention.is_technique): the evidence vocabulary
        # also holds comparison arms (sham acupuncture, waiting list, drugs) nobody practises.
        techniques = cast(forms.ModelMultipleChoiceField, self.fields["techniques"])
        techniques.queryset = Intervention.objects.techniques()

    def clean_practice_started(self) -> int | None:
        year = self.cleaned_data["practice_started"]
        if year is not None and year > timezone.localdate().year:
            raise ValidationError(_("The year cannot be in the future."))
        return year


class LocationForm(JurisdictionMixin, forms.ModelForm):
    national = False
    jurisdiction = forms.ChoiceField(label=_("State, province or country"))
    latitude = forms.FloatField(
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_(
            "Optional: place the map pin yourself, e.g. 37.7898. Leave both empty to "
            "place it from the address."
        ),
    )
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    booking_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=300,
        label=_("Online booking page"),
        help_text=_("Optional: where patients book with you online (an http or https address)."),
    )
    currency = forms.ChoiceField(
        required=False,
        choices=[("", _("The country's currency")), *((c, c) for c in CURRENCY_SYMBOLS)],
    )
    payers = forms.ModelMultipleChoiceField(
        label=_("Insurance and payment you accept"),
        required=False,
        queryset=Payer.objects.active(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick those this clinic accepts (in network, registered or billed directly). "
            "Only payers of the clinic's country are listed: changed the state or country? "
            "Press “Show payers for this country” first."
        ),
    )

    class Meta:
        model = Location
        fields = CLINIC_FIELDS
        labels = {
            "address": _("Street address"),
            "first_visit_fee": _("First visit"),
            "first_visit_fee_max": _("First visit, up to (for a range)"),
            "follow_up_fee": _("Follow-up visit"),
            "follow_up_fee_max": _("Follow-up visit, up to (for a range)"),
            "sliding_scale": _("Sliding-scale fees"),
            "free_first_consultation": _("Free first consultation"),
            "hours_note": _("Note on your hours"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the clinic's country's payers (and those of any country), grouped by
        # kind. The field still accepts any active payer, so that a foreign one is refused
        # by the clinic's own rule, with its message ("Not available in ...").
        self.payer_country = self.clinic_country()
        offered = Payer.objects.active().filter(country__in=[self.payer_country, ""])
        self.fields["payers"].widget.choices = offered.choices_by_kind()
        # One text field per weekday (hours_mon ... hours_sun): "09:00-13:00, 14:00-18:00",
        # empty for closed; they become the clinic's OpeningInterval rows on saving.
        saved = hours.intervals_of(self.instance) if self.instance.pk else []
        for day in hours.Weekday:
            name = self.day_field_name(day)
            self.fields[name] = forms.CharField(
                label=day.label,
                required=False,
                max_length=100,
                help_text="e.g. 09:00-13:00, 14:00-18:00; leave empty if closed"
                if day == hours.Weekday.MONDAY
                else "",
            )
            self.initial.setdefault(name, hours.day_text(saved, day))
        # The note comes after the days, with them.
        self.fields["hours_note"] = self.fields.pop("hours_note")

    def clinic_country(self) -> str:
        """The country whose payers to offer: the one chosen in this form, else the
        clinic's saved one, else the practitioner's own."""
        chosen = self.data.get("jurisdiction", "") if self.is_bound else ""
        chosen = chosen or self.initial.get("jurisdiction", "")
        if chosen:
            country = chosen.strip().upper().partition("-")[0]
            if country in jurisdictions.COUNTRIES:
                return country
        return self.instance.country or self.home_country

    @staticmethod
    def day_field_name(day: int) -> str:
        return f"hours_{hours.DAY_CODES[day]}"

    @property
    def hours_fields(self) -> list[forms.BoundField]:
        return [self[self.day_field_name(day)] for day in hours.Weekday] + [self["hours_note"]]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        shown = {field.name for field in self.hours_fields}
        return [field for field in self if field.name not in shown]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        intervals: list[hours.Interval] = []
        for day in hours.Weekday:
            name = self.day_field_name(day)
            if name not in data:
                continue
            try:
                intervals += hours.parse_day(data[name], day)
            except ValidationError as error:
                self.add_error(name, error)
        data["opening_hours"] = intervals
        return data


class CredentialForm(forms.ModelForm):
    """What licenses and certifications share: dates and a supporting document, which is
    required for a new credential."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document = self.fields["document"]
        document.required = self.instance._state.adding
        document.widget = forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT})
        document.widget.clear_checkbox_label = ""
        values = {
            "kind": self._meta.model._meta.verbose_name,
            "accepted": ACCEPTED,
            "size": f"{settings.DOCUMENT_MAX_BYTES / 1_048_576:.0f}",
        }
        if document.required:
            document.help_text = (
                gettext("A scan of the %(kind)s: %(accepted)s, at most %(size)s MB.") % values
            )
        else:
            document.help_text = (
                gettext(
                    "A scan of the %(kind)s: %(accepted)s, at most %(size)s MB. Choose a file "
                    "only to replace the current one."
                )
                % values
            )
        for name in ("issued_on", "expires_on"):
            self.fields[name].widget = DATE
        # Only a license NPPES reported may lack an expiry; a holder's edit gives one
        # (credentialing.rules: a credential is never verified without one), and the hint
        # says so rather than the model's note for imports.
        self.fields["expires_on"].required = True
        self.fields["expires_on"].help_text = _(
            "The expiry date printed on it. Required: a credential without one cannot be "
            "verified, and it stops counting the day after this date."
        )


class LicenseForm(JurisdictionMixin, CredentialForm):
    jurisdiction = forms.ChoiceField(
        label=_("Issued for"),
        help_text=_(
            "The state or province of the license, or the whole country for a national register."
        ),
    )

    class Meta:
        model = License
        fields = LICENSE_FIELDS
        labels = {"license_type": _("License type"), "number": _("License number")}


class CertificationForm(CredentialForm):
    """The body is chosen from the vocabulary (credentialing.certification_bodies), so the
    search's filter finds every holder; "Other" takes the body's name, which staff see in
    the review queue as one to check."""

    body = forms.ChoiceField(label=_("Certifying body"), choices=certification_bodies.choices)
    body_other = forms.CharField(
        label=_("If other: the certifying body's full name"),
        required=False,
        max_length=80,
        help_text=_("Staff reviewing your certification read this; leave empty otherwise."),
    )

    class Meta:
        model = Certification
        fields = ["body", "body_other", *CERTIFICATION_FIELDS[1:]]
        labels = {"number": _("Certificate number")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = self.instance.body
        if saved:
            known = certification_bodies.canonical(saved)
            self.initial["body"] = known or certification_bodies.OTHER
            if not known:
                self.initial["body_other"] = saved

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("body") == certification_bodies.OTHER:
            other = (data.get("body_other") or "").strip()
            if not other:
                self.add_error("body_other", _("Write the certifying body's name."))
            elif known := certification_bodies.canonical(other):
                data["body"] = known  # "nccaom" typed under Other is still NCCAOM
            else:
                data["body"] = other
        if data.get("body") and data["body"] != certification_bodies.OTHER:
            self.instance.body = data["body"]
        return data


class PhotoForm(forms.Form):
    """A photo, checked and re-encoded while the form is cleaned (directory.photos)."""

    photo = forms.FileField(
        widget=forms.FileInput(attrs={"accept": photos.ACCEPT_ATTRIBUTE}),
        help_text=format_lazy(
            _(
                "{accepted}, at most {size} MB. It is shown square, cropped to the centre; its "
                "metadata (such as where it was taken) is removed."
            ),
            accepted=photos.ACCEPTED,
            size=f"{settings.PHOTO_MAX_BYTES / 1_048_576:.0f}",
        ),
    )

    def clean_photo(self) -> photos.PreparedPhoto:
        return photos.photo_prepare(self.cleaned_data["photo"])


class ClaimForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("License issued for"))
    number = forms.CharField(label=_("License number"), max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = jurisdiction_choices(national=True)

    def clean_jurisdiction(self) -> tuple[str, str]:
        return jurisdictions.parse(self.cleaned_data["jurisdiction"])
