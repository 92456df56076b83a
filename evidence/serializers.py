from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence import selectors
from evidence.models import Claim, Outcome, Study


class StudySerializer(serializers.ModelSerializer):
    """A study as the library lists it: citation, links, design, certainty and whether
    its identifier was checked."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    doi_url = serializers.CharField(read_only=True)
    pubmed_url = serializers.CharField(read_only=True)
    conditions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    interventions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Study
        fields = [
            "slug",
            "url",
            "title",
            "authors",
            "journal",
            "year",
            "citation_detail",
            "doi",
            "doi_url",
            "pmid",
            "pubmed_url",
            "pmcid",
            "identifier_checked",
            "design",
            "certainty",
            "included_studies",
            "participants",
            "conditions",
            "interventions",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    """One result, figures exactly as reported. `estimate`, `ci_low`, `ci_high` and
    `measure` are null/empty together, when the source gave the result only in words
    (`result`). `certainty` is GRADE as the review graded this outcome."""

    intervention = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    certainty_in_words = serializers.CharField(read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "outcome",
            "intervention",
            "intervention_as_reported",
            "comparator",
            "measure",
            "measure_as_reported",
            "estimate",
            "ci_low",
            "ci_high",
            "result",
            "studies",
            "participants",
            "direction",
            "certainty",
            "certainty_in_words",
        ]


class StudyDetailSerializer(StudySerializer):
    comparators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    outcomes = serializers.SerializerMethodField()

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcomes(self, study: Study) -> list[dict]:
        """Only outcomes shown to patients: one held back for checking is never sent."""
        return OutcomeSerializer(selectors.study_outcomes(study=study), many=True).data

    class Meta(StudySerializer.Meta):
        fields = [
            *StudySerializer.Meta.fields,
            "comparators",
            "included_breakdown",
            "summary",
            "limitations",
            "notes",
            "needs_checking",
            "added_on",
            "reviewed_on",
            "outcomes",
        ]


class ClaimStudySerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Study
        fields = ["slug", "url", "title", "year", "identifier_checked"]


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as found in the wild. Only `supported` and `partly_supported` claims are
    findings; `established` is false for the others, which must not be presented as fact."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    established = serializers.BooleanField(source="is_established", read_only=True)
    studies = ClaimStudySerializer(many=True, read_only=True)
    conditions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "status",
            "status_label",
            "established",
            "explanation",
            "studies",
            "conditions",
        ]
