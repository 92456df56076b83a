"""Writes to practitioners and clinics: profiles created, edited and confirmed; clinics saved
with their opening hours and payers, placed from their address, and asked about again when
the online geocoder failed. The dashboard, the /api/v1/me/ API, the admin and commands all
call these, so every rule on a profile or a clinic holds whoever saves it. Credentials and
claims are credentialing.services."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from credentialing.models import ProfileClaim, ProfileClaimStatus
from directory import geocoding, hours
from directory.models import (
    GeocodePrecision,
    Location,
    OpeningInterval,
    Payer,
    Practitioner,
    slug_base,
)

if TYPE_CHECKING:
    from accounts.models import User
    from evidence.models import Condition, Intervention

ADDRESS_FIELDS = ("address", "city", "region", "postal_code", "country")


def opening_hours_replace(*, location: Location, intervals: Iterable[hours.Interval]) -> None:
    """Make `intervals` the saved clinic's whole week. Call inside the saving transaction."""
    wanted = sorted(intervals)
    hours.check(wanted)
    location.opening_intervals.all().delete()
    OpeningInterval.objects.bulk_create(
        OpeningInterval(location=location, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in (astuple(interval) for interval in wanted)
    )


def _unique_slug(practitioner: Practitioner) -> str:
    base = slug_base(practitioner.full_name)
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
    owner = get_user_model().objects.select_for_update().get(pk=owner.pk)
    if Practitioner.objects.filter(owner=owner).exists():
        raise ValidationError(gettext("This account already has a profile."))
    if ProfileClaim.objects.filter(claimant=owner, status=ProfileClaimStatus.PENDING).exists():
        raise ValidationError(
            gettext(
                "You have a claim on an existing profile waiting for review. Withdraw it "
                "first if you would rather start a new profile."
            )
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
    by_staff: bool = False,
) -> Location:
    """Save a new or edited clinic, placed by location_place: a pin the
    practitioner typed or moved is kept as exact; a new or changed address is geocoded.
    `opening_hours`, when given, becomes the clinic's whole week (empty: no hours given);
    `payers`, when given, replaces the insurance and payment the clinic accepts. A practitioner
    adding a clinic is refused once they have as many as they may (clinic_limit), and a payer
    staff retired stays on the clinic, since the dashboard no longer offers it. Staff
    (`by_staff`, the admin, which offers every payer) add clinics freely, and what they leave
    selected is what the clinic keeps."""
    if location.pk is None and not by_staff:
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
    location.validate_payers(payers if payers is not None else kept)
    location_place(location=location)
    location.save()
    if opening_hours is not None:
        opening_hours_replace(location=location, intervals=opening_hours)
    if payers is not None:
        # Payers staff retired are not offered to practitioners any more; a clinic that had
        # one keeps it, until staff, who see every payer, take it off.
        retired = location.payers.filter(active=False) if not by_staff else []
        location.payers.set([*payers, *retired])
    return location


def clinic_limit(practitioner: Practitioner) -> int:
    """How many clinics the practitioner may have when adding their own."""
    if practitioner.clinic_limit is not None:
        return practitioner.clinic_limit
    limit: int = settings.CLINICS_PER_PRACTITIONER
    return limit


def _check_clinic_limit(practitioner: Practitioner) -> None:
    # The practitioner's row is locked, so two clinics added at once are counted in turn.
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    limit = clinic_limit(locked)
    if locked.locations.count() >= limit:
        raise ValidationError(
            {
                "clinic_name": ngettext(
                    "You already have %(limit)d clinic, as many as a profile may list. "
                    "Remove it first, or ask us to allow more.",
                    "You already have %(limit)d clinics, as many as a profile may list. "
                    "Remove one first, or ask us to allow more.",
                    limit,
                )
                % {"limit": limit}
            },
            code="too_many_clinics",
        )


def location_delete(*, location: Location) -> None:
    location.delete()


def location_place(*, location: Location) -> None:
    """Decide where a clinic about to be saved sits. Coordinates that were typed or moved
    are kept as an exact pin; otherwise a new or changed address (or a clinic without a
    pin) is geocoded. Does not save."""
    stored = Location.objects.filter(pk=location.pk).first() if location.pk else None
    pin_moved = location.latitude is not None and (
        stored is None
        or (location.latitude, location.longitude) != (stored.latitude, stored.longitude)
    )
    address_changed = stored is None or any(
        getattr(stored, name) != getattr(location, name) for name in ADDRESS_FIELDS
    )
    if pin_moved:
        location.geocode_precision = GeocodePrecision.ROOFTOP
        location.geocode_retry = False
    elif address_changed or location.latitude is None:
        location_geocode(location=location)
    # The clock its opening hours keep follows wherever the clinic now sits.
    location.time_zone = hours.time_zone_at(location.latitude, location.longitude)


def location_geocode(*, location: Location) -> None:
    """Place a clinic from its address (online geocoder when configured, otherwise the
    gazetteer's postal code or city) and record the precision reached. When the online
    geocoder failed, the clinic is marked for `geocode_clinics` to ask again. Does not save."""
    answer = geocoding.geocode_address(
        address=location.address,
        city=location.city,
        region=location.region,
        postal_code=location.postal_code,
        country=location.country,
    )
    location.geocode_retry = answer.online_failed
    found = answer.found
    if found is None:
        location.latitude = location.longitude = None
        location.geocode_precision = GeocodePrecision.NONE
    else:
        location.latitude, location.longitude = found.latitude, found.longitude
        location.geocode_precision = found.precision


@dataclass
class GeocodeRetryReport:
    placed: Counter[str] = field(default_factory=Counter)  # by precision reached
    unchanged: int = 0  # the geocoder answered, but knows no better point
    edited: int = 0  # changed by its practitioner meanwhile; that save placed it
    still_failing: bool = False  # stopped: the geocoder failed again
    waiting: int = 0  # clinics still marked for a retry after this run


def locations_geocode_retry(*, limit: int = 100) -> GeocodeRetryReport:
    """Ask the online geocoder again about clinics it failed to place (oldest first, at
    most `limit`). Stops at the first failure: the geocoder is still away, and the rest
    wait for the next run. A clinic edited in the meantime is left as that edit placed it."""
    report = GeocodeRetryReport()
    if settings.GEOCODER:
        for location in Location.objects.filter(geocode_retry=True).order_by("id")[:limit]:
            before = (location.latitude, location.longitude, location.geocode_precision)
            location_geocode(location=location)  # over the network: outside any transaction
            if location.geocode_retry:
                report.still_failing = True
                break
            after = (location.latitude, location.longitude, location.geocode_precision)
            # Only if nobody changed the address or moved the pin since it was read.
            updated = Location.objects.filter(
                pk=location.pk,
                geocode_retry=True,
                **{name: getattr(location, name) for name in ADDRESS_FIELDS},
            ).update(
                latitude=location.latitude,
                longitude=location.longitude,
                geocode_precision=location.geocode_precision,
                geocode_retry=False,
                time_zone=hours.time_zone_at(location.latitude, location.longitude),
            )
            if not updated:
                report.edited += 1
            elif after == before:
                report.unchanged += 1
            else:
                report.placed[location.geocode_precision] += 1
    report.waiting = Location.objects.filter(geocode_retry=True).count()
    return report
