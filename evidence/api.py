from __future__ import annotations

from collections.abc import Sequence

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import error_response
from evidence.filters import ClaimFilter, StudyFilter
from evidence.models import Certainty, Claim, ClaimStatus, Study, StudyDesign
from evidence.serializers import (
    ClaimSerializer,
    StudyDetailSerializer,
    StudySerializer,
)

BAD_PARAMETERS = error_response("A parameter is invalid; `errors` names it.")


class StudyPagination(PageNumberPagination):
    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        """A page that does not exist is a bad parameter (400), like any other."""
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [str(error.detail)]}) from None


def choice_or_any(name: str, choices: Sequence[tuple[str, object]]) -> OpenApiParameter:
    """A choice filter as the pages send it: an empty value means any (the "Any …" option)."""
    return OpenApiParameter(
        name, str, enum=["", *[value for value, _ in choices]], description="Empty means any."
    )


class StudyList(ListAPIView):
    serializer_class = StudySerializer
    queryset = Study.objects.for_listing()
    filterset_class = StudyFilter
    pagination_class = StudyPagination

    @extend_schema(
        summary="Studies in the evidence library",
        description="The library page's filters: full-text search (`q`, over title, authors "
        "and summary, best match first), condition (including its subtypes), intervention, "
        "design, GRADE certainty and a range of years. `identifier_checked` is false until "
        "the DOI/PMID was seen on a publisher or index page.",
        parameters=[
            choice_or_any("design", StudyDesign.choices),
            choice_or_any("certainty", Certainty.choices),
        ],
        responses={200: StudySerializer(many=True), 400: BAD_PARAMETERS},
        examples=[
            OpenApiExample(
                "Invalid year",
                value={
                    "detail": "Invalid input.",
                    "errors": {"year_from": ["Enter a whole number."]},
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class StudyDetail(RetrieveAPIView):
    serializer_class = StudyDetailSerializer
    lookup_field = "slug"
    queryset = Study.objects.prefetch_related("conditions", "interventions", "comparators")

    @extend_schema(
        summary="One study with its outcomes",
        description="The full citation, Meridian's plain-language summary, limitations and "
        "every outcome shown to patients (measure, estimate and 95% confidence interval "
        "exactly as reported, with its GRADE certainty). Outcomes held back until their "
        "source has been read in full are never included.",
        responses={200: StudyDetailSerializer, 404: error_response("No such study")},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ClaimList(ListAPIView):
    serializer_class = ClaimSerializer
    queryset = Claim.objects.for_listing()
    filterset_class = ClaimFilter

    @extend_schema(
        summary="Claims checked against their sources",
        description="Statements found in the wild with their status. Claims that are "
        "`unverified`, `unsupported` or `contradicted` (`established: false`) must not be "
        "presented as fact.",
        parameters=[choice_or_any("status", ClaimStatus.choices)],
        responses={200: ClaimSerializer(many=True), 400: BAD_PARAMETERS},
        examples=[
            OpenApiExample(
                "A contradicted claim",
                value=[
                    {
                        "id": 3,
                        "text": "The 2024 AAN/AHS consensus statement recommends acupuncture "
                        "as a Level A option for migraine prevention.",
                        "status": "contradicted",
                        "status_label": "Contradicted",
                        "established": False,
                        "explanation": "The 2012 AAN/AHS guideline does not list acupuncture; "
                        "no 2024 statement was found.",
                        "studies": [
                            {
                                "slug": "holland-2012-aan-ahs",
                                "url": "/evidence/studies/holland-2012-aan-ahs/",
                                "title": "Evidence-based guideline update: NSAIDs and other "
                                "complementary treatments for episodic migraine prevention in "
                                "adults",
                                "year": 2012,
                                "identifier_checked": True,
                            }
                        ],
                        "conditions": ["migraine"],
                    }
                ],
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
