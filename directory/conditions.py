"""Conditions as patients meet them: what the evidence library says about one, and how
many listed practitioners treat it. These join the library with the directory, so they
live here, above both; the evidence app itself knows nothing of practitioners."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from directory.models import Practitioner
from evidence import selectors
from evidence.models import Condition


def conditions_with_counts() -> list[Condition]:
    """Every condition with `study_count` and `practitioner_count`: listable practitioners
    who treat it (Practitioner.objects.treating: it or a subtype). One count per condition:
    the vocabulary is a few dozen conditions."""
    conditions = selectors.conditions_with_study_counts()
    listable = Practitioner.objects.listable()
    for condition in conditions:
        condition.practitioner_count = listable.treating(condition).count()
    return conditions


def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    condition = get_object_or_404(Condition.objects.select_related("parent"), slug=slug)
    context = {
        "evidence": selectors.condition_evidence(condition=condition),
        "practitioner_count": Practitioner.objects.listable().treating(condition).count(),
    }
    return render(request, "evidence/condition_detail.html", context)


class ConditionSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    parent = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    practitioners = serializers.IntegerField(
        source="practitioner_count",
        read_only=True,
        help_text="Listable practitioners (verified license in force) who treat it.",
    )
    studies = serializers.IntegerField(
        source="study_count",
        read_only=True,
        help_text="Studies of it or any of its subtypes that its page shows (those with a "
        "plain-language summary).",
    )

    class Meta:
        model = Condition
        fields = ["slug", "name", "parent", "url", "practitioners", "studies"]


class ConditionList(ListAPIView):
    serializer_class = ConditionSerializer
    filter_backends = []

    def get_queryset(self):
        return conditions_with_counts()

    @extend_schema(
        summary="Conditions with practitioner and study counts",
        description="Every condition in the vocabulary. `practitioners` counts only listable "
        "practitioners (published, with a verified license in force where they practise) who "
        "treat it or one of its subtypes (as the search filter does); `studies` counts studies "
        "of it or any subtype.",
        responses={200: ConditionSerializer(many=True)},
        examples=[
            OpenApiExample(
                "Migraine",
                value=[
                    {
                        "slug": "migraine",
                        "name": "Migraine",
                        "parent": None,
                        "url": "/conditions/migraine/",
                        "practitioners": 214,
                        "studies": 9,
                    }
                ],
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
