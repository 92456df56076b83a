"""Practitioner self-service: profiles, clinics and claims. Views, the /api/v1/me/
endpoints and the review queue call these; credential operations live in
directory.services."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.text import slugify

from accounts.emails import email_after_commit
from accounts.models import ClaimStatus, ProfileClaim, User
from directory import services as directory_services
from directory.models import License, Location, Practitioner
from evidence.models import Condition, Intervention

# A clinic's pin is placed from these; changing one without moving the pin re-places it.


def _unique_slug(practitioner: Practitioner) -> str:
    base = slugify(practitioner.full_name)[:100] or "practitioner"
    slug, number = base, 1
    while Practitioner.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _confirm(practitioner: Practitioner) -> None:
    today = timezone.localdate()
    practitioner.details_confirmed_on = today
    practitioner.accepting_new_patients_on = today


@transaction.atomic
def practitioner_create(
    *,
    owner: User,
    practitioner: Practitioner,
    conditions: Iterable[Condition] = (),
    modalities: Iterable[Intervention] = (),
) -> Practitioner:
    """Create `owner`'s profile from the unsaved `practitioner`; its details count as
    confirmed today. An account holds at most one profile."""
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if Practitioner.objects.filter(owner=owner).exists():
        raise ValidationError("This account already has a profile.")
    if ProfileClaim.objects.filter(claimant=owner, status=ClaimStatus.PENDING).exists():
        raise ValidationError(
            "You have a claim on an existing profile waiting for review. Withdraw it first "
            "if you would rather start a new profile."
        )
    practitioner.owner = owner
    practitioner.slug = _unique_slug(practitioner)
    _confirm(practitioner)
    practitioner.full_clean()
    practitioner.save()
    practitioner.conditions.set(conditions)
    practitioner.modalities.set(modalities)
    return practitioner


@transaction.atomic
def practitioner_update(
    *,
    practitioner: Practitioner,
    conditions: Iterable[Condition] | None = None,
    modalities: Iterable[Intervention] | None = None,
) -> Practitioner:
    """Save edits carried by `practitioner`. Saving the profile confirms it is current."""
    _confirm(practitioner)
    practitioner.full_clean(exclude=["owner", "slug"])
    practitioner.save()
    if conditions is not None:
        practitioner.conditions.set(conditions)
    if modalities is not None:
        practitioner.modalities.set(modalities)
    return practitioner


def practitioner_confirm_details(*, practitioner: Practitioner) -> Practitioner:
    """The practitioner says everything on the profile, new-patient status included, is
    still true today."""
    _confirm(practitioner)
    practitioner.save(update_fields=["details_confirmed_on", "accepting_new_patients_on"])
    return practitioner


@transaction.atomic
def location_save(*, location: Location) -> Location:
    """Save a new or edited clinic, placed by directory.services.location_place: a pin the
    practitioner typed or moved is kept as exact; a new or changed address is geocoded."""
    location.full_clean()
    directory_services.location_place(location=location)
    location.save()
    return location


def location_delete(*, location: Location) -> None:
    location.delete()


def _normalise_number(number: str) -> str:
    return "".join(number.split()).upper()


@transaction.atomic
def practitioner_claim(*, claimant: User, country: str, region: str, number: str) -> ProfileClaim:
    """Ask to control the unclaimed profile that holds license `number` in the
    jurisdiction given. Staff review the claim before anything changes hands."""
    claimant = User.objects.select_for_update().get(pk=claimant.pk)
    if Practitioner.objects.filter(owner=claimant).exists():
        raise ValidationError("This account already has a profile.")
    if ProfileClaim.objects.filter(claimant=claimant, status=ClaimStatus.PENDING).exists():
        raise ValidationError("You already have a claim waiting for review.")
    license = (
        License.objects.filter(country=country, region=region, practitioner__owner__isnull=True)
        .annotate(normalised=Replace(Upper("number"), Value(" "), Value("")))
        .filter(normalised=_normalise_number(number))
        .select_related("practitioner")
        .first()
    )
    if license is None:
        raise ValidationError(
            {
                "number": "No unclaimed profile holds this license number in this "
                "jurisdiction. Check both, or create a new profile instead."
            }
        )
    return ProfileClaim.objects.create(
        practitioner=license.practitioner, claimant=claimant, license=license
    )


def _pending_claim(claim: ProfileClaim) -> ProfileClaim:
    current = ProfileClaim.objects.select_for_update().get(pk=claim.pk)
    if current.status != ClaimStatus.PENDING:
        raise ValidationError(f"This claim is already {current.get_status_display().lower()}.")
    return current


@transaction.atomic
def claim_withdraw(*, claim: ProfileClaim) -> ProfileClaim:
    current = _pending_claim(claim)
    current.status = ClaimStatus.WITHDRAWN
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_at"])
    return current


@transaction.atomic
def claim_approve(*, claim: ProfileClaim, by: User) -> ProfileClaim:
    """Hand the profile to the claimant. Other pending claims on it are rejected."""
    current = _pending_claim(claim)
    if current.claimant_id == by.pk:
        raise ValidationError("You cannot approve your own claim; ask another reviewer.")
    practitioner = Practitioner.objects.select_for_update().get(pk=current.practitioner_id)
    if practitioner.owner_id is not None:
        raise ValidationError("This profile already belongs to an account.")
    if Practitioner.objects.filter(owner_id=current.claimant_id).exists():
        raise ValidationError("The claimant's account already has a profile.")
    practitioner.owner_id = current.claimant_id
    practitioner.save(update_fields=["owner", "updated_at"])
    _decide(current, ClaimStatus.APPROVED, by=by, reason="")
    for rival in ProfileClaim.objects.filter(practitioner=practitioner, status=ClaimStatus.PENDING):
        _decide(rival, ClaimStatus.REJECTED, by=by, reason="Another account's claim was approved.")
    return current


@transaction.atomic
def claim_reject(*, claim: ProfileClaim, by: User, reason: str) -> ProfileClaim:
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason; the claimant will read it."})
    current = _pending_claim(claim)
    _decide(current, ClaimStatus.REJECTED, by=by, reason=reason.strip())
    return current


def _decide(claim: ProfileClaim, status: ClaimStatus, *, by: User, reason: str) -> None:
    claim.status, claim.reason = status, reason
    claim.decided_by, claim.decided_at = by, timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    email_after_commit(
        to=claim.claimant.email,
        subject=f"claim on {claim.practitioner.full_name}'s profile {status.label.lower()}",
        template=f"claim_{status}",
        context={"claim": claim},
    )
