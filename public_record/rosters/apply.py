"""Applying a board roster to Meridian's licenses, through the rulebook. For each roster row
matched to a license (same jurisdiction, same normalised number):
- the names agree and the board says active (or probation) -> verified, source
  "<board> roster of <date>", checked on the file's date, expiry from the roster;
- lapsed or expired -> its expiry is set from the roster (the listing rule does the rest);
- suspended, revoked or surrendered -> revoked (rejected while still pending), with the
  board's words as the reason;
- probation or a public board action -> a note on the public profile;
- the names disagree -> nothing changes; a discrepancy for staff names both.
A complete roster flags the verified licenses of its jurisdictions it lacks ("not in the
latest roster"), never revoking them. The whole file is one transaction."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from credentialing.models import CredentialStatus, License
from credentialing.rules import Actor, credential_transition
from credentialing.source_models import Discrepancy, DiscrepancyKind, ImportedFile, SourceKind
from public_record import rosters
from public_record.exclusions import name_key
from public_record.rosters import Layout, RosterRow


@dataclass
class RosterReport:
    source: str
    rows: int = 0
    matched: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        outcomes = ", ".join(f"{name} {n}" for name, n in sorted(self.outcomes.items()))
        return (
            f"{self.source}: {self.rows} rows read, {self.matched} matched a license in "
            f"Meridian{f'; {outcomes}' if outcomes else '; nothing changed'}."
        )


def roster_import(
    *, layout_name: str, path: Path, file_date: datetime.date | None = None
) -> RosterReport:
    """Apply one roster file; RosterFileError, with nothing changed, for a bad file."""
    layout = rosters.load_layout(layout_name)
    rows = rosters.read(path, layout)  # every line checked before anything is written
    day = file_date or datetime.date.fromtimestamp(path.stat().st_mtime)
    source = f"{layout.board} roster of {day:%-d %b %Y}"
    report = RosterReport(source=source)
    actor = Actor.process(f"{layout.board} roster of {day:%Y-%m-%d}")
    jurisdictions = {(row.country, row.region) for row in rows}
    licenses: dict[tuple[str, str, str], list[License]] = {}
    for license in License.objects.filter(
        country__in={country for country, _ in jurisdictions}
    ).select_related("practitioner"):
        if (license.country, license.region) in jurisdictions:
            key = (license.country, license.region, layout.normalise(license.number))
            licenses.setdefault(key, []).append(license)
    with transaction.atomic():
        found_in = ImportedFile.objects.create(
            source=SourceKind.ROSTER, name=path.name, file_date=day
        )
        seen: set[int] = set()
        for row in rows:
            report.rows += 1
            for license in licenses.get((row.country, row.region, row.number), []):
                report.matched += 1
                seen.add(license.pk)
                outcome = _apply(license, row, layout, actor, source, day, found_in)
                report.outcomes[outcome] += 1
        if layout.complete:
            for license in License.objects.filter(status=CredentialStatus.VERIFIED):
                if (license.country, license.region) in jurisdictions and license.pk not in seen:
                    created = _flag(
                        license,
                        DiscrepancyKind.NOT_IN_ROSTER,
                        "license",
                        license.label,
                        f"not in the {source}",
                        found_in,
                    )
                    if created:
                        report.outcomes["not in the roster (flagged)"] += 1
        found_in.counts = {"rows": report.rows, "matched": report.matched, **report.outcomes}
        found_in.save(update_fields=["counts"])
    return report


def _apply(
    license: License,
    row: RosterRow,
    layout: Layout,
    actor: Actor,
    source: str,
    day: datetime.date,
    found_in: ImportedFile,
) -> str:
    practitioner = license.practitioner
    if not _names_agree(practitioner.last_name, practitioner.first_name, row):
        theirs = f"{row.first_name} {row.last_name}".strip()
        created = _flag(
            license, DiscrepancyKind.ROSTER_NAME, "name", practitioner.full_name, theirs, found_in
        )
        return "name differs (for staff)" if created else "unchanged"
    note = row.board_action or (
        f"probation ({row.status_word})" if row.meaning == "probation" else ""
    )
    changed = _note(license, note, layout.board_url)
    if row.meaning in {"active", "probation"}:
        if license.status == CredentialStatus.PENDING:
            if row.expires_on:
                license.expires_on = row.expires_on
            license.issued_on = row.issued_on or license.issued_on
            license.save(update_fields=["expires_on", "issued_on", "updated_at"])
            credential_transition(
                credential=license,
                to_status=CredentialStatus.VERIFIED,
                by=actor,
                reason=f"The board lists it as {row.status_word}.",
                source=source,
                checked_on=day,
            )
            return "verified"
        if license.status == CredentialStatus.VERIFIED:
            # Confirmed again, recorded in the log as a re-verification: the day a primary
            # source last confirmed it (never moved back by an older file) and the expiry.
            expires_on = row.expires_on or license.expires_on
            older = license.verified_on is not None and day < license.verified_on
            if older or (expires_on, day) == (license.expires_on, license.verified_on):
                return "noted" if changed else "unchanged"
            license.expires_on = expires_on
            license.save(update_fields=["expires_on", "updated_at"])
            credential_transition(
                credential=license,
                to_status=CredentialStatus.VERIFIED,
                by=actor,
                reason=f"The board lists it as {row.status_word} again.",
                source=source,
                checked_on=day,
            )
            return "confirmed again"
        return "noted" if changed else "unchanged"
    if row.meaning == "lapsed":
        if row.expires_on and license.expires_on != row.expires_on:
            license.expires_on = row.expires_on
            license.save(update_fields=["expires_on", "updated_at"])
            return "lapsed (expiry set)"
        return "unchanged"
    # suspended or revoked
    targets: dict[str, CredentialStatus] = {
        CredentialStatus.VERIFIED: CredentialStatus.REVOKED,
        CredentialStatus.PENDING: CredentialStatus.REJECTED,
    }
    target = targets.get(license.status)
    if target is None:
        return "unchanged"
    credential_transition(
        credential=license,
        to_status=target,
        by=actor,
        reason=f"The board lists this license as {row.status_word}.",
        source=source,
        checked_on=day,
    )
    return "revoked" if target == CredentialStatus.REVOKED else "rejected"


def _names_agree(last: str, first: str, row: RosterRow) -> bool:
    """Last names equal and first initials equal, ignoring case, accents, punctuation and
    middle names."""
    ours_last, ours_first = name_key(last, first)
    theirs_last, theirs_first = name_key(row.last_name, row.first_name)
    return ours_last == theirs_last and ours_first[:1] == theirs_first[:1]


def _note(license: License, note: str, url: str) -> bool:
    if (license.board_action, license.board_url) == (note[:300], url):
        return False
    license.board_action, license.board_url = note[:300], url
    license.save(update_fields=["board_action", "board_url", "updated_at"])
    return True


def _flag(
    license: License,
    kind: DiscrepancyKind,
    name: str,
    ours: str,
    theirs: str,
    found_in: ImportedFile,
) -> int:
    _, created = Discrepancy.objects.get_or_create(
        practitioner_id=license.practitioner_id,
        kind=kind,
        field=f"{name} ({license.label})"[:60],
        theirs=theirs[:300],
        resolved_at=None,
        defaults={"ours": ours[:300], "found_in": found_in},
    )
    return int(created)
