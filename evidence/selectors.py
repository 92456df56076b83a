"""Reads that span models: what a condition page summarises, and study counts per
condition. (Who treats a condition is the directory's to say: directory.conditions.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from evidence import forest
from evidence.models import Claim, Condition, Intervention, Outcome, Study


@dataclass
class InterventionEvidence:
    intervention: Intervention
    studies: list[Study]


@dataclass
class ConditionEvidence:
    condition: Condition
    subtypes: list[Condition]
    studies: list[Study]
    techniques: list[InterventionEvidence]
    other_interventions: list[InterventionEvidence]
    plots: list[forest.ForestPlot]
    claims: list[Claim]


def condition_evidence(*, condition: Condition) -> ConditionEvidence:
    studies = list(
        Study.objects.about(condition)
        .prefetch_related(
            "conditions",
            "interventions",
            Prefetch("outcomes", queryset=Outcome.objects.select_related("intervention")),
        )
        .order_by("-year", "title")
    )
    grouped: dict[int, InterventionEvidence] = {}
    for study in studies:
        for intervention in study.interventions.all():
            grouped.setdefault(intervention.pk, InterventionEvidence(intervention, []))
            grouped[intervention.pk].studies.append(study)
    by_intervention = sorted(
        grouped.values(), key=lambda group: (-len(group.studies), group.intervention.name)
    )
    outcomes = sorted(
        (outcome for study in studies for outcome in study.outcomes.all()),
        key=lambda outcome: (outcome.intervention.name, -outcome.study.year, outcome.pk),
    )
    plots = [
        forest.forest_plot(group, id=f"forest-{number}")
        for number, group in enumerate(forest.comparable_groups(outcomes), start=1)
    ]
    return ConditionEvidence(
        condition=condition,
        subtypes=list(condition.subtypes.all()),
        studies=studies,
        techniques=[g for g in by_intervention if g.intervention.is_technique],
        other_interventions=[g for g in by_intervention if not g.intervention.is_technique],
        plots=plots,
        claims=list(Claim.objects.about(condition).for_listing()),
    )


def study_plots(*, study: Study) -> list[forest.ForestPlot]:
    outcomes = list(study.outcomes.select_related("intervention", "study"))
    return [
        forest.forest_plot(group, id=f"forest-{number}")
        for number, group in enumerate(forest.comparable_groups(outcomes), start=1)
    ]


def conditions_with_study_counts() -> list[Condition]:
    """Every condition with `study_count`: studies of it or any of its subtypes."""
    return _with_study_counts(list(Condition.objects.select_related("parent").order_by("name")))


def conditions_with_studies() -> list[Condition]:
    """Conditions that have studies (of them or a subtype), with `study_count`; no
    practitioner counts, which cost more than a library page should pay."""
    conditions = _with_study_counts(list(Condition.objects.order_by("name")))
    return [condition for condition in conditions if condition.study_count]


def _with_study_counts(conditions: list[Condition]) -> list[Condition]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for condition in conditions:
        children[condition.parent_id].append(condition.pk)
    studies_of: dict[int, set[int]] = defaultdict(set)
    for condition_id, study_id in Study.conditions.through.objects.values_list(
        "condition_id", "study_id"
    ):
        studies_of[condition_id].add(study_id)

    def subtree_studies(pk: int) -> set[int]:
        found = set(studies_of[pk])
        for child in children[pk]:
            found |= subtree_studies(child)
        return found

    for condition in conditions:
        condition.study_count = len(subtree_studies(condition.pk))
    return conditions
