"""Who may do what. Every view and endpoint that touches an owned object (a profile, its
clinics, its credentials and their documents, a claim) fetches it through one helper
here; the helper returns the object or raises Http404, so other people's ids and slugs
look exactly like ids that do not exist."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from credentialing.access import is_reviewer
from credentialing.models import CREDENTIAL_KINDS, Certification, License, ProfileClaim
from directory.models import Location, Practitioner


def practitioner_for_user(request: HttpRequest, slug: str) -> Practitioner:
    """The profile `slug` when the user owns it or is a reviewer; otherwise 404."""
    practitioner = Practitioner.objects.filter(slug=slug).first()
    if practitioner is None:
        raise Http404("No such profile.")
    if practitioner.owner_id is not None and practitioner.owner_id == request.user.pk:
        return practitioner
    if is_reviewer(request.user):
        return practitioner
    raise Http404("No such profile.")


def location_for_user(request: HttpRequest, slug: str, pk: int) -> Location:
    practitioner = practitioner_for_user(request, slug)
    location = practitioner.locations.filter(pk=pk).first()
    if location is None:
        raise Http404("No such clinic.")
    return location


def credential_for_user(
    request: HttpRequest, slug: str, kind: str, public_id: Any
) -> License | Certification:
    """A license or certification (`kind` is "licenses" or "certifications") of the
    profile `slug`, for its owner or a reviewer."""
    practitioner = practitioner_for_user(request, slug)
    model = CREDENTIAL_KINDS[kind]
    credential = model.objects.filter(practitioner=practitioner, public_id=public_id).first()
    if credential is None:
        raise Http404("No such credential.")
    return credential


def claim_for_user(request: HttpRequest, public_id: Any) -> ProfileClaim:
    """A claim, for the account that made it or a reviewer."""
    claim = ProfileClaim.objects.select_related("practitioner").filter(public_id=public_id).first()
    if claim is None or not (claim.claimant_id == request.user.pk or is_reviewer(request.user)):
        raise Http404("No such claim.")
    return claim


def own_practitioner(request: HttpRequest) -> Practitioner:
    """The signed-in account's own profile (the /api/v1/me/ endpoints); 404 if none."""
    practitioner = Practitioner.objects.filter(owner_id=request.user.pk).first()
    if practitioner is None:
        raise Http404("You have no profile yet: create or claim one on your dashboard.")
    return practitioner
