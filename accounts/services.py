"""Practitioner self-service: profiles and clinics. The dashboard and the /api/v1/me/
endpoints call these; credentials and claims live in credentialing.services."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from accounts.models import User
from credentialing.models import ProfileClaim, ProfileClaimStatus
from directory import hours
from directory import services as directory_services
from directory.insurance import validate_payers
from directory.models import Location, Payer, Practitioner
from evidence.models import Condition, Intervention


def api_tokens_revoke(*, user: User) -> int:
    """Delete the account's API tokens; how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


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
    techniques: Iterable[Intervention] = (),
) -> Practitioner:
    """Create `owner`'s profile from the unsaved `practitioner`; its details count as
    confirmed today. An account holds at most one profile."""
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if Practitioner.objects.filter(owner=owner).exists():
        raise ValidationError("This account already has a profile.")
    if ProfileClaim.objects.filter(claimant=owner, status=ProfileClaimStatus.PENDING).exists():
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
    practitioner.techniques.set(techniques)
    return practitioner


@transaction.atomic
def practitioner_update(
    *,
    practitioner: Practitioner,
    conditions: Iterable[Condition] | None = None,
    techniques: Iterable[Intervention] | None = None,
) -> Practitioner:
    """Save edits carried by `practitioner`. Saving the profile confirms it is current."""
    _confirm(practitioner)
    practitioner.full_clean(exclude=["owner", "slug"])
    practitioner.save()
    if conditions is not None:
        practitioner.conditions.set(conditions)
    if techniques is not None:
        practitioner.techniques.set(techniques)
    return practitioner


def practitioner_confirm_details(*, practitioner: Practitioner) -> Practitioner:
    """The practitioner says everything on the profile, new-patient status included, is
    still true today."""
    _confirm(practitioner)
    practitioner.save(update_fields=["details_confirmed_on", "accepting_new_patients_on"])
    return practitioner


@transaction.atomic
def location_save(
    *,
    location: Location,
    opening_hours: Iterable[hours.Interval] | None = None,
    payers: Iterable[Payer] | None = None,
) -> Location:
    """Save a new or edited clinic, placed by directory.services.location_place: a pin the
    practitioner typed or moved is kept as exact; a new or changed address is geocoded.
    `opening_hours`, when given, becomes the clinic's whole week (empty: no hours given);
    `payers`, when given, replaces the insurance and payment the clinic accepts. A new
    clinic is refused once the practitioner has as many as they may add (clinic_limit)."""
    if location.pk is None:
        _check_clinic_limit(location.practitioner)
    location.full_clean()
    if opening_hours is not None:
        opening_hours = list(opening_hours)
        try:
            hours.check(opening_hours)
        except ValidationError as error:
            raise ValidationError({"hours": error.messages}) from None
    if payers is not None:
        payers = list(payers)
    # A clinic moved to another country must not keep the old country's payers.
    kept = location.payers.all() if location.pk else []
    validate_payers(location=location, payers=payers if payers is not None else kept)
    directory_services.location_place(location=location)
    location.save()
    if opening_hours is not None:
        hours.intervals_replace(location=location, intervals=opening_hours)
    if payers is not None:
        # Payers staff retired are not offered any more; a clinic that had one keeps it.
        retired = location.payers.filter(active=False)
        location.payers.set([*payers, *retired])
    return location


def clinic_limit(practitioner: Practitioner) -> int:
    """How many clinics the practitioner may have when adding their own."""
    if practitioner.clinic_limit is not None:
        return practitioner.clinic_limit
    return settings.CLINICS_PER_PRACTITIONER


def _check_clinic_limit(practitioner: Practitioner) -> None:
    # The practitioner's row is locked, so two clinics added at once are counted in turn.
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    limit = clinic_limit(locked)
    if locked.locations.count() >= limit:
        raise ValidationError(
            {
                "clinic_name": f"You already have {limit} clinics, as many as a profile may "
                "list. Remove one first, or ask us to allow more."
            },
            code="too_many_clinics",
        )


def location_delete(*, location: Location) -> None:
    location.delete()
