"""The library's filters, shared by the pages and the API so both accept the same parameters
and refuse the same mistakes (400, naming the parameter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import (
    Certainty,
    Claim,
    ClaimStatus,
    Condition,
    Intervention,
    Study,
    StudyDesign,
)

FIRST_YEAR, LAST_YEAR = 1800, 2100


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PageForm(forms.Form):
    """The library pages through results; a page number that is not one is a mistake too."""

    page = forms.IntegerField(min_value=1, required=False)


def shown_name(term: Any) -> str:
    return term.shown_name


class VocabularyChoicesForm(forms.Form):
    """Conditions and interventions offered in the visitor's language (shown_name); the
    slug they submit stays the same in every language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["condition", "intervention"]:
            if isinstance(field := self.fields.get(name), forms.ModelChoiceField):
                field.label_from_instance = shown_name  # type: ignore[method-assign,assignment]


class StudyFilterForm(VocabularyChoicesForm):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("year_from"), cleaned.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error("year_to", _("The last year must not be before the first year."))
        return cleaned


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search titles, authors and summaries"),
        max_length=200,
    )
    condition = django_filters.ModelChoiceFilter(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        method="filter_condition",
        label=_("Condition"),
        empty_label=_("Any condition"),
        help_text=_("Includes its types: migraine includes chronic migraine."),
    )
    intervention = django_filters.ModelChoiceFilter(
        queryset=Intervention.objects.all(),
        to_field_name="slug",
        method="filter_intervention",
        label=_("Intervention"),
        empty_label=_("Any intervention"),
    )
    design = django_filters.ChoiceFilter(
        choices=StudyDesign.choices, empty_label=_("Any design"), label=_("Design")
    )
    certainty = django_filters.ChoiceFilter(
        choices=Certainty.choices, empty_label=_("Any certainty"), label=_("Certainty (GRADE)")
    )
    year_from = YearFilter(
        field_name="year",
        lookup_expr="gte",
        label=_("From year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    year_to = YearFilter(
        field_name="year",
        lookup_expr="lte",
        label=_("To year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )

    class Meta:
        model = Study
        fields = ["q", "condition", "intervention", "design", "certainty", "year_from", "year_to"]
        form = StudyFilterForm

    def filter_search(self, queryset, name: str, value: str):
        return queryset.search(value) if value.strip() else queryset

    def filter_condition(self, queryset, name: str, value: Condition):
        return queryset.about(value)

    def filter_intervention(self, queryset, name: str, value: Intervention):
        return queryset.of_intervention(value)


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices, empty_label=_("Any status"), label=_("Status")
    )
    condition = django_filters.ModelChoiceFilter(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        method="filter_condition",
        label=_("Condition"),
        empty_label=_("Any condition"),
        help_text=_("Includes its types: migraine includes chronic migraine."),
    )

    class Meta:
        model = Claim
        fields = ["status", "condition"]
        form = VocabularyChoicesForm

    def filter_condition(self, queryset, name: str, value: Condition):
        return queryset.about(value)
