"""Rules the database itself enforces, whatever client writes to the evidence tables."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from evidence.models import Intervention, Measure, Study
from tests.factories import ClaimFactory, OutcomeFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_doi_is_unique_whatever_its_case():
    StudyFactory(doi="10.5555/Test.1")
    with pytest.raises(IntegrityError, match="evidence_study_doi_unique"):
        StudyFactory(doi="10.5555/TEST.1")


def test_pmid_is_unique_and_blank_identifiers_are_not():
    StudyFactory(pmid="123456")
    StudyFactory(doi="", pmid="")
    StudyFactory(doi="", pmid="")
    with pytest.raises(IntegrityError, match="evidence_study_pmid_unique"):
        StudyFactory(pmid="123456")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"doi": "https://doi.org/10.5555/x"}, "evidence_study_doi_format"),
        ({"doi": "10.5555/has space"}, "evidence_study_doi_format"),
        ({"pmid": "PMID123"}, "evidence_study_pmid_format"),
        ({"pmid": "0123"}, "evidence_study_pmid_format"),
        ({"pmcid": "7249245"}, "evidence_study_pmcid_format"),
        ({"year": 1700}, "evidence_study_year_range"),
    ],
)
def test_identifiers_are_stored_only_in_canonical_form(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        StudyFactory(**fields)


@pytest.mark.parametrize(
    ("estimate", "ci_low", "ci_high"),
    [(-1.0, -0.5, 0.5), (1.0, -0.5, 0.5), (0.0, 0.5, -0.5)],
)
def test_confidence_interval_must_contain_the_estimate(estimate, ci_low, ci_high):
    with pytest.raises(IntegrityError, match="evidence_outcome_ci_contains_estimate"):
        OutcomeFactory(estimate=estimate, ci_low=ci_low, ci_high=ci_high)


def test_ratio_measures_stay_above_zero():
    OutcomeFactory(measure=Measure.SMD, estimate=0.1, ci_low=-0.2, ci_high=0.4)
    with pytest.raises(IntegrityError, match="evidence_outcome_ratio_positive"):
        OutcomeFactory(measure=Measure.RR, estimate=0.5, ci_low=0.0, ci_high=1.2)


def test_a_claim_is_recorded_once():
    ClaimFactory(text="Acupuncture cures everything.")
    with pytest.raises(IntegrityError, match="evidence_claim_text_unique"):
        ClaimFactory(text="Acupuncture cures everything.")


def test_validation_normalises_identifiers_and_names_each_problem():
    StudyFactory(doi="10.5555/taken", pmid="999")
    study = Study(slug="new", title="T", year=2020, doi="https://doi.org/10.5555/TAKEN", pmid="x1")
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert study.doi == "10.5555/TAKEN"
    assert error.value.message_dict == {
        "pmid": ["'x1' is not a PubMed ID (PMIDs are up to nine digits)."],
        "__all__": ["Another study already has this DOI."],
    }
    study.pmid = "PMID: 999"
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert error.value.message_dict == {
        "__all__": ["Another study already has this DOI.", "Another study already has this PMID."]
    }


def test_outcome_validation_explains_the_interval_rule():
    outcome = OutcomeFactory.build(
        study=StudyFactory(), estimate=2.0, ci_low=0.1, ci_high=1.0, measure=Measure.RR
    )
    with pytest.raises(ValidationError, match="must contain the estimate"):
        outcome.full_clean()


def test_only_the_seven_practitioner_techniques_are_techniques():
    assert sorted(Intervention.objects.techniques().values_list("slug", flat=True)) == [
        "acupuncture",
        "auricular-acupuncture",
        "chinese-herbal-medicine",
        "cupping",
        "electroacupuncture",
        "moxibustion",
        "scalp-acupuncture",
    ]
    assert not Intervention.objects.get(slug="sham-acupuncture").is_technique
