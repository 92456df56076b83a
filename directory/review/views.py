"""The staff review queue: pending licenses, certifications and profile claims, each
decided through a service that records it and emails the practitioner."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts import services as account_services
from accounts.access import CREDENTIAL_MODELS, reviewer_required
from accounts.forms import add_service_errors
from accounts.models import ClaimStatus, ProfileClaim
from config.forms import form_status
from directory import services, sources
from directory.documents import stored_type
from directory.models import CredentialStatus, License
from directory.review.forms import ApproveForm, ReasonForm

CREDENTIAL_DECISIONS = {
    "approve": (ApproveForm, services.credential_approve),
    "reject": (ReasonForm, services.credential_reject),
    "revoke": (ReasonForm, services.credential_revoke),
    "reopen": (ReasonForm, services.credential_reopen),
}


def _pending(model: type) -> QuerySet:
    """Pending credentials, longest waiting first (since they last became pending)."""
    return (
        model.objects.filter(status=CredentialStatus.PENDING)
        .annotate(pending_since=Max("events__created_at", filter=Q(events__to_status="pending")))
        .select_related("practitioner__owner")
        .order_by("pending_since", "pk")
    )


@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "licenses": _pending(CREDENTIAL_MODELS["licenses"]),
        "certifications": _pending(CREDENTIAL_MODELS["certifications"]),
        "claims": ProfileClaim.objects.filter(status=ClaimStatus.PENDING)
        .select_related("practitioner", "claimant", "license")
        .order_by("created_at", "pk"),
    }
    return render(request, "directory/review/queue.html", context)


@reviewer_required
def credential_review(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    model = CREDENTIAL_MODELS[kind]
    credential = get_object_or_404(
        model.objects.select_related("practitioner__owner"), public_id=public_id
    )
    if isinstance(credential, License):
        primary_sources = sources.sources_for_license(credential.country, credential.region)
    else:
        primary_sources = sources.sources_for_certification(credential.body)
    forms = {
        "approve": ApproveForm(
            initial={"source": primary_sources[0].url if primary_sources else ""}
        ),
        "reason": ReasonForm(),
    }
    decision = request.POST.get("decision")
    if request.method == "POST" and decision in CREDENTIAL_DECISIONS:
        form_class, decide = CREDENTIAL_DECISIONS[decision]
        form = form_class(request.POST)
        forms["approve" if form_class is ApproveForm else "reason"] = form
        if form.is_valid():
            try:
                decide(credential=credential, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                label = services.credential_label(credential)
                messages.success(request, f"{label}: {credential.get_status_display().lower()}.")
                return redirect("review:queue")
    document_url = document_type = None
    if credential.document:
        document_type = stored_type(credential.document)[0]
        document_url = reverse(
            f"accounts:{kind.removesuffix('s')}-document",
            kwargs={"slug": credential.practitioner.slug, "public_id": credential.public_id},
        )
    context = {
        "credential": credential,
        "label": services.credential_label(credential),
        "events": credential.events.select_related("actor"),
        "sources": primary_sources,
        "document_url": document_url,
        "document_type": document_type,
        "forms": forms,
    }
    status = form_status(*forms.values())
    return render(request, "directory/review/credential.html", context, status=status)


@reviewer_required
def claim_review(request: HttpRequest, public_id: str) -> HttpResponse:
    claim = get_object_or_404(
        ProfileClaim.objects.select_related("practitioner", "claimant", "license"),
        public_id=public_id,
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    form = ReasonForm(request.POST if decision == "reject" else None)
    decided = None
    try:
        if decision == "approve":
            decided = account_services.claim_approve(claim=claim, by=request.user)
        elif decision == "reject" and form.is_valid():
            decided = account_services.claim_reject(
                claim=claim, by=request.user, **form.cleaned_data
            )
    except ValidationError as error:
        if decision == "reject":
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
    if decided is not None:
        status = decided.get_status_display().lower()
        messages.success(request, f"Claim on {claim.practitioner.full_name}: {status}.")
        return redirect("review:queue")
    license = claim.license
    context = {
        "claim": claim,
        "form": form,
        "sources": sources.sources_for_license(license.country, license.region),
        "other_licenses": claim.practitioner.licenses.exclude(pk=license.pk),
    }
    return render(request, "directory/review/claim.html", context, status=form_status(form))
