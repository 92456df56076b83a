"""Reads that span models: what a condition page summarises, and study counts per
condition. (Who treats a condition is the directory's to say: directory.conditions.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from evidence import forest
from evidence.models import Claim, Condition, Outcome, Study


@dataclass
class StudyEvidence:
    """A study as a condition page shows it: its shown outcomes and their certainty."""

    study: Study
    outcomes: list[Outcome]

    @property
    def certainty_summary(self) -> str:
        return self.study.certainty_summary(self.outcomes)


@dataclass
class ConditionEvidence:
    condition: Condition
    subtypes: list[Condition]
    studies: list[StudyEvidence]
    plots: list[forest.ForestPlot]
    claims: list[Claim]


def shown_outcomes() -> Prefetch:
    """A study's outcomes as patients and clients may see them, into `shown_outcomes`."""
    return Prefetch(
        "outcomes",
        queryset=Outcome.objects.shown().select_related("intervention").order_by("pk"),
        to_attr="shown_outcomes",
    )


def condition_evidence(*, condition: Condition) -> ConditionEvidence:
    """The studies of a condition (or its subtypes) that have a plain-language summary,
    best evidence first, with only the outcomes patients may see."""
    studies = list(
        Study.objects.about(condition)
        .summarised()
        .best_first()
        .prefetch_related("conditions", "interventions", "comparators", shown_outcomes())
    )
    outcomes = sorted(
        (o for study in studies for o in study.shown_outcomes if o.has_figures),
        key=lambda outcome: (outcome.intervention.name, -outcome.study.year, outcome.pk),
    )
    plots = [
        forest.forest_plot(group, id=f"forest-{number}")
        for number, group in enumerate(forest.comparable_groups(outcomes), start=1)
    ]
    return ConditionEvidence(
        condition=condition,
        subtypes=list(condition.subtypes.all()),
        studies=[StudyEvidence(study, study.shown_outcomes) for study in studies],
        plots=plots,
        claims=list(Claim.objects.about(condition).for_listing()),
    )


def study_outcomes(*, study: Study) -> list[Outcome]:
    """The outcomes a study's page and API show: never one held back for checking."""
    return list(study.outcomes.shown().select_related("intervention", "study").order_by("pk"))


def study_plots(*, study: Study) -> list[forest.ForestPlot]:
    outcomes = [outcome for outcome in study_outcomes(study=study) if outcome.has_figures]
    return [
        forest.forest_plot(group, id=f"forest-{number}")
        for number, group in enumerate(forest.comparable_groups(outcomes), start=1)
    ]


def conditions_with_study_counts() -> list[Condition]:
    """Every condition with `study_count`: studies of it or any of its subtypes that its
    page shows (those with a plain-language summary)."""
    return _with_study_counts(list(Condition.objects.select_related("parent").order_by("name")))


def _with_study_counts(conditions: list[Condition]) -> list[Condition]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for condition in conditions:
        children[condition.parent_id].append(condition.pk)
    studies_of: dict[int, set[int]] = defaultdict(set)
    for condition_id, study_id in Study.conditions.through.objects.exclude(
        study__summary=""
    ).values_list("condition_id", "study_id"):
        studies_of[condition_id].add(study_id)

    def subtree_studies(pk: int) -> set[int]:
        found = set(studies_of[pk])
        for child in children[pk]:
            found |= subtree_studies(child)
        return found

    for condition in conditions:
        condition.study_count = len(subtree_studies(condition.pk))
    return conditions
