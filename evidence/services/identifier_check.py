"""Checking DOIs at Crossref and PMIDs at NCBI E-utilities (HTTP: evidence.lookups)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from evidence import identifiers, lookups
from evidence.models import Study

TITLE_SIMILARITY = 0.9  # PubMed and Crossref spell the same title with small differences


@dataclass
class IdentifierCheck:
    study: Study
    doi_confirmed: bool = False
    pmid_confirmed: bool = False
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)

    @property
    def all_confirmed(self) -> bool:
        study = self.study
        return (
            study.has_identifier
            and (self.doi_confirmed or not study.doi)
            and (self.pmid_confirmed or not study.pmid)
        )

    @property
    def outcome(self) -> str:
        if self.problems:
            return "not confirmed"
        return "checked" if self.all_confirmed else "unchanged"

    def __str__(self) -> str:
        parts = [*self.problems, *self.notes]
        if self.filled:
            parts.append(f"filled in {', '.join(self.filled)}")
        return f"{self.outcome}: {self.study.slug}: {'; '.join(parts)}"


def identifiers_check(
    *, studies: Iterable[Study], crossref_url: str, ncbi_url: str, contact_email: str = ""
) -> list[IdentifierCheck]:
    """Look each DOI up at Crossref and each PMID at NCBI E-utilities (whichever is
    configured), fill metadata the study lacks, and set `identifier_checked`: true when every
    identifier the study has was found with a matching title, false when one was not found
    or names another work, unchanged when a service was not asked or did not answer."""
    studies = list(studies)
    summaries: dict[str, lookups.Work | None] = {}
    pubmed_error = ""
    pmids = [study.pmid for study in studies if study.pmid]
    if ncbi_url and pmids:
        try:
            summaries = lookups.pubmed_summaries(
                base_url=ncbi_url, pmids=pmids, contact_email=contact_email
            )
        except lookups.LookupFailed as error:
            pubmed_error = str(error)
    checks = []
    for study in studies:
        check = IdentifierCheck(study=study)
        if study.pmid:
            _check_pmid(check, ncbi_url=ncbi_url, summaries=summaries, error=pubmed_error)
        if study.doi and not check.doi_confirmed:
            _check_doi(check, crossref_url=crossref_url, contact_email=contact_email)
        _record_check(check)
        checks.append(check)
    return checks


def _check_pmid(check: IdentifierCheck, *, ncbi_url: str, summaries: dict, error: str) -> None:
    study = check.study
    if not ncbi_url:
        check.notes.append("PMID not checked (NCBI_EUTILS_URL is not set)")
        return
    if error:
        check.notes.append(f"PMID not checked: {error}")
        return
    work = summaries.get(study.pmid)
    if work is None:
        check.problems.append(f"PubMed has no record {study.pmid}")
    elif not _same_title(work.title, study.title):
        check.problems.append(f"PubMed's title for PMID {study.pmid} is {work.title!r}")
    elif work.doi and study.doi and work.doi.lower() != study.doi.lower():
        check.problems.append(f"PubMed gives DOI {work.doi} for PMID {study.pmid}")
    else:
        check.pmid_confirmed = True
        check.notes.append("PMID confirmed at PubMed")
        if work.doi and not study.doi and not Study.objects.filter(doi__iexact=work.doi).exists():
            # PubMed's record of a confirmed PMID vouches for the DOI it lists.
            study.doi = work.doi
            check.doi_confirmed = True
            check.filled.append("doi")
        _fill(check, work)


def _check_doi(check: IdentifierCheck, *, crossref_url: str, contact_email: str) -> None:
    study = check.study
    if not crossref_url:
        check.notes.append("DOI not checked (CROSSREF_URL is not set)")
        return
    try:
        work = lookups.crossref_work(
            base_url=crossref_url, doi=study.doi, contact_email=contact_email
        )
    except lookups.LookupFailed as error:
        check.notes.append(f"DOI not checked: {error}")
        return
    if work is None:
        check.problems.append(f"Crossref has no DOI {study.doi}")
    elif not _same_title(work.title, study.title):
        check.problems.append(f"Crossref's title for DOI {study.doi} is {work.title!r}")
    else:
        check.doi_confirmed = True
        check.notes.append("DOI confirmed at Crossref")
        _fill(check, work)


def _fill(check: IdentifierCheck, work: lookups.Work) -> None:
    """Only what the study lacks: an editor's entry is never overwritten."""
    for name in ["authors", "journal", "citation_detail", "pmcid"]:
        if getattr(work, name) and not getattr(check.study, name):
            setattr(check.study, name, getattr(work, name))
            check.filled.append(name)


def _record_check(check: IdentifierCheck) -> None:
    study = check.study
    was_checked = study.identifier_checked
    if check.problems:
        study.identifier_checked = False
    elif check.all_confirmed:
        study.identifier_checked = True
    if study.identifier_checked != was_checked or check.filled:
        study.save(update_fields=["identifier_checked", *check.filled, "updated_at"])


def _same_title(found: str, ours: str) -> bool:
    a, b = identifiers.title_key(found), identifiers.title_key(ours)
    return difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY
