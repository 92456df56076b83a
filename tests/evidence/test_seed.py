"""The starter content loads exactly as evidence/data/evidence-seed.json states it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from evidence.models import Claim, Outcome, Study
from evidence.services import SEED_PATH, SeedError, evidence_seed_load
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_PATH.read_text())


def test_seed_file_is_the_shared_starter_content():
    assert len(SEED["studies"]) == 9
    assert len(SEED["claims"]) == 8


def test_every_study_loads_with_its_citation_and_checked_status_as_stated():
    report = evidence_seed_load()

    assert str(report) == (
        "9 studies created (0 already present), 7 outcomes created, "
        "8 claims created (0 already present), 9 summaries added."
    )
    for item in SEED["studies"]:
        study = Study.objects.get(slug=item["key"])
        assert {
            "title": study.title,
            "authors": study.authors,
            "journal": study.journal,
            "year": study.year,
            "citation_detail": study.citation_detail,
            "doi": study.doi,
            "pmid": study.pmid,
            "pmcid": study.pmcid,
            "identifier_checked": study.identifier_checked,
            "included_studies": study.included_studies,
            "participants": study.participants,
            "notes": study.notes,
        } == {
            "title": item["title"],
            "authors": item["authors"],
            "journal": item["journal"],
            "year": item["year"],
            "citation_detail": item.get("citation_detail", ""),
            "doi": item["doi"] or "",
            "pmid": item["pmid"] or "",
            "pmcid": item.get("pmcid", ""),
            "identifier_checked": item["identifier_checked"],
            "included_studies": item.get("included_studies"),
            "participants": item.get("participants"),
            "notes": item["note"],
        }
        assert sorted(c.name.lower() for c in study.conditions.all()) == sorted(item["conditions"])
        assert sorted(i.name.lower() for i in study.interventions.all()) == sorted(
            item["interventions"]
        )
        assert sorted(c.name.lower() for c in study.comparators.all()) == sorted(
            item.get("comparators", [])
        )


def test_checked_and_unchecked_studies_are_exactly_those_the_file_names():
    evidence_seed_load()
    assert sorted(Study.objects.filter(identifier_checked=True).values_list("slug", flat=True)) == [
        "holland-2012-aan-ahs",
        "jhp-2023-imaging-review",
        "linde-2016-cochrane",
        "xu-2020-bmj",
        "yang-2024-meta-regression",
    ]


def test_outcomes_keep_the_reported_figures_and_nothing_more():
    evidence_seed_load()
    fields = ["outcome", "intervention", "comparator", "measure", "estimate", "ci_low", "ci_high"]
    expected = [
        {"study": item["key"], **{name: o[name] for name in fields}}
        | {"participants": None, "direction": "not_stated"}
        for item in SEED["studies"]
        for o in item["outcomes"]
    ]
    loaded = [
        {name: getattr(o, name) for name in [*fields, "participants", "direction"]}
        | {"study": o.study.slug, "intervention": o.intervention.name.lower()}
        for o in Outcome.objects.select_related("study", "intervention").order_by("pk")
    ]
    assert loaded == expected


def test_claims_keep_their_status_sources_and_explanation():
    evidence_seed_load()
    loaded = [
        (c.text, c.status, sorted(s.slug for s in c.studies.all()), c.explanation)
        for c in Claim.objects.prefetch_related("studies").order_by("pk")
    ]
    assert loaded == [
        (item["text"], item["status"].replace(" ", "_"), sorted(item["studies"]), item["note"])
        for item in SEED["claims"]
    ]
    # The file says its claims come from copy about acupuncture and migraine.
    assert {tuple(c.conditions.values_list("slug", flat=True)) for c in Claim.objects.all()} == {
        ("migraine",)
    }


def test_design_and_review_breakdown_are_kept():
    evidence_seed_load()
    designs = dict(Study.objects.values_list("slug", "design"))
    assert designs == {
        "linde-2016-cochrane": "systematic_review",
        "jhp-2023-imaging-review": "systematic_review",
        "mohandes-2024-cupping": "meta_analysis",
        "yang-2024-meta-regression": "meta_analysis",
        "xu-2020-bmj": "rct",
        "zhao-2017-jama-im": "rct",
        "holland-2012-aan-ahs": "guideline",
        "acumigran-2021": "rct",
        "diener-2006-gerac": "rct",
    }
    imaging = Study.objects.get(slug="jhp-2023-imaging-review")
    assert imaging.included_breakdown == SEED["studies"][1]["study_counts"]
    assert set(Study.objects.values_list("certainty", flat=True)) == {"not_graded"}


def test_loading_again_changes_nothing_and_keeps_later_edits():
    evidence_seed_load()
    Study.objects.filter(slug="acumigran-2021").update(identifier_checked=True, summary="Edited")
    before = list(Study.objects.order_by("pk").values_list("slug", "updated_at", "summary"))

    report = evidence_seed_load()

    assert str(report) == (
        "0 studies created (9 already present), 0 outcomes created, "
        "0 claims created (8 already present), 0 summaries added."
    )
    assert list(Study.objects.order_by("pk").values_list("slug", "updated_at", "summary")) == before
    assert Study.objects.get(slug="acumigran-2021").identifier_checked is True
    assert (Outcome.objects.count(), Claim.objects.count()) == (7, 8)


def test_a_study_already_imported_under_another_slug_is_not_duplicated():
    Study.objects.create(
        slug="bmj-trial", title="Imported earlier", year=2020, doi="10.1136/BMJ.M697"
    )
    report = evidence_seed_load()
    assert (report.studies_created, report.studies_present) == (8, 1)
    assert not Study.objects.filter(slug="xu-2020-bmj").exists()
    assert Claim.objects.count() == 8


def test_a_name_missing_from_the_vocabulary_stops_the_load_and_writes_nothing(tmp_path):
    broken = json.loads(SEED_PATH.read_text())
    broken["studies"][-1]["conditions"] = ["migraine", "hiccups"]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(SeedError, match="'hiccups' is not a condition in the vocabulary"):
        evidence_seed_load(path=path)
    assert Study.objects.count() == 0


def test_load_demo_loads_the_evidence_even_when_it_skips_practitioners():
    PractitionerFactory(slug="someone-real")
    output = StringIO()
    call_command("load_demo", count=5, if_empty=True, stdout=output)
    assert output.getvalue().splitlines()[:3] == [
        "Evidence library starter content: 9 studies created (0 already present), "
        "7 outcomes created, 8 claims created (0 already present), 9 summaries added.",
        "Evidence library additions: 13 studies created, 0 unchanged, 3 skipped (identifier "
        "not checked), 33 outcomes created (4 held back from patients), 13 summaries added.",
        "The directory is not empty; demo data not loaded.",
    ]
    assert Study.objects.count() == 22
