"""The one rulebook for a credential's status. `credential_transition` is the only code
that sets a credential's `status`: it checks the move against TRANSITIONS and writes the
VerificationEvent in the same transaction. The database backs this up: it refuses any
UPDATE of a status without a matching event written in the same transaction, whatever
client sends it (credentialing/sql/status_needs_event.sql)."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from common.bulk import copy_rows
from credentialing.models import Certification, CredentialStatus, License, VerificationEvent

if TYPE_CHECKING:
    from accounts.models import User

Credential = License | Certification
SUBMITTED = ""  # the "from" of a credential that enters the log for the first time


class Role(enum.Enum):
    REVIEWER = "a reviewer's decision"
    EDITOR = "an edit of the credential's details"  # its holder, or staff in the admin
    SYSTEM = "the system"  # demo data; the automatic sources to come


@dataclass(frozen=True)
class Actor:
    """Who moves a status: a reviewer or an editing account (`user`), or a named system
    process (`system`, e.g. "demo data"), which is recorded in the event."""

    role: Role
    user: User | None = None
    system: str = ""

    @classmethod
    def reviewer(cls, user: User) -> Actor:
        return cls(Role.REVIEWER, user=user)

    @classmethod
    def editor(cls, user: User | None) -> Actor:
        return cls(Role.EDITOR, user=user)

    @classmethod
    def process(cls, name: str) -> Actor:
        return cls(Role.SYSTEM, system=name)


P, V, R, X = (
    CredentialStatus.PENDING,
    CredentialStatus.VERIFIED,
    CredentialStatus.REJECTED,
    CredentialStatus.REVOKED,
)

# Every allowed move (from, to) and who may make it. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], set[Role]] = {
    (SUBMITTED, P): {Role.EDITOR, Role.SYSTEM},  # a new credential enters review
    (P, V): {Role.REVIEWER, Role.SYSTEM},  # approved against a primary source
    (P, R): {Role.REVIEWER, Role.SYSTEM},  # rejected, with a reason for the holder
    (V, X): {Role.REVIEWER, Role.SYSTEM},  # revoked: it no longer holds
    (V, V): {Role.REVIEWER, Role.SYSTEM},  # confirmed again by a primary source (re-verified)
    (R, P): {Role.REVIEWER, Role.EDITOR},  # re-opened, or corrected by its holder
    (X, P): {Role.REVIEWER, Role.EDITOR},
    (V, P): {Role.EDITOR},  # a key detail changed: verified again before it counts
}


class TransitionRefused(ValidationError):
    """A move the rulebook does not allow to this actor. `from_status` is the status the
    row held under its lock ("" for a credential not yet saved), for callers that say it
    in their own words."""

    def __init__(self, *, from_status: str, to_status: str, role: Role) -> None:
        current = CredentialStatus(from_status).label.lower() if from_status else "new"
        super().__init__(
            f"This credential is {current}; {role.value} cannot make it "
            f"{CredentialStatus(to_status).label.lower()}."
        )
        self.from_status = from_status


@transaction.atomic
def credential_transition(
    *,
    credential: Credential,
    to_status: CredentialStatus,
    by: Actor,
    reason: str = "",
    source: str = "",
    checked_on: datetime.date | None = None,
) -> VerificationEvent:
    """Move `credential` to `to_status` and record who, why and against what source. A
    credential not yet saved is inserted (as pending: the only way in). A verification
    stores its source and date on the credential too. Raises TransitionRefused for a move
    the rulebook does not allow, ValidationError for a verification without an expiry."""
    new = credential.pk is None
    if new:
        from_status = SUBMITTED
    else:
        # Lock the row and read its status as stored: two decisions on one credential
        # queue up here, and the second is judged by what the first left.
        from_status = (
            type(credential)
            .objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=credential.pk)
        )
    if by.role not in TRANSITIONS.get((from_status, to_status), set()):
        raise TransitionRefused(from_status=from_status, to_status=to_status, role=by.role)
    if to_status == CredentialStatus.VERIFIED and credential.expires_on is None:
        raise ValidationError("Enter the expiry date before verifying this credential.")
    credential.status = to_status
    if to_status == CredentialStatus.VERIFIED:
        credential.source, credential.verified_on = source, checked_on
    if new:
        credential.save()
    event = VerificationEvent.objects.create(
        **credential.event_link(),
        actor=by.user if by.role is not Role.SYSTEM else None,
        system_actor=by.system if by.role is Role.SYSTEM else "",
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        source=source,
        checked_on=checked_on,
    )
    if not new:
        # After the event: the database checks, statement by statement, that a status
        # change has its event in this transaction.
        credential.save(update_fields=["status", "source", "verified_on", "updated_at"])
    return event


@transaction.atomic
def credentials_enter(
    *,
    kind: type[Credential],
    rows: list[dict],
    by: Actor,
    reason: str = "",
    source: str = "",
) -> list[int]:
    """Insert many new credentials of one kind at once, as pending, each with its event:
    the same move as `credential_transition` from new to pending, for bulk imports (NPPES).
    `rows` hold field values by attname (see common.bulk.copy_rows); the new keys, in order."""
    if by.role not in TRANSITIONS[(SUBMITTED, P)]:
        raise ValidationError(f"{by.role.value} cannot enter credentials.")
    if any("status" in row for row in rows):
        raise ValueError("credentials_enter sets the status itself: pending")
    keys = copy_rows(kind, [{**row, "status": P} for row in rows])
    system_actor = by.system if by.role is Role.SYSTEM else ""
    actor_id = by.user.pk if by.role is not Role.SYSTEM else None
    link = f"{kind.kind}_id"
    copy_rows(
        VerificationEvent,
        [
            {
                link: key,
                "system_actor": system_actor,
                "actor_id": actor_id,
                "from_status": SUBMITTED,
                "to_status": P,
                "reason": reason,
                "source": source,
            }
            for key in keys
        ],
    )
    return keys
