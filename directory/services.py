"""Operations on clinics that touch several models or the network: placing a clinic from
its address, and asking the online geocoder again about clinics it failed to place.
Views, the admin, commands and the API call these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field

from django.conf import settings

from directory import geocoding, hours
from directory.models import GeocodePrecision, Location, OpeningInterval

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
