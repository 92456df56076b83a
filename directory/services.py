"""Operations on the directory that touch several models. Views, admin actions, commands
and the API call these; none of them writes a status or an event directly."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.emails import email_after_commit
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

Credential = License | Certification


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


ADDRESS_FIELDS = ("address", "city", "region", "postal_code", "country")


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
            )
            if not updated:
                report.edited += 1
            elif after == before:
                report.unchanged += 1
            else:
                report.placed[location.geocode_precision] += 1
    report.waiting = Location.objects.filter(geocode_retry=True).count()
    return report


def credential_label(credential: Credential) -> str:
    """How a credential is named to its holder, e.g. "L.Ac. license AC12345 (US-CA)"."""
    if isinstance(credential, License):
        return f"{credential.license_type} license {credential.number} ({credential.jurisdiction})"
    return f"{credential.body} {credential.credential} certification {credential.number}"


# How a changed field is named in the event that sends a credential back to review.
CHANGE_NAMES = {
    "country": "jurisdiction",
    "region": "jurisdiction",
    "license_type": "type",
    "issued_on": "issue date",
    "expires_on": "expiry date",
    "body": "certifying body",
}


@transaction.atomic
def credential_save(*, credential: Credential, by: User | None) -> Credential:
    """Save a practitioner's new or edited license or certification, which carries the
    edits (from a form or a serializer). A new one enters review as pending. An edit to a
    key field (jurisdiction, type, number, dates) or a new document sends a decided one
    back to pending, with the event that says why. Status, verification date and source
    are never taken from the edit. Raises ValidationError and saves nothing when invalid."""
    model = type(credential)
    stored = model.objects.select_for_update().filter(pk=credential.pk).first()
    new_document = bool(credential.document) and (
        stored is None or credential.document.name != stored.document.name
    )
    if stored is None and not credential.document:
        raise ValidationError({"document": "Upload a scan of the document (PDF, PNG or JPEG)."})
    credential.full_clean(exclude=[] if new_document else ["document"])
    decided_by_staff = ("status", "verified_on", "source")
    for name in decided_by_staff:
        fresh = model._meta.get_field(name).get_default()
        setattr(credential, name, getattr(stored, name) if stored else fresh)
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError as error:
        # Lost a race with another account saving the same number at the same moment.
        raise ValidationError({"number": "This number is already listed."}) from error
    if stored is None:
        credential_record_submission(credential=credential, by=by)
        return credential
    if new_document and stored.document:
        old_name, storage = stored.document.name, stored.document.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    changed = [
        CHANGE_NAMES.get(name, name)
        for name in [*model.KEY_FIELDS, "document"]
        if (name == "document" and new_document)
        or (name != "document" and getattr(stored, name) != getattr(credential, name))
    ]
    changed = list(dict.fromkeys(changed))  # country and region are one jurisdiction
    if changed and credential.status != CredentialStatus.PENDING:
        credential_change_status(
            credential=credential,
            to_status=CredentialStatus.PENDING,
            by=by,
            reason=f"Changed by the practitioner ({', '.join(changed)}); back in review.",
        )
    return credential


# Each staff decision: the statuses it may follow, the status it leads to, and its past tense.
DECISIONS: dict[str, tuple[set[str], CredentialStatus, str]] = {
    "approve": ({CredentialStatus.PENDING}, CredentialStatus.VERIFIED, "approved"),
    "reject": ({CredentialStatus.PENDING}, CredentialStatus.REJECTED, "rejected"),
    "revoke": ({CredentialStatus.VERIFIED}, CredentialStatus.REVOKED, "revoked"),
    "reopen": (
        {CredentialStatus.REJECTED, CredentialStatus.REVOKED},
        CredentialStatus.PENDING,
        "re-opened",
    ),
}


def _decide(
    *,
    credential: Credential,
    decision: str,
    by: User,
    reason: str = "",
    source: str = "",
    checked_on: datetime.date | None = None,
) -> VerificationEvent:
    allowed_from, to_status, done = DECISIONS[decision]
    # Lock the row so two reviewers cannot decide on the same credential at once.
    current = (
        type(credential)
        .objects.select_for_update(of=("self",))
        .select_related("practitioner__owner")
        .get(pk=credential.pk)
    )
    if current.practitioner.owner_id is not None and current.practitioner.owner_id == by.pk:
        raise ValidationError("You cannot decide on your own credential; ask another reviewer.")
    if current.status not in allowed_from:
        raise ValidationError(
            f"This credential is {current.get_status_display().lower()}; it cannot be {done} now."
        )
    event = credential_change_status(
        credential=current,
        to_status=to_status,
        by=by,
        reason=reason.strip(),
        source=source.strip(),
        checked_on=checked_on,
    )
    credential.refresh_from_db()
    owner = current.practitioner.owner
    if owner is not None:
        email_after_commit(
            to=owner.email,
            subject=f"{credential_label(current)}: {current.get_status_display().lower()}",
            template=f"credential_{decision}",
            context={"credential": current, "label": credential_label(current), "event": event},
        )
    return event


@transaction.atomic
def credential_approve(
    *, credential: Credential, by: User, source: str, checked_on: datetime.date
) -> VerificationEvent:
    """Verified against `source` (a board look-up URL or register reference) on `checked_on`."""
    errors = {}
    if not source.strip():
        errors["source"] = "Name the primary source you checked (its look-up URL or register)."
    if checked_on is None:
        errors["checked_on"] = "Give the date you checked the source."
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "The date checked cannot be in the future."
    if errors:
        raise ValidationError(errors)
    return _decide(
        credential=credential, decision="approve", by=by, source=source, checked_on=checked_on
    )


@transaction.atomic
def credential_reject(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """Not verified; `reason` is shown to the practitioner."""
    _require_reason(reason)
    return _decide(credential=credential, decision="reject", by=by, reason=reason)


@transaction.atomic
def credential_revoke(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """A verified credential no longer holds (e.g. the board suspended it)."""
    _require_reason(reason)
    return _decide(credential=credential, decision="revoke", by=by, reason=reason)


@transaction.atomic
def credential_reopen(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """Put a rejected or revoked credential back in the review queue."""
    _require_reason(reason)
    return _decide(credential=credential, decision="reopen", by=by, reason=reason)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason; the practitioner will read it."})
