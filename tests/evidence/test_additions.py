"""The evidence additions load exactly as evidence/data/evidence-additions.json gives them:
every shown figure equal to the file's, certainty as graded, held-back outcomes nowhere a
patient or a client can see them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from evidence.models import Certainty, Outcome, Study
from evidence.services import (
    ADDITIONS_PATH,
    SEED_PATH,
    evidence_additions_load,
    evidence_seed_load,
)
from evidence.services.seed import CURATION_PATH

pytestmark = pytest.mark.django_db

ADDITIONS = json.loads(ADDITIONS_PATH.read_text())
SEED = json.loads(SEED_PATH.read_text())
CURATION = json.loads(CURATION_PATH.read_text())
CHECKED = [item for item in ADDITIONS["studies"] if item["identifier_checked"]]


def shown_figures_in_file() -> set[tuple]:
    """(study, outcome, comparator, estimate, CI) of every figure the files let us show."""
    rows = set()
    for item in [*SEED["studies"], *CHECKED]:
        for figures in item.get("outcomes", []):
            if figures.get("show", True) and figures["estimate"] is not None:
                rows.add(
                    (
                        item["key"],
                        figures["outcome"],
                        figures["comparator"],
                        figures["estimate"],
                        figures["ci_low"],
                        figures["ci_high"],
                    )
                )
    return rows


def test_the_additions_file_is_the_shared_one_and_holds_sixteen_items():
    assert len(ADDITIONS["studies"]) == 16
    assert len(CHECKED) == 13


def test_every_shown_estimate_and_interval_equals_the_file(library):
    in_database = set(
        Outcome.objects.shown()
        .with_figures()
        .values_list("study__slug", "outcome", "comparator", "estimate", "ci_low", "ci_high")
    )
    assert in_database == shown_figures_in_file()
    assert len(in_database) == 7 + 23


def test_every_outcome_keeps_its_certainty_quote_and_show_flag_as_given(library):
    for item in CHECKED:
        study = Study.objects.get(slug=item["key"])
        outcomes = list(study.outcomes.order_by("pk"))
        assert len(outcomes) == len(item["outcomes"]), item["key"]
        for outcome, figures in zip(outcomes, item["outcomes"], strict=True):
            assert outcome.outcome == figures["outcome"]
            assert (outcome.estimate, outcome.ci_low, outcome.ci_high) == (
                figures["estimate"],
                figures["ci_low"],
                figures["ci_high"],
            )
            assert outcome.certainty == Certainty.from_text(figures["certainty"])
            assert outcome.certainty_as_stated == (figures["certainty"] or "")
            assert outcome.source_quote == "\n\n".join(figures["quotes"])
            assert outcome.show is figures.get("show", True)
            assert outcome.hidden_because == figures.get("show_note", "")
            assert outcome.participants == figures["participants"]
            assert outcome.studies == figures["studies"]


def test_certainty_words_are_the_reviews_own_and_none_is_invented(library):
    graded = {
        (o.study.slug, o.outcome, o.comparator): o.certainty
        for o in Outcome.objects.exclude(certainty=Certainty.NOT_GRADED).select_related("study")
    }
    assert graded == {
        (item["key"], figures["outcome"], figures["comparator"] or "not stated"): (
            Certainty.from_text(figures["certainty"])
        )
        for item in CHECKED
        for figures in item["outcomes"]
        if figures["certainty"]
    }
    mu = Study.objects.get(slug="mu-2020-clbp-cochrane")
    assert mu.certainty == Certainty.LOW
    lee = Study.objects.get(slug="lee-2015-pc6-ponv-cochrane")
    assert lee.certainty == Certainty.VERY_LOW  # the weakest of its outcomes
    assert lee.certainty_summary(list(lee.outcomes.shown())) == "Low to very low"
    ezzo = Study.objects.get(slug="ezzo-2005-cinv-jco")
    assert ezzo.certainty == Certainty.NOT_GRADED


def test_items_whose_identifier_was_not_checked_are_leads_not_citations(library):
    leads = {item["key"] for item in ADDITIONS["studies"] if not item["identifier_checked"]}
    assert leads == {
        "nice-2021-ng193-chronic-primary-pain",
        "nice-2012-cg150-headaches",
        "cochrane-depression-cd004046-pub4",
    }
    assert not Study.objects.filter(slug__in=leads).exists()
    assert not Study.objects.filter(doi__iexact="10.1002/14651858.CD004046.pub4").exists()


def test_citations_and_identifiers_are_as_given(library):
    for item in CHECKED:
        study = Study.objects.get(slug=item["key"])
        assert (
            study.title,
            study.authors,
            study.year,
            study.doi,
            study.pmid,
            study.pmcid,
            study.included_studies,
            study.participants,
            study.identifier_checked,
        ) == (
            item["title"],
            item["authors"],
            item["year"],
            item["doi"] or "",
            item["pmid"] or "",
            item.get("pmcid", ""),
            item["included_studies"],
            item["participants"],
            True,
        ), item["key"]
        assert item["note"] in study.notes


def test_subtypes_sit_under_their_broader_condition(library):
    mu = Study.objects.get(slug="mu-2020-clbp-cochrane")
    [condition] = mu.conditions.all()
    assert condition.slug == "chronic-low-back-pain"
    assert condition.parent.slug == "low-back-pain"
    assert condition.parent.parent.slug == "back-pain"
    assert set(Study.objects.about(condition.parent.parent).values_list("slug", flat=True)) == {
        "mu-2020-clbp-cochrane",
        "qaseem-2017-acp-low-back-pain-guideline",
        "vickers-2012-chronic-pain-ipd",
    }


def test_every_study_has_a_summary_and_those_not_read_in_full_need_checking(library):
    assert not Study.objects.filter(summary="").exists()
    assert Study.objects.count() == 9 + 13
    flagged = set(Study.objects.filter(needs_checking=True).values_list("slug", flat=True))
    assert flagged == set(CURATION["needs_checking"])
    for item in CHECKED:
        partly_read = (
            item.get("results_read") is False
            or item.get("conclusion") is None
            or any(
                figures.get("show") is False or figures.get("quote_truncated")
                for figures in item["outcomes"]
            )
        )
        if partly_read:
            assert item["key"] in flagged, item["key"]


def test_summaries_add_no_number_the_files_do_not_hold():
    """Every figure in a summary appears in its item (counts written with a thousands
    comma are compared without it); small numbers spelt as words are not checked."""
    import re

    items = {item["key"]: item for item in [*SEED["studies"], *ADDITIONS["studies"]]}
    for key, summary in CURATION["summaries"].items():
        source = json.dumps(items[key]) + " ".join(c["text"] for c in SEED["claims"])
        source = re.sub(r"(?<![\d])\.(\d)", r"0.\1", source)  # ".5 SDs" is 0.5
        for number in re.findall(r"\d[\d,.]*\d|\d", summary.rstrip(".")):
            assert number.replace(",", "") in source.replace(",", ""), (key, number)


def test_loading_twice_changes_nothing(library):
    before = list(Outcome.objects.order_by("pk").values())
    report = evidence_additions_load()
    assert str(report) == (
        "0 studies created, 13 unchanged, 3 skipped (identifier not checked), 0 outcomes "
        "created (0 held back from patients), 0 summaries added."
    )
    assert list(Outcome.objects.order_by("pk").values()) == before


def test_first_load_reports_what_it_did(db):
    evidence_seed_load()
    report = evidence_additions_load()
    assert str(report) == (
        "13 studies created, 0 unchanged, 3 skipped (identifier not checked), 33 outcomes "
        "created (4 held back from patients), 13 summaries added."
    )


def test_an_editors_summary_is_kept_and_a_reviewed_study_is_not_flagged_again(library):
    study = Study.objects.get(slug="deare-2013-fibromyalgia-cochrane")
    study.summary = "An editor's own words."
    study.needs_checking = False
    study.reviewed_on = study.added_on
    study.save()
    evidence_additions_load()
    study.refresh_from_db()
    assert (study.summary, study.needs_checking) == ("An editor's own words.", False)


def test_load_demo_loads_the_additions_too(db):
    out = StringIO()
    call_command("load_demo", count=1, stdout=out)
    assert "Evidence library additions: 13 studies created" in out.getvalue()
    assert Study.objects.count() == 22
