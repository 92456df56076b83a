"""The evidence additions (evidence/data/evidence-additions.json): reviews, meta-analyses
and guidelines beyond migraine, each figure with the passage it was copied from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from evidence.models import (
    CERTAINTY_ORDER,
    BenefitDirection,
    Certainty,
    Intervention,
    Measure,
    Outcome,
    Study,
    StudyDesign,
)
from evidence.services.seed import (
    CURATION_PATH,
    DATA,
    SeedError,
    Vocabulary,
    apply_curation,
    existing_study,
    read_curation,
    validated,
)

ADDITIONS_PATH = DATA / "evidence-additions.json"


@dataclass
class AdditionsReport:
    created: int = 0
    unchanged: int = 0
    skipped: int = 0
    outcomes_created: int = 0
    outcomes_held_back: int = 0
    summaries_added: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} studies created, {self.unchanged} unchanged, {self.skipped} "
            f"skipped (identifier not checked), {self.outcomes_created} outcomes created "
            f"({self.outcomes_held_back} held back from patients), "
            f"{self.summaries_added} summaries added."
        )


def evidence_additions_load(
    *, path: Path = ADDITIONS_PATH, curation_path: Path = CURATION_PATH
) -> AdditionsReport:
    """Load every item whose identifier was checked, with its outcomes exactly as the file
    gives them: figures, certainty as the review graded it, the quoted passage, and
    `show: false` outcomes stored but held back. Items whose identifier was not checked
    are leads, not citations, and are skipped. Idempotent like evidence_seed_load: an item
    already in the library is left as editors made it (a missing summary is filled in)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    curation = read_curation(curation_path)
    report = AdditionsReport()
    with transaction.atomic():
        vocabulary = _CuratedVocabulary(curation)
        studies: dict[str, Study] = {}
        for item in data["studies"]:
            if not item["identifier_checked"]:
                report.skipped += 1
                continue
            if existing := existing_study(item):
                studies[item["key"]] = existing
                report.unchanged += 1
                continue
            study = _add_study(item, vocabulary, curation)
            studies[item["key"]] = study
            report.created += 1
            report.outcomes_created += study.outcomes.count()
            report.outcomes_held_back += study.outcomes.filter(show=False).count()
        report.summaries_added = apply_curation(studies, curation)
    return report


def _add_study(item: dict, vocabulary: _CuratedVocabulary, curation: dict) -> Study:
    key = item["key"]
    study = Study(
        slug=key,
        title=item["title"],
        authors=item["authors"],
        journal=item.get("journal") or "",
        year=item["year"],
        citation_detail=item.get("citation_detail") or "",
        doi=item.get("doi") or "",
        pmid=item.get("pmid") or "",
        pmcid=item.get("pmcid") or "",
        identifier_checked=item["identifier_checked"],
        design=StudyDesign(curation["designs"][item["design"]]),
        included_studies=item.get("included_studies"),
        participants=item.get("participants"),
        notes=_notes(item),
    )
    validated(study, where=key).save()
    study.conditions.set(vocabulary.conditions_for(item["conditions"]))
    study.interventions.set(vocabulary.interventions_for(item["interventions"]))
    study.comparators.set(vocabulary.comparators_for(item["comparators"]))
    results_in_words = curation["results_in_words"].get(key, [])
    for index, figures in enumerate(item["outcomes"]):
        words = results_in_words[index] if index < len(results_in_words) else ""
        outcome = _outcome(study, figures, vocabulary, curation, words)
        validated(outcome, where=f"{key}, {figures['outcome']}").save()
    study.certainty = _lowest_grade(study.outcomes.shown())
    study.save(update_fields=["certainty"])
    return study


def _outcome(
    study: Study, figures: dict, vocabulary: _CuratedVocabulary, curation: dict, words: str
) -> Outcome:
    reported = figures["measure"] or ""
    has_figures = figures["estimate"] is not None
    if has_figures:
        try:
            measure = curation["measures"][reported]
        except KeyError:
            raise SeedError(f"{study.slug}: measure {reported!r} is not mapped.") from None
        code, direction = Measure(measure["measure"]), BenefitDirection(measure["direction"])
    else:
        code, direction = "", BenefitDirection.NOT_STATED
    [intervention] = vocabulary.interventions_for([figures["intervention"]])
    show = figures.get("show", True)
    result = words or _absolute_in_words(figures, intervention)
    if show and not has_figures and not result:
        raise SeedError(f"{study.slug}, {figures['outcome']}: neither figures nor words.")
    return Outcome(
        study=study,
        outcome=figures["outcome"],
        intervention=intervention,
        intervention_as_reported=_unless_same(figures["intervention"], intervention.name),
        comparator=figures["comparator"] or "not stated",
        measure=code,
        measure_as_reported=_unless_same(reported, code),
        estimate=figures["estimate"],
        ci_low=figures["ci_low"],
        ci_high=figures["ci_high"],
        result=result,
        studies=figures.get("studies"),
        participants=figures.get("participants"),
        direction=direction,
        certainty=Certainty.from_text(figures["certainty"]),
        certainty_as_stated=figures["certainty"] or "",
        source_quote="\n\n".join(figures["quotes"]),
        source=figures.get("source", ""),
        show=show,
        hidden_because=figures.get("show_note", ""),
        notes=figures.get("note", ""),
    )


def _absolute_in_words(figures: dict, intervention: Intervention) -> str:
    """'48 in 100 with acupuncture; 17 of 100 with usual care', from the file's figures."""
    absolute = figures.get("absolute")
    if not absolute:
        return ""
    return (
        f"{absolute['intervention']} with {intervention.name.lower()}; "
        f"{absolute['comparator']} with {figures['comparator']}"
    )


def _unless_same(reported: str, name: str) -> str:
    return "" if reported.casefold() == name.casefold() else reported


def _lowest_grade(outcomes) -> Certainty:
    """The study-level summary: the weakest grade among its shown outcomes."""
    grades = {outcome.certainty for outcome in outcomes}
    for grade in CERTAINTY_ORDER:
        if grade in grades:
            return grade
    return Certainty.NOT_GRADED


def _notes(item: dict) -> str:
    """What the file says about the source beyond its figures, for readers and editors."""
    parts = [item.get("note") or "", item.get("pmid_note") or "", item.get("authors_note") or ""]
    return "\n\n".join(part for part in parts if part)


class _CuratedVocabulary(Vocabulary):
    """The additions' own wording mapped to the vocabulary by the curation file."""

    def __init__(self, curation: dict):
        super().__init__()
        self.curation = curation

    def conditions_for(self, names: list[str]) -> list:
        return [self.condition(term) for name in names for term in self._terms("conditions", name)]

    def interventions_for(self, names: list[str]) -> list:
        return [
            self.intervention(term) for name in names for term in self._terms("interventions", name)
        ]

    def comparators_for(self, names: list[str]) -> list:
        return [
            self.intervention(term) for name in names for term in self._terms("comparators", name)
        ]

    def _terms(self, kind: str, name: str) -> list[str]:
        try:
            return self.curation[kind][name]
        except KeyError:
            raise SeedError(f"{name!r} has no {kind} mapping in the curation file.") from None
