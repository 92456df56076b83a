"""Importing RIS, PubMed MEDLINE and BibTeX files as studies (parsing: evidence.citations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from evidence import citations, identifiers
from evidence.citations import CitationFileError, CitationFormat, CitationRecord
from evidence.models import Study

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"
IMPORTED_FIELDS = ["title", "authors", "journal", "year", "citation_detail", "doi", "pmid"]
IMPORTED_FIELDS += ["pmcid", "url"]


@dataclass
class ImportResult:
    action: str
    record: CitationRecord
    reason: str
    study: Study | None = None


@dataclass
class ImportReport:
    format: CitationFormat
    results: list[ImportResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(result.action == action for result in self.results)

    def __str__(self) -> str:
        return (
            f"{self.count(CREATED)} created, {self.count(UPDATED)} updated, "
            f"{self.count(SKIPPED)} skipped ({len(self.results)} {self.format.label} records)."
        )


def citations_import(
    *, text: str, format: CitationFormat | None = None, dry_run: bool = False
) -> ImportReport:
    """Import every record of a citation file as a study, in one transaction. Matching
    existing studies by DOI, then PMID, then normalised title and year, a record updates
    the study it matches instead of duplicating it. A malformed file raises
    CitationFileError and writes nothing; `dry_run` reports without keeping anything."""
    chosen = format or citations.detect_format(text)
    records = citations.parse(text, format=chosen)
    report = ImportReport(format=chosen)
    with transaction.atomic():
        for record in records:
            report.results.append(_import_record(record))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_record(record: CitationRecord) -> ImportResult:
    if record.problem:
        return ImportResult(SKIPPED, record, f"skipped because {record.problem}")
    study, matched_by = Study.objects.matching(
        doi=record.doi, pmid=record.pmid, title=record.title, year=record.year
    )
    if study is None:
        study = Study(slug=_unique_slug(record), design=record.design)
        _apply(study, record, IMPORTED_FIELDS)
        _save_imported(study, record)
        return ImportResult(CREATED, record, "new study", study)
    conflict = _identifier_conflict(study, record)
    if conflict:
        reason = f"matched {study.slug} by {matched_by}, but {conflict}"
        return ImportResult(SKIPPED, record, reason, study)
    changed = [name for name in IMPORTED_FIELDS if _differs(study, record, name)]
    if record.design and not study.design:
        study.design = record.design
        changed.append("design")
    if not changed:
        reason = f"{study.slug} is up to date (same {matched_by})"
        return ImportResult(SKIPPED, record, reason, study)
    if {"doi", "pmid"} & set(changed):
        study.identifier_checked = False  # a new identifier has not been checked yet
    _apply(study, record, [name for name in changed if name != "design"])
    _save_imported(study, record)
    reason = f"{study.slug} matched by {matched_by}; changed {', '.join(changed)}"
    return ImportResult(UPDATED, record, reason, study)


def _identifier_conflict(study: Study, record: CitationRecord) -> str:
    if record.doi and study.doi and record.doi.lower() != study.doi.lower():
        return f"the file's DOI {record.doi} differs from the stored {study.doi}"
    if record.pmid and study.pmid and record.pmid != study.pmid:
        return f"the file's PMID {record.pmid} differs from the stored {study.pmid}"
    others = Study.objects.exclude(pk=study.pk)
    if record.doi and others.filter(doi__iexact=record.doi).exists():
        return f"DOI {record.doi} already belongs to another study"
    if record.pmid and others.filter(pmid=record.pmid).exists():
        return f"PMID {record.pmid} already belongs to another study"
    return ""


def _differs(study: Study, record: CitationRecord, name: str) -> bool:
    new, old = getattr(record, name), getattr(study, name)
    if not new:
        return False  # a file never blanks what the library knows
    if name == "title":
        return identifiers.title_key(new) != identifiers.title_key(old)
    if name == "authors":  # a shorter list is an abbreviated one, never a correction
        return len(new) >= len(old) and new != old
    if isinstance(new, str):
        return new.casefold() != str(old).casefold()
    return new != old


def _apply(study: Study, record: CitationRecord, names: list[str]) -> None:
    for name in names:
        if getattr(record, name):
            setattr(study, name, getattr(record, name))


def _save_imported(study: Study, record: CitationRecord) -> None:
    try:
        study.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
        raise CitationFileError(f"{record.label}: {problems}") from None
    study.save()


def _unique_slug(record: CitationRecord) -> str:
    surname = record.authors[0].split()[0] if record.authors else "study"
    words = " ".join(identifiers.title_key(record.title).split()[:6])
    base = slugify(f"{surname} {record.year} {words}")[:100].strip("-")
    slug, number = base, 2
    while Study.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
