"""Operations on credentials and claims. The dashboard, /api/v1/me/, the admin, the review
queue and the demo call these; every status change goes through credentialing.rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext

from common.emails import email_after_commit, in_language_of
from credentialing import certification_bodies
from credentialing.access import is_reviewer
from credentialing.models import (
    Certification,
    License,
    ProfileClaim,
    ProfileClaimStatus,
    VerificationEvent,
)
from credentialing.models import CredentialStatus as Status
from credentialing.rules import Actor, Credential, TransitionRefused, credential_transition

if TYPE_CHECKING:
    from accounts.models import User

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
    """Save a new or edited license or certification, which carries the edits (from a
    form, a serializer or the admin). A new one enters review as pending. An edit to a key
    field (jurisdiction, type, number, dates) or a new document sends a decided one back
    to pending, with the event that says why. Status, verification date and source are
    never taken from the edit. A new credential needs a supporting document, unless a
    reviewer enters it on someone else's profile (in the admin, typing what they read at
    the primary source). Raises ValidationError and saves nothing when invalid."""
    model = type(credential)
    if isinstance(credential, Certification):
        # One spelling per body, whoever writes it (form, API, admin): "nccaom" is NCCAOM.
        credential.body = certification_bodies.canonical(credential.body) or credential.body
    by_holder = by is None or credential.practitioner.owner_id == by.pk
    document_required = by_holder or not is_reviewer(by)
    stored = model.objects.select_for_update().filter(pk=credential.pk).first()
    new_document = bool(credential.document) and (
        stored is None or credential.document.name != stored.document.name
    )
    if stored is None and not credential.document and document_required:
        raise ValidationError(
            {"document": gettext("Upload a scan of the document (PDF, PNG or JPEG).")}
        )
    credential.full_clean(exclude=[] if new_document else ["document"])
    for name in ("status", "verified_on", "source"):  # decided only through the rulebook
        field = model._meta.get_field(name)
        assert isinstance(field, Field)  # a concrete field, not a relation
        fresh = field.get_default()
        setattr(credential, name, getattr(stored, name) if stored else fresh)
    try:
        with transaction.atomic():
            if stored is None:
                credential_transition(
                    credential=credential,
                    to_status=Status.PENDING,
                    by=Actor.editor(by),
                    reason="Submitted for verification.",
                )
                return credential
            credential.save()
    except IntegrityError as error:
        # Lost a race with another account saving the same number at the same moment.
        raise ValidationError({"number": gettext("This number is already listed.")}) from error
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
    if changed and credential.status != Status.PENDING:
        who = "the practitioner" if by_holder else "staff"
        credential_transition(
            credential=credential,
            to_status=Status.PENDING,
            by=Actor.editor(by),
            reason=f"Changed by {who} ({', '.join(changed)}); back in review.",
        )
    return credential


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision: the status it leads to, its past tense (in English, for
    code; the refusal message is written whole, per decision, for translators), and what
    it needs (a primary source and the date checked, or a reason the practitioner reads)."""

    to_status: Status
    done: str
    needs_source: bool = False


DECISIONS: dict[str, Decision] = {
    "approve": Decision(Status.VERIFIED, "approved", needs_source=True),
    "reject": Decision(Status.REJECTED, "rejected"),
    "revoke": Decision(Status.REVOKED, "revoked"),
    "reopen": Decision(Status.PENDING, "re-opened"),
}


@transaction.atomic
def credential_decide(
    *,
    credential: Credential,
    decision: str,
    by: User,
    reason: str = "",
    source: str = "",
    checked_on: datetime.date | None = None,
) -> VerificationEvent:
    """Record a reviewer's decision (one of DECISIONS) and email the practitioner once it
    commits. Raises ValidationError, changing nothing, when the decision is incomplete or
    does not apply to the credential as it stands."""
    chosen = DECISIONS[decision]
    reason, source = reason.strip(), source.strip()
    errors = {}
    if chosen.needs_source:
        if not source:
            errors["source"] = gettext(
                "Name the primary source you checked (its look-up URL or register)."
            )
        if checked_on is None:
            errors["checked_on"] = gettext("Give the date you checked the source.")
        elif checked_on > timezone.localdate():
            errors["checked_on"] = gettext("The date checked cannot be in the future.")
    elif not reason:
        errors["reason"] = gettext("Give a reason; the practitioner will read it.")
    if errors:
        raise ValidationError(errors)
    current = type(credential).objects.select_related("practitioner__owner").get(pk=credential.pk)
    if current.practitioner.owner_id is not None and current.practitioner.owner_id == by.pk:
        raise ValidationError(
            gettext("You cannot decide on your own credential; ask another reviewer.")
        )
    try:
        # The rulebook locks the row, so two reviewers cannot decide on the same credential
        # at once: the second is judged by the status the first left.
        event = credential_transition(
            credential=current,
            to_status=chosen.to_status,
            by=Actor.reviewer(by),
            reason=reason,
            source=source,
            checked_on=checked_on,
        )
    except TransitionRefused as refused:
        refusals = {
            "approve": gettext("This credential is %(status)s; it cannot be approved now."),
            "reject": gettext("This credential is %(status)s; it cannot be rejected now."),
            "revoke": gettext("This credential is %(status)s; it cannot be revoked now."),
            "reopen": gettext("This credential is %(status)s; it cannot be re-opened now."),
        }
        found = str(Status(refused.from_status).label).lower()
        raise ValidationError(refusals[decision] % {"status": found}) from None
    credential.refresh_from_db()
    owner = current.practitioner.owner
    if owner is not None:
        with in_language_of(owner):
            email_after_commit(
                to=owner.email,
                subject=gettext("%(credential)s: %(status)s")
                % {"credential": current.label, "status": current.get_status_display().lower()},
                template=f"credentialing/email/credential_{decision}.txt",
                context={"credential": current, "label": current.label, "event": event},
            )
    return event


def credential_approve(
    *, credential: Credential, by: User, source: str, checked_on: datetime.date | None
) -> VerificationEvent:
    """Verified against `source` (a board look-up URL or register reference) on `checked_on`."""
    return credential_decide(
        credential=credential, decision="approve", by=by, source=source, checked_on=checked_on
    )


def credential_reject(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """Not verified; `reason` is shown to the practitioner."""
    return credential_decide(credential=credential, decision="reject", by=by, reason=reason)


def credential_revoke(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """A verified credential no longer holds (e.g. the board suspended it)."""
    return credential_decide(credential=credential, decision="revoke", by=by, reason=reason)


def credential_reopen(*, credential: Credential, by: User, reason: str) -> VerificationEvent:
    """Put a rejected or revoked credential back in the review queue."""
    return credential_decide(credential=credential, decision="reopen", by=by, reason=reason)


# ---- Claims on unclaimed profiles ----


def _normalise_number(number: str) -> str:
    return "".join(number.split()).upper()


def _has_profile(user_id: int) -> bool:
    return get_user_model().objects.filter(pk=user_id, practitioner__isnull=False).exists()


@transaction.atomic
def practitioner_claim(*, claimant: User, country: str, region: str, number: str) -> ProfileClaim:
    """Ask to control the unclaimed profile that holds license `number` in the
    jurisdiction given. Staff review the claim before anything changes hands."""
    claimant = get_user_model().objects.select_for_update().get(pk=claimant.pk)
    if _has_profile(claimant.pk):
        raise ValidationError(gettext("This account already has a profile."))
    if ProfileClaim.objects.filter(claimant=claimant, status=ProfileClaimStatus.PENDING).exists():
        raise ValidationError(gettext("You already have a claim waiting for review."))
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
                "number": gettext(
                    "No unclaimed profile holds this license number in this "
                    "jurisdiction. Check both, or create a new profile instead."
                )
            }
        )
    return ProfileClaim.objects.create(
        practitioner=license.practitioner, claimant=claimant, license=license
    )


def _pending_claim(claim: ProfileClaim) -> ProfileClaim:
    current = (
        ProfileClaim.objects.select_for_update(of=("self", "practitioner"))
        .select_related("practitioner")
        .get(pk=claim.pk)
    )
    if current.status != ProfileClaimStatus.PENDING:
        status = current.get_status_display().lower()
        raise ValidationError(gettext("This claim is already %(status)s.") % {"status": status})
    return current


@transaction.atomic
def claim_withdraw(*, claim: ProfileClaim) -> ProfileClaim:
    current = _pending_claim(claim)
    current.status = ProfileClaimStatus.WITHDRAWN
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_at"])
    return current


@transaction.atomic
def claim_approve(*, claim: ProfileClaim, by: User) -> ProfileClaim:
    """Hand the profile to the claimant. Other pending claims on it are rejected."""
    current = _pending_claim(claim)  # locks the profile too
    if current.claimant_id == by.pk:
        raise ValidationError(gettext("You cannot approve your own claim; ask another reviewer."))
    practitioner = current.practitioner
    if practitioner.owner_id is not None:
        raise ValidationError(gettext("This profile already belongs to an account."))
    if _has_profile(current.claimant_id):
        raise ValidationError(gettext("The claimant's account already has a profile."))
    practitioner.owner_id = current.claimant_id
    practitioner.save(update_fields=["owner", "updated_at"])
    _claim_decide(current, ProfileClaimStatus.APPROVED, by=by, reason="")
    rivals = ProfileClaim.objects.filter(
        practitioner=practitioner, status=ProfileClaimStatus.PENDING
    )
    for rival in rivals:
        reason = "Another account's claim was approved."
        _claim_decide(rival, ProfileClaimStatus.REJECTED, by=by, reason=reason)
    return current


@transaction.atomic
def claim_reject(*, claim: ProfileClaim, by: User, reason: str) -> ProfileClaim:
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give a reason; the claimant will read it.")})
    current = _pending_claim(claim)
    _claim_decide(current, ProfileClaimStatus.REJECTED, by=by, reason=reason.strip())
    return current


def _claim_decide(
    claim: ProfileClaim, status: ProfileClaimStatus, *, by: User, reason: str
) -> None:
    claim.status, claim.reason = status, reason
    claim.decided_by, claim.decided_at = by, timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    with in_language_of(claim.claimant):
        email_after_commit(
            to=claim.claimant.email,
            subject=gettext("claim on %(name)s's profile %(status)s")
            % {"name": claim.practitioner.full_name, "status": str(status.label).lower()},
            template=f"credentialing/email/claim_{status}.txt",
            context={"claim": claim},
        )
