"""What the admin pages of several apps share."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from common import jurisdictions

# A website typed as "clinic.example" means https (Django 6's default, chosen early).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class JurisdictionFilter(admin.SimpleListFilter):
    """Filter rows with `country` and `region` fields by jurisdiction (US-CA, GB, ...)."""

    title = "jurisdiction"
    parameter_name = "jurisdiction"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        pairs = model_admin.get_queryset(request).values_list("country", "region").distinct()
        return sorted(
            (jurisdictions.code(country, region), jurisdictions.label(country, region))
            for country, region in pairs
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        country, _, region = value.partition("-")
        return queryset.filter(country=country, region=region)
