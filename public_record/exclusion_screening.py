"""Screening practitioners against the US federal exclusion list (LEIE), as read by
public_record.exclusions. An exact NPI match without reinstatement takes the practitioner
out of search the same day (the exclusion clause of the listing rule,
directory/sql/listing_rule.sql); a match on name and state, where the list or the
practitioner has no NPI, is only a possible match for staff. A reinstatement (in a
supplement, or an NPI gone from the whole list) lifts the exclusion. The matches are
ExclusionMatch rows, kept in credentialing for the review queue and the public profile."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from credentialing.models import License
from credentialing.source_models import (
    DELISTING,
    ExclusionMatch,
    ExclusionStatus,
    ImportedFile,
    SourceKind,
)
from directory.models import Location, Practitioner
from public_record import exclusions
from public_record.exclusions import Entry, ListKind, MalformedEntry

MESSAGES_KEPT = 50
CHUNK = 2000  # rows fetched at a time while building the name index


@dataclass
class ScreenReport:
    file_date: datetime.date
    kind: ListKind
    read: int = 0
    malformed: int = 0
    excluded: int = 0
    possible: int = 0
    reinstated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        names = ["read", "malformed", "excluded", "possible", "reinstated", "unchanged"]
        return {name: getattr(self, name) for name in names}

    def summary(self) -> str:
        return (
            f"LEIE file of {self.file_date:%Y-%m-%d} ({self.kind.value}): {self.read} rows "
            f"read, {self.malformed} malformed (skipped); {self.excluded} practitioners "
            f"excluded (out of search), {self.possible} possible matches for staff, "
            f"{self.reinstated} reinstated, {self.unchanged} matches unchanged."
        )


def exclusions_screen(*, path: Path, file_date: datetime.date | None = None) -> ScreenReport:
    """Screen every practitioner against one LEIE file. Raises ExclusionFileError, having
    written nothing, for a file that is not the LEIE."""
    kind = exclusions.list_kind(path)
    today = timezone.localdate()
    day = file_date or exclusions.supplement_month(path) or today
    report = ScreenReport(file_date=day, kind=kind)
    rows = list(exclusions.entries(path))  # reads (and refuses) the whole file first
    by_npi = dict(Practitioner.objects.exclude(npi="").values_list("npi", "pk"))
    by_name = _name_index()
    with transaction.atomic():
        found_in = ImportedFile.objects.create(
            source=SourceKind.EXCLUSIONS, name=path.name, file_date=day
        )
        listed_npis = set()
        for row in rows:
            report.read += 1
            if isinstance(row, MalformedEntry):
                report.malformed += 1
                if len(report.problems) < MESSAGES_KEPT:
                    report.problems.append(str(row))
                continue
            if row.npi:
                listed_npis.add(row.npi)
            if kind is ListKind.REINSTATEMENTS or row.reinstated_on is not None:
                _reinstate(row, row.reinstated_on or day, report)
                continue
            if row.npi in by_npi:
                _match(by_npi[row.npi], row, ExclusionStatus.EXCLUDED, today, found_in, report)
                continue
            for practitioner_id, has_npi in by_name.get(_key(row), []):
                if row.npi and has_npi:
                    continue  # both have NPIs and they differ: not the same person
                _match(practitioner_id, row, ExclusionStatus.POSSIBLE, today, found_in, report)
        if kind is ListKind.FULL and report.malformed:
            # A row that could not be read may be one of the NPIs not seen: none is taken
            # as reinstated until the whole list reads cleanly.
            report.problems.append(
                f"no NPI taken off the list as reinstated: {report.malformed} rows unread"
            )
        elif kind is ListKind.FULL:
            # Off the whole list means reinstated.
            gone = ExclusionMatch.objects.filter(status__in=DELISTING).exclude(
                entry_npi__in=listed_npis
            )
            gone = gone.exclude(entry_npi="")
            report.reinstated += gone.update(
                status=ExclusionStatus.REINSTATED, reinstated_on=day, updated_at=timezone.now()
            )
        found_in.counts = report.counts
        found_in.save(update_fields=["counts"])
    return report


def _match(
    practitioner_id: int,
    entry: Entry,
    status: ExclusionStatus,
    today: datetime.date,
    found_in: ImportedFile,
    report: ScreenReport,
) -> None:
    _, created = ExclusionMatch.objects.get_or_create(
        practitioner_id=practitioner_id,
        entry_name=entry.name,
        excluded_on=entry.excluded_on,
        defaults={
            "status": status,
            "entry_npi": entry.npi,
            "entry_state": entry.state,
            "exclusion_type": entry.exclusion_type,
            # Out of search from today at the latest: the list may date an exclusion ahead.
            "delisted_from": min(entry.excluded_on, today)
            if status == ExclusionStatus.EXCLUDED
            else None,
            "found_in": found_in,
        },
    )
    if not created:
        report.unchanged += 1
    elif status == ExclusionStatus.EXCLUDED:
        report.excluded += 1
    else:
        report.possible += 1


def _reinstate(entry: Entry, day: datetime.date, report: ScreenReport) -> None:
    who = Q(entry_npi=entry.npi) if entry.npi else Q(entry_name=entry.name)
    matches = ExclusionMatch.objects.filter(who, excluded_on=entry.excluded_on).exclude(
        status__in=[ExclusionStatus.REINSTATED, ExclusionStatus.DISMISSED]
    )
    report.reinstated += matches.update(
        status=ExclusionStatus.REINSTATED, reinstated_on=day, updated_at=timezone.now()
    )


def _key(entry: Entry) -> tuple[str, str, str]:
    return (*exclusions.name_key(entry.last_name, entry.first_name), entry.state)


def _name_index() -> dict[tuple[str, str, str], list[tuple[int, bool]]]:
    """(last name, first name's first word, US state) -> practitioners, by the states of
    their clinics and licenses. Clinics and licenses are read by separate queries, each
    state once per practitioner: one query joining both relations would return every
    clinic times every license for each practitioner, a cost an account that adds clinics
    could grow without bound."""
    states: dict[int, set[str]] = defaultdict(set)
    for model in (Location, License):
        pairs = (
            model.objects.filter(country="US")
            .exclude(region="")
            .values_list("practitioner_id", "region")
            .distinct()
        )
        for practitioner_id, state in pairs.iterator(chunk_size=CHUNK):
            states[practitioner_id].add(state)
    index: dict[tuple[str, str, str], list[tuple[int, bool]]] = defaultdict(list)
    people = Practitioner.objects.values_list("pk", "first_name", "last_name", "npi")
    for pk, first, last, npi in people.iterator(chunk_size=CHUNK):
        for state in sorted(states.get(pk, ())):
            index[(*exclusions.name_key(last, first), state)].append((pk, bool(npi)))
    return index
