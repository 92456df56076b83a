"""The whole library as load_demo loads it: conditions patients search by show their
evidence best first with certainty in words, a condition without studies says so, and an
outcome held back for checking appears on no page, in no API answer and in no FHIR one."""

from __future__ import annotations

import json
import re

import pytest

from evidence.models import Condition, Outcome, Study
from evidence.services import ADDITIONS_PATH
from tests.factories import StudyFactory, listed_practitioner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_library")]

ADDITIONS = json.loads(ADDITIONS_PATH.read_text())


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def listed(html: str) -> list[str]:
    """The studies a condition page lists, in order."""
    return re.findall(
        r'class="study-item-title" id="study-\d+-title"><a href="/evidence/studies/([\w-]+)/">',
        html,
    )


@pytest.mark.parametrize(
    ("slug", "studies"),
    [
        ("tension-type-headache", ["linde-2016-tth-cochrane"]),
        ("low-back-pain", ["mu-2020-clbp-cochrane", "qaseem-2017-acp-low-back-pain-guideline"]),
        (
            "back-pain",
            [
                "mu-2020-clbp-cochrane",
                "qaseem-2017-acp-low-back-pain-guideline",
                "vickers-2012-chronic-pain-ipd",
            ],
        ),
        ("neck-pain", ["vickers-2012-chronic-pain-ipd"]),
        ("knee-osteoarthritis", ["manheimer-2010-oa-cochrane"]),
        (
            "osteoarthritis",
            [
                "vickers-2018-chronic-pain-ipd-update",
                "vickers-2012-chronic-pain-ipd",
                "manheimer-2010-oa-cochrane",
            ],
        ),
        ("chemotherapy-nausea", ["ezzo-2005-cinv-jco"]),
        ("nausea-and-vomiting", ["lee-2015-pc6-ponv-cochrane", "ezzo-2005-cinv-jco"]),
        ("fibromyalgia", ["deare-2013-fibromyalgia-cochrane"]),
        ("infertility-support", ["smith-2019-ivf-embryo-transfer-sr"]),
        ("depression", ["jcm-2019-depression-sr"]),
        ("insomnia", ["cheuk-2012-insomnia-cochrane"]),
        ("labour-pain", ["smith-2020-labour-pain-cochrane"]),
    ],
)
def test_conditions_patients_search_by_show_their_evidence_best_first(client, slug, studies):
    html = page(client, f"/conditions/{slug}/")
    assert listed(html) == studies
    assert html.count("<strong>Meridian's summary</strong>") == len(studies)
    assert "The library holds no studies" not in html


def test_each_result_shows_its_comparison_and_certainty_in_words(client):
    html = page(client, "/conditions/low-back-pain/")
    assert (
        "Pain intensity (VAS 0-100), immediately after / &lt;7 days after sessions: Acupuncture "
        'compared with usual care</span> — <span class="finding-effect">MD \u221210.26 (95% CI '
        "\u221217.11 to \u22123.4)</span>"
    ) in html
    # beside each of the two results, and again in the forest plots' tables
    assert html.count("Low certainty: further research is likely to change this estimate.") == 4
    assert "<strong>Compared with:</strong> no treatment, sham acupuncture, usual care." in html

    nausea = page(client, "/conditions/postoperative-nausea/")
    assert "Very low certainty: we are very uncertain about this estimate." in nausea
    assert '<span class="badge">Certainty: Low to very low</span>' in nausea

    headache = page(client, "/conditions/tension-type-headache/")
    assert (
        "48 in 100 with acupuncture; 17 of 100 with usual care or treatment of headaches only "
        "on onset"
    ) in headache
    assert "Moderate certainty: further research may change this estimate." in headache


def test_a_citation_without_figures_says_figures_not_yet_entered(client):
    html = page(client, "/conditions/insomnia/")
    assert "<strong>Figures not yet entered.</strong>" in html
    assert "Source not yet read in full" in html
    study = page(client, "/evidence/studies/cheuk-2012-insomnia-cochrane/")
    assert "<strong>Figures not yet entered.</strong>" in study
    assert "<strong>Not yet read in full.</strong>" in study


def test_a_condition_without_studies_says_so_plainly(client):
    html = page(client, "/conditions/anxiety/")
    assert listed(html) == []
    assert (
        "The library holds no studies of anxiety yet. That says nothing about whether "
        "acupuncture helps: it means Meridian has not yet added research it could check."
    ) in html


def test_the_library_shows_which_conditions_have_evidence(client):
    html = page(client, "/evidence/")
    browse = html.split('id="conditions-title"', 1)[1].split("</section>", 1)[0]
    with_evidence = dict(
        re.findall(r'<a href="/conditions/[\w-]+/">(.*?)</a> <span class="count">\((.*?)\)', browse)
    )
    assert with_evidence["Low back pain"] == "2 studies"
    assert with_evidence["Knee osteoarthritis"] == "1 study"
    without = browse.split('class="no-evidence-yet"', 1)[1]
    assert re.findall(r">([^<>]+)</a>", without) == ["Anxiety", "Chronic migraine"]


def test_ties_in_design_and_year_are_broken_by_id(client):
    condition = Condition.objects.get(slug="anxiety")
    made = [
        StudyFactory(title=title, design="systematic_review", year=2022, summary="Made up.")
        for title in ["Zeta review", "Alpha review", "Mu review"]
    ]
    trial = StudyFactory(title="A newer trial", design="rct", year=2025, summary="Made up.")
    unsummarised = StudyFactory(design="systematic_review", year=2025)
    for study in [*made, trial, unsummarised]:
        study.conditions.add(condition)
    html = page(client, "/conditions/anxiety/")
    assert listed(html) == [study.slug for study in made] + [trial.slug]


def held_back_marks() -> list[str]:
    """Text that only a held-back outcome could put on a page or in an answer."""
    marks = []
    for outcome in Outcome.objects.filter(show=False):
        marks.append(outcome.outcome)
        if outcome.has_figures:
            marks.append(outcome.effect_display)
            marks.append(json.dumps(outcome.estimate))
            marks.append(f'"ci_low":{json.dumps(outcome.ci_low)}')
    return marks


def test_the_file_holds_back_what_the_database_holds_back():
    in_file = {
        (item["key"], figures["outcome"], figures["comparator"])
        for item in ADDITIONS["studies"]
        for figures in item["outcomes"]
        if figures.get("show") is False
    }
    stored = set(
        Outcome.objects.filter(show=False).values_list("study__slug", "outcome", "comparator")
    )
    assert stored == in_file and len(stored) == 4
    assert set(held_back_marks()) >= {
        "miscarriage",
        "any reproductive outcome",
        "RR 1.43 (95% CI 1.03 to 1.98)",
        "SMD \u22120.28 (95% CI \u22120.45 to \u22120.11)",
    }


def test_no_held_back_outcome_appears_on_any_page_or_in_any_answer(client):
    knee = Condition.objects.get(slug="knee-osteoarthritis")
    listed_practitioner(slug="treats-knees").conditions.add(knee)
    urls = ["/evidence/", "/evidence/claims/", "/api/v1/studies/", "/api/v1/conditions/"]
    urls += [study.get_absolute_url() for study in Study.objects.all()]
    urls += [f"/api/v1/studies/{slug}/" for slug in Study.objects.values_list("slug", flat=True)]
    urls += [condition.get_absolute_url() for condition in Condition.objects.all()]
    urls += ["/fhir/Practitioner", "/fhir/PractitionerRole", "/fhir/Practitioner/treats-knees"]
    marks = held_back_marks()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = response.content.decode().replace(": ", ":")
        assert not [mark for mark in marks if mark in text], url
    detail = client.get("/api/v1/studies/smith-2019-ivf-embryo-transfer-sr/").json()
    assert [o["outcome"] for o in detail["outcomes"]] == ["clinical pregnancy", "live birth"]
    manheimer = client.get("/api/v1/studies/manheimer-2010-oa-cochrane/").json()
    assert manheimer["outcomes"] == [] and manheimer["needs_checking"] is True
