from __future__ import annotations

from django.contrib import admin

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


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status"]
    list_filter = ["status", ("conditions", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "explanation"]
    filter_horizontal = ["studies", "conditions"]
