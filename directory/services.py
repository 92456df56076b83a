"""Operations on the directory that touch several models. Views, admin actions, commands
and the API call these; none of them writes a status or an event directly."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import User
from directory import geocoding
from directory.models import (
    Certification,
    CredentialStatus,
    GeocodePrecision,
    License,
    Location,
    VerificationEvent,
)


def credential_record_submission(
    *, credential: License | Certification, by: User | None
) -> VerificationEvent:
    """Record that a credential entered the review queue as pending."""
    return VerificationEvent.objects.create(
        license=credential if isinstance(credential, License) else None,
        certification=credential if isinstance(credential, Certification) else None,
        actor=by,
        from_status="",
        to_status=credential.status,
        reason="Submitted for verification.",
    )


@transaction.atomic
def credential_change_status(
    *,
    credential: License | Certification,
    to_status: CredentialStatus,
    by: User | None,
    reason: str = "",
    source: str = "",
    checked_on: datetime.date | None = None,
) -> VerificationEvent:
    """Move a credential to `to_status` and record the decision in the same transaction."""
    from_status = credential.status
    credential.status = to_status
    if to_status == CredentialStatus.VERIFIED:
        credential.source = source
        credential.verified_on = checked_on
    credential.save(update_fields=["status", "source", "verified_on", "updated_at"])
    return VerificationEvent.objects.create(
        license=credential if isinstance(credential, License) else None,
        certification=credential if isinstance(credential, Certification) else None,
        actor=by,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        source=source,
        checked_on=checked_on,
    )


def location_geocode(*, location: Location) -> None:
    """Place a clinic from its address (online geocoder when configured, otherwise the
    gazetteer's postal code or city) and record the precision reached. Does not save."""
    found = geocoding.geocode_address(
        address=location.address,
        city=location.city,
        region=location.region,
        postal_code=location.postal_code,
        country=location.country,
    )
    if found is None:
        location.latitude = location.longitude = None
        location.geocode_precision = GeocodePrecision.NONE
    else:
        location.latitude, location.longitude = found.latitude, found.longitude
        location.geocode_precision = found.precision
