"""The starter content: studies, outcomes and claims from evidence/data/evidence-seed.json,
with Meridian's own summaries and review flags from evidence/data/evidence-curation.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from evidence import identifiers
from evidence.models import (
    Claim,
    ClaimStatus,
    Condition,
    Intervention,
    Measure,
    Outcome,
    Study,
    StudyDesign,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_PATH = DATA / "evidence-seed.json"
CURATION_PATH = DATA / "evidence-curation.json"

SEED_DESIGNS = {
    "systematic review": StudyDesign.SYSTEMATIC_REVIEW,
    "systematic review and meta-analysis": StudyDesign.META_ANALYSIS,
    "systematic review and meta-regression": StudyDesign.META_ANALYSIS,
    "randomised controlled trial": StudyDesign.RCT,
    "guideline": StudyDesign.GUIDELINE,
}
# The seed's own "about": its claims were found in copy about acupuncture and migraine.
SEED_CLAIMS_CONDITION = "Migraine"


class SeedError(ValueError):
    """The starter file names something the vocabulary or the models cannot hold."""


@dataclass
class SeedReport:
    studies_created: int = 0
    studies_present: int = 0
    outcomes_created: int = 0
    claims_created: int = 0
    claims_present: int = 0
    summaries_added: int = 0

    def __str__(self) -> str:
        return (
            f"{self.studies_created} studies created ({self.studies_present} already present), "
            f"{self.outcomes_created} outcomes created, {self.claims_created} claims created "
            f"({self.claims_present} already present), {self.summaries_added} summaries added."
        )


def evidence_seed_load(
    *, path: Path = SEED_PATH, curation_path: Path = CURATION_PATH
) -> SeedReport:
    """Load the starter studies, outcomes and claims exactly as the file states them,
    including whether each identifier was checked, then Meridian's summaries and review
    flags. Idempotent: what is already in the library (by slug, DOI, PMID or title and
    year) is left as editors and checks made it; only a missing summary is filled in."""
    data = json.loads(path.read_text(encoding="utf-8"))
    curation = read_curation(curation_path)
    report = SeedReport()
    with transaction.atomic():
        studies: dict[str, Study] = {}
        vocabulary = Vocabulary()
        for item in data["studies"]:
            existing = existing_study(item)
            if existing:
                studies[item["key"]] = existing
                report.studies_present += 1
                continue
            studies[item["key"]] = _seed_study(item, vocabulary)
            report.studies_created += 1
            report.outcomes_created += len(item.get("outcomes", []))
        claims_condition = vocabulary.condition(SEED_CLAIMS_CONDITION)
        for item in data["claims"]:
            if Claim.objects.filter(text=item["text"]).exists():
                report.claims_present += 1
                continue
            claim = Claim.objects.create(
                text=item["text"],
                status=ClaimStatus(item["status"].replace(" ", "_")),
                explanation=item.get("note", ""),
            )
            claim.studies.set([studies[key] for key in item["studies"]])
            claim.conditions.set([claims_condition])
            report.claims_created += 1
        report.summaries_added = apply_curation(studies, curation)
    return report


def existing_study(item: dict) -> Study | None:
    """The library's entry for a file's item: by slug, then DOI, PMID, or title and year."""
    existing = Study.objects.filter(slug=item["key"]).first()
    if existing is None and item.get("year"):
        existing, _ = Study.objects.matching(
            doi=identifiers.normalise_doi(item.get("doi")),
            pmid=identifiers.normalise_pmid(item.get("pmid")),
            title=item["title"],
            year=item["year"],
        )
    return existing


def read_curation(path: Path = CURATION_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def apply_curation(studies: dict[str, Study], curation: dict) -> int:
    """Give each study its summary where it has none, and flag for checking those whose
    results were not read in full until an editor has reviewed them. Returns how many
    summaries were added."""
    added = 0
    for key, study in studies.items():
        fields = []
        summary = curation["summaries"].get(key, "")
        if summary and not study.summary:
            study.summary = summary
            fields.append("summary")
            added += 1
        if (
            key in curation["needs_checking"]
            and not study.needs_checking
            and not (study.reviewed_on)
        ):
            study.needs_checking = True
            fields.append("needs_checking")
        if fields:
            study.save(update_fields=[*fields, "updated_at"])
    return added


def _seed_study(item: dict, vocabulary: Vocabulary) -> Study:
    study = Study(
        slug=item["key"],
        title=item["title"],
        authors=item["authors"],
        journal=item.get("journal") or "",
        year=item["year"],
        citation_detail=item.get("citation_detail") or "",
        doi=item.get("doi") or "",
        pmid=item.get("pmid") or "",
        pmcid=item.get("pmcid") or "",
        identifier_checked=item["identifier_checked"],
        design=SEED_DESIGNS[item["design"]],
        included_studies=item.get("included_studies"),
        included_breakdown=item.get("study_counts") or {},
        participants=item.get("participants"),
        notes=item.get("note") or "",
    )
    validated(study, where=item["key"]).save()
    study.conditions.set([vocabulary.condition(name) for name in item["conditions"]])
    study.interventions.set([vocabulary.intervention(name) for name in item["interventions"]])
    comparators = item.get("comparators", [])
    study.comparators.set([vocabulary.intervention(name) for name in comparators])
    for figures in item.get("outcomes", []):
        outcome = Outcome(
            study=study,
            outcome=figures["outcome"],
            intervention=vocabulary.intervention(figures["intervention"]),
            comparator=figures["comparator"],
            measure=Measure(figures["measure"]),
            estimate=figures["estimate"],
            ci_low=figures["ci_low"],
            ci_high=figures["ci_high"],
        )
        validated(outcome, where=f"{item['key']}, {figures['outcome']}").save()
    return study


class Vocabulary:
    """Conditions and interventions by name, as the seed file spells them."""

    def __init__(self):
        self.conditions = {c.name.casefold(): c for c in Condition.objects.all()}
        self.interventions = {i.name.casefold(): i for i in Intervention.objects.all()}

    def condition(self, name: str) -> Condition:
        return self._find(self.conditions, name, "condition")

    def intervention(self, name: str) -> Intervention:
        return self._find(self.interventions, name, "intervention")

    @staticmethod
    def _find(known: dict, name: str, kind: str):
        try:
            return known[name.casefold()]
        except KeyError:
            raise SeedError(f"{name!r} is not a {kind} in the vocabulary.") from None


def validated(instance, *, where: str):
    try:
        instance.full_clean()
    except ValidationError as error:
        raise SeedError(f"{where}: {error.messages}") from None
    return instance
