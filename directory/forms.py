from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.widgets import QuickSelect
from directory import geocoding, search
from directory.expressions import EarthPoint
from directory.languages import LANGUAGE_CHOICES
from directory.models import Gender, Payer
from directory.templatetags.search_tags import unit_label
from evidence.models import Condition, Intervention

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}
RADIUS_CHOICES = {"km": [5, 10, 25, 50, 100, 250, 500], "mi": [5, 10, 15, 25, 50, 100, 250, 310]}
DEFAULT_RADIUS = {"km": 25, "mi": 15}


class StrictCheckbox(forms.CheckboxInput):
    """A checkbox that hands the raw value to the field, so "maybe" is an error, not True."""

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class StrictBooleanField(forms.Field):
    widget = StrictCheckbox(check_test=lambda value: str(value).lower() in TRUE_VALUES)

    def to_python(self, value) -> bool:
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class VocabularyChoiceField(forms.ModelChoiceField):
    """A menu of condition or technique names, in the page's language: the names come from
    database rows, and the catalogue holds their translations (evidence/vocabulary.py)."""

    def label_from_instance(self, obj) -> str:
        return gettext(obj.name)


def _insurance_choices() -> list:
    return [("", gettext("Any")), *Payer.objects.active().choices_by_kind()]


class SearchForm(forms.Form):
    """The search's parameters, shared by the page and the API (same names, same rules)."""

    near = forms.CharField(
        label=_("Near"),
        max_length=200,
        required=False,
        help_text=_("A ZIP or postcode, a city, an address, or coordinates as “lat, lng”."),
    )
    radius = forms.FloatField(label=_("Within"), required=False)
    unit = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Unit"),
        required=False,
        choices=[("", _("Auto")), ("km", pgettext_lazy("distance unit", "km")), ("mi", _("miles"))],
    )
    condition = VocabularyChoiceField(
        widget=QuickSelect,
        label=_("Condition"),
        required=False,
        queryset=Condition.objects.all(),
        to_field_name="slug",
        empty_label=_("Any condition"),
    )
    technique = VocabularyChoiceField(
        widget=QuickSelect,
        label=_("Technique"),
        required=False,
        queryset=Intervention.objects.techniques(),
        to_field_name="slug",
        empty_label=_("Any technique"),
    )
    language = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *LANGUAGE_CHOICES],
    )
    gender = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Practitioner's gender"),
        required=False,
        choices=[
            ("", _("Any")),
            *((value, label) for value, label in Gender.choices if value != "another"),
        ],
    )
    certification = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Certification"),
        required=False,
        choices=[
            ("", _("Any")),
            *[(key, label) for key, (_body, _credential, label) in search.CERTIFICATIONS.items()],
        ],
    )
    min_years = forms.IntegerField(
        label=_("Years in practice, at least"), required=False, min_value=0, max_value=80
    )
    accepting_new_patients = StrictBooleanField(label=_("Accepting new patients"), required=False)
    telehealth = StrictBooleanField(label=_("Offers telehealth"), required=False)
    sliding_scale = StrictBooleanField(label=_("Sliding-scale fees"), required=False)
    step_free = StrictBooleanField(label=_("Step-free entrance"), required=False)
    open_evenings = StrictBooleanField(label=_("Open evenings (after 17:00)"), required=False)
    open_weekends = StrictBooleanField(label=_("Open weekends"), required=False)
    open_now = StrictBooleanField(label=_("Open now"), required=False)
    insurance = forms.ModelChoiceField(
        widget=QuickSelect,
        label=_("Insurance or payment"),
        required=False,
        queryset=Payer.objects.active(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Choose one of the listed insurers and programmes.")},
    )
    q = forms.CharField(
        label=_("Name of practitioner or clinic"),
        required=False,
        max_length=100,
        help_text=_("Optional; spelling need not be exact."),
    )
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=50)

    FILTERS = [
        "condition",
        "technique",
        "language",
        "gender",
        "certification",
        "insurance",
        "min_years",
    ]
    CHECKBOXES = [
        "accepting_new_patients",
        "telehealth",
        "sliding_scale",
        "step_free",
        "open_evenings",
        "open_weekends",
        "open_now",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in [*self.FILTERS, *self.CHECKBOXES]:
            # The page re-runs the search when one of these changes (with JavaScript).
            self.fields[name].widget.attrs["class"] = "auto-submit"
        for name in self.CHECKBOXES:
            self.fields[name].widget.attrs["value"] = "true"
        # Grouped by kind; the field still checks the slug against its queryset. A callable,
        # so the payers are read only when the menu is rendered: a page whose filters panel
        # is kept rendered (directory.views._filters_key) never reads them.
        self.fields["insurance"].widget.choices = _insurance_choices

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILTERS]

    @property
    def checkbox_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CHECKBOXES]

    @property
    def active_filter_count(self) -> int:
        """How many filters (and the name query) the search applies: shown on the folded
        "Filters" control, so a phone user sees that the results are narrowed."""
        if not self.is_bound:
            return 0
        return sum(bool(self.data.get(name)) for name in [*self.FILTERS, *self.CHECKBOXES, "q"])

    @property
    def radius_options(self) -> list[tuple[str, str, bool]]:
        """(value, label, selected) for the radius menu, in the unit in use. The first
        option sends no radius, so the default follows the unit."""
        searched = self.is_bound and self.is_valid()
        unit = self.cleaned_data["unit"] if searched else None
        chosen = self.data.get("radius", "") if self.is_bound else ""
        if unit is None:
            default_label = gettext("25 km / 15 mi (default)")
        else:
            default_label = gettext("%(radius)s %(unit)s (default)") % {
                "radius": DEFAULT_RADIUS[unit],
                "unit": unit_label(unit),
            }
        options = [("", default_label, chosen == "")]
        values = RADIUS_CHOICES[unit or "km"]
        if searched and chosen and self.radius_value not in values:
            values = sorted([*values, self.radius_value])
        for value in values:
            selected = searched and chosen != "" and value == self.radius_value
            options.append((str(value), f"{value} {unit_label(unit or 'km')}", selected))
        return options

    @property
    def radius_value(self) -> float:
        """The radius searched, in the unit in use (the default when none was given)."""
        if self.is_bound and self.is_valid():
            radius = self.cleaned_data["radius"]
            return int(radius) if radius == int(radius) else radius
        return DEFAULT_RADIUS["km"]

    def clean_near(self) -> geocoding.Geocode | None:
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        try:
            return geocoding.geocode(text)
        except geocoding.PlaceNotFound as error:
            # Curated messages (place_aliases.csv) are catalogued; others pass through as written.
            raise ValidationError(gettext(str(error)), code="not_found") from None

    def clean(self) -> dict:
        data = super().clean()
        place = data.get("near")
        if "near" in data and place is None:
            self.add_error(
                "near", ValidationError(gettext("Enter a place to search near."), "required")
            )
        unit = data.get("unit") or (place.default_unit if place else "km")
        data["unit"] = unit
        radius = data.get("radius")
        if radius is None:
            radius = DEFAULT_RADIUS[unit]
        radius_km = radius * search.KM_PER_MILE if unit == "mi" else radius
        if not search.MIN_RADIUS_KM <= radius_km <= search.MAX_RADIUS_KM:
            self.add_error(
                "radius",
                ValidationError(
                    gettext("The radius must be between 1 and 500 km (0.6 and 310 miles)."),
                    "range",
                ),
            )
        data["radius"] = radius
        data["radius_km"] = radius_km
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or 20
        last_page = -(-search.RESULT_LIMIT // data["page_size"])
        if data["page"] > last_page:
            self.add_error(
                "page",
                ValidationError(
                    ngettext(
                        "Results stop at the nearest %(limit)s practitioners; with "
                        "%(page_size)s a page the last page is %(last_page)s.",
                        "Results stop at the nearest %(limit)s practitioners; with "
                        "%(page_size)s a page the last page is %(last_page)s.",
                        last_page,
                    )
                    % {
                        "limit": search.RESULT_LIMIT,
                        "page_size": data["page_size"],
                        "last_page": last_page,
                    },
                    "range",
                ),
            )
        return data

    def search_query(self) -> search.SearchQuery:
        data = self.cleaned_data
        place = data["near"]
        return search.SearchQuery(
            origin=EarthPoint(place.latitude, place.longitude),
            radius_km=data["radius_km"],
            condition=data["condition"],
            technique=data["technique"],
            language=data["language"],
            gender=data["gender"],
            accepting_new_patients=data["accepting_new_patients"],
            telehealth=data["telehealth"],
            sliding_scale=data["sliding_scale"],
            step_free=data["step_free"],
            open_evenings=data["open_evenings"],
            open_weekends=data["open_weekends"],
            open_now=data["open_now"],
            insurance=data["insurance"],
            certification=data["certification"],
            min_years=data["min_years"],
            text=data["q"].strip(),
        )
