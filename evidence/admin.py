from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.admin import URL_FIELDS_ASSUME_HTTPS
from evidence import services
from evidence.citations import CitationFileError
from evidence.forms import CitationImportForm
from evidence.models import Claim, Condition, Intervention, Outcome, Study


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_technique"]
    list_filter = ["is_technique"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


OUTCOME_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "outcome",
                ("intervention", "intervention_as_reported"),
                "comparator",
                ("measure", "measure_as_reported", "direction"),
                ("estimate", "ci_low", "ci_high"),
                "result",
                ("studies", "participants"),
                ("certainty", "certainty_as_stated"),
            ]
        },
    ),
    (_("Source (for checking; never shown)"), {"fields": ["source_quote", "source", "notes"]}),
    (_("Shown to patients?"), {"fields": ["show", "hidden_because"]}),
]


class OutcomeInline(admin.StackedInline):
    """Each outcome with the passage its figures were copied from, so an editor checks
    the figure against the words beside it."""

    model = Outcome
    extra = 0
    autocomplete_fields = ["intervention"]
    fieldsets = OUTCOME_FIELDSETS


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["outcome", "study", "effect_display", "certainty", "show"]
    list_filter = ["show", "certainty", "measure"]
    search_fields = ["outcome", "comparator", "source_quote", "study__title", "study__slug"]
    list_select_related = ["study", "intervention"]
    autocomplete_fields = ["intervention"]
    fieldsets = [(None, {"fields": ["study"]}), *OUTCOME_FIELDSETS]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = [
        "title",
        "year",
        "design",
        "certainty",
        "identifier_checked",
        "needs_checking",
        "reviewed_on",
    ]
    list_filter = [
        "needs_checking",
        "identifier_checked",
        "design",
        "certainty",
        ("conditions", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "journal", "doi", "pmid", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["conditions", "interventions", "comparators"]
    readonly_fields = ["added_on", "updated_at"]
    inlines = [OutcomeInline]
    change_list_template = "admin/evidence/study/change_list.html"
    actions = ["mark_reviewed"]

    @admin.action(description=_("Mark reviewed today: source read in full, figures checked"))
    def mark_reviewed(self, request: HttpRequest, queryset) -> None:
        count = queryset.mark_reviewed(on=timezone.localdate())
        messages.success(
            request,
            ngettext(
                "%(count)d study marked reviewed.", "%(count)d studies marked reviewed.", count
            )
            % {"count": count},
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_citations),
                name="evidence_study_import",
            ),
            *super().get_urls(),
        ]

    def import_citations(self, request: HttpRequest) -> TemplateResponse:
        """Upload a RIS, MEDLINE or BibTeX file; the whole file is imported or, if it is
        malformed, nothing is and the form names the line at fault (400)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report, status = None, 200
        if request.method != "POST":
            form = CitationImportForm()
        else:
            form = CitationImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report = services.citations_import(
                        text=form.cleaned_data["text"], format=form.cleaned_data["format"]
                    )
                    messages.success(
                        request, gettext("Citations imported: %(report)s") % {"report": report}
                    )
                except CitationFileError as error:
                    form.add_error(
                        "file", gettext("Nothing was imported. %(error)s") % {"error": error}
                    )
            if not form.is_valid():
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import citations"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/evidence/study/import.html", context, status=status)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status"]
    list_filter = ["status", ("conditions", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "explanation"]
    filter_horizontal = ["studies", "conditions"]
