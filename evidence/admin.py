from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path

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


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    autocomplete_fields = ["intervention"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["title", "year", "design", "certainty", "identifier_checked"]
    list_filter = [
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
                    messages.success(request, f"Citations imported: {report}")
                except CitationFileError as error:
                    form.add_error("file", f"Nothing was imported. {error}")
            if not form.is_valid():
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import citations",
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
