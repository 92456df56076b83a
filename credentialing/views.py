"""The staff review queue: pending licenses, certifications and profile claims, each
decided through a service that records it and emails the practitioner."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from common.forms import form_status, submit
from credentialing import monitoring, services
from credentialing.access import reviewer_required
from credentialing.documents import stored_type
from credentialing.forms import ApproveForm, QueuePagesForm, ReasonForm
from credentialing.models import (
    CREDENTIAL_KINDS,
    Credential,
    CredentialStatus,
    ProfileClaim,
    ProfileClaimStatus,
)
from credentialing.source_models import Discrepancy, ExclusionMatch

if TYPE_CHECKING:
    from accounts.models import User

DISCREPANCIES_SHOWN = 100
# Pending credentials shown a page at a time: an NPPES import leaves thousands of
# self-reported licenses waiting.
QUEUE_PAGE_SIZE = 50


def _reviewer(request: HttpRequest) -> User:
    """The signed-in reviewer: reviewer_required lets no one else reach these views."""
    return cast("User", request.user)


def _pending(model: type[Credential]) -> QuerySet[Any]:
    """Pending credentials, longest waiting first (since they last became pending)."""
    pending: QuerySet[Any] = (
        model._default_manager.filter(status=CredentialStatus.PENDING)
        .annotate(pending_since=Max("events__created_at", filter=Q(events__to_status="pending")))
        .select_related("practitioner__owner")
        .order_by("pending_since", "pk")
    )
    return pending


def _page(request: HttpRequest, pages: QueuePagesForm, name: str) -> Page[Any]:
    """One page of the pending credentials of a kind (`name` is also its parameter), with
    the addresses of the pages before and after it."""
    number = pages.cleaned_data.get(name) if pages.is_valid() else None
    page = Paginator(_pending(CREDENTIAL_KINDS[name]), QUEUE_PAGE_SIZE).get_page(number)
    neighbours = {"previous_url": (-1, page.has_previous()), "next_url": (1, page.has_next())}
    for attribute, (step, exists) in neighbours.items():
        query = request.GET.copy()
        query[name] = str(page.number + step)
        setattr(page, attribute, f"?{query.urlencode()}" if exists else "")
    return page


@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    pages = QueuePagesForm(request.GET)
    context = {
        "pages": pages,
        "licenses": _page(request, pages, "licenses"),
        "certifications": _page(request, pages, "certifications"),
        "claims": ProfileClaim.objects.filter(status=ProfileClaimStatus.PENDING)
        .select_related("practitioner", "claimant", "license")
        .order_by("created_at", "pk"),
        "discrepancies": Discrepancy.objects.filter(resolved_at__isnull=True)
        .select_related("practitioner", "found_in")
        .order_by("created_at", "pk")[:DISCREPANCIES_SHOWN],
        "exclusions": ExclusionMatch.objects.filter(
            status__in=["possible", "excluded", "confirmed"]
        )
        .select_related("practitioner", "found_in")
        .order_by("status", "created_at", "pk")[:DISCREPANCIES_SHOWN],
        "due": monitoring.due_for_reverification(limit=DISCREPANCIES_SHOWN),
        **monitoring.policy(),
    }
    return render(request, "credentialing/review/queue.html", context, status=form_status(pages))


@reviewer_required
def monitoring_page(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": monitoring.counts(),
        "files": monitoring.last_files(),
        "chart": monitoring.activity(),
        **monitoring.policy(),
    }
    return render(request, "credentialing/review/monitoring.html", context)


@reviewer_required
def credential_review(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    model = CREDENTIAL_KINDS[kind]
    credential = get_object_or_404(
        model.objects.select_related("practitioner__owner"), public_id=public_id
    )
    primary_sources = credential.primary_sources()
    forms = {
        "approve": ApproveForm(
            initial={"source": primary_sources[0].url if primary_sources else ""}
        ),
        "reason": ReasonForm(),
    }
    decision = request.POST.get("decision")
    if request.method == "POST" and decision in services.DECISIONS:
        shown = "approve" if services.DECISIONS[decision].needs_source else "reason"
        form = forms[shown] = type(forms[shown])(request.POST)
        decide = partial(
            services.credential_decide,
            credential=credential,
            decision=decision,
            by=_reviewer(request),
        )
        if submit(form, lambda: decide(**form.cleaned_data)) is not None:
            status = credential.get_status_display().lower()
            messages.success(
                request,
                gettext("%(credential)s: %(status)s.")
                % {"credential": credential.label, "status": status},
            )
            return redirect("review:queue")
    document_url = document_type = None
    if credential.document:
        document_type = stored_type(credential.document)[0]
        document_url = reverse(
            model.document_url_name,
            kwargs={"slug": credential.practitioner.slug, "public_id": credential.public_id},
        )
    context = {
        "credential": credential,
        "label": credential.label,
        "events": credential.events.select_related("actor"),
        "sources": primary_sources,
        "document_url": document_url,
        "document_type": document_type,
        "forms": forms,
    }
    status = form_status(*forms.values())
    return render(request, "credentialing/review/credential.html", context, status=status)


@reviewer_required
def claim_review(request: HttpRequest, public_id: str) -> HttpResponse:
    claim = get_object_or_404(
        ProfileClaim.objects.select_related("practitioner", "claimant", "license"),
        public_id=public_id,
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    form = ReasonForm(request.POST if decision == "reject" else None)
    decided = None
    if decision == "reject":
        reject = partial(services.claim_reject, claim=claim, by=_reviewer(request))
        decided = submit(form, lambda: reject(**form.cleaned_data))
    elif decision == "approve":
        # Approving takes no input: a refusal is a message on the page, not a form error.
        try:
            decided = services.claim_approve(claim=claim, by=_reviewer(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if decided is not None:
        status = decided.get_status_display().lower()
        name = claim.practitioner.full_name
        messages.success(
            request, gettext("Claim on %(name)s: %(status)s.") % {"name": name, "status": status}
        )
        return redirect("review:queue")
    license = claim.license
    context = {
        "claim": claim,
        "form": form,
        "sources": license.primary_sources(),
        "other_licenses": claim.practitioner.licenses.exclude(pk=license.pk),
    }
    return render(request, "credentialing/review/claim.html", context, status=form_status(form))
