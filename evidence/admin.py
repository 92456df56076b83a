from django.contrib import admin

from evidence.models import Condition, Intervention


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
