from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from evidence import selectors
from evidence.filters import ClaimFilter, PageForm, StudyFilter
from evidence.models import Claim, Study

STUDIES_PER_PAGE = 20


def library(request: HttpRequest) -> HttpResponse:
    """Every study, filtered and searched; a bad parameter answers 400 with the form's
    message next to the field."""
    filterset = StudyFilter(request.GET, queryset=Study.objects.for_listing())
    paging = PageForm(request.GET)
    valid = filterset.is_valid() & paging.is_valid()  # & runs both, so both show errors
    studies = filterset.qs if valid else Study.objects.none()
    page = Paginator(studies, STUDIES_PER_PAGE).get_page(paging.cleaned_data.get("page"))
    conditions = selectors.conditions_with_study_counts()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "paging": paging,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "conditions": [condition for condition in conditions if condition.study_count],
        "conditions_without": [condition for condition in conditions if not condition.study_count],
    }
    return render(request, "evidence/library.html", context, status=200 if valid else 400)


def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(
        Study.objects.prefetch_related("conditions", "interventions", "comparators"), slug=slug
    )
    outcomes = selectors.study_outcomes(study=study)
    context = {
        "study": study,
        "certainty": study.certainty_summary(outcomes),
        "outcomes": outcomes,
        "plots": selectors.study_plots(study=study),
        "claims": study.claims.order_by("pk"),
    }
    return render(request, "evidence/study_detail.html", context)


def claim_list(request: HttpRequest) -> HttpResponse:
    filterset = ClaimFilter(request.GET, queryset=Claim.objects.for_listing())
    valid = filterset.is_valid()
    context = {
        "filterset": filterset,
        "claims": filterset.qs if valid else Claim.objects.none(),
        "condition": filterset.form.cleaned_data.get("condition") if valid else None,
    }
    return render(request, "evidence/claim_list.html", context, status=200 if valid else 400)
