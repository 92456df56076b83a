"""The library, study, claims and condition pages, and the honesty rules they keep."""

from __future__ import annotations

import re

import pytest

from evidence.models import Condition, Study
from tests.factories import OutcomeFactory, PractitionerFactory, StudyFactory, listed_practitioner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_library")]


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def listed_slugs(html: str) -> list[str]:
    return re.findall(r'<a href="/evidence/studies/([\w-]+)/">', html)


def test_library_lists_every_study_newest_first(client):
    html = page(client, "/evidence/")
    assert '<h2 id="results-title">9 studies</h2>' in html
    assert listed_slugs(html) == [
        "yang-2024-meta-regression",
        "mohandes-2024-cupping",
        "jhp-2023-imaging-review",
        "acumigran-2021",
        "xu-2020-bmj",
        "zhao-2017-jama-im",
        "linde-2016-cochrane",
        "holland-2012-aan-ahs",
        "diener-2006-gerac",
    ]
    assert html.count(">Identifier not checked<") == 4
    assert html.count(">Identifier checked<") == 5
    browse = html.split('id="conditions-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(
        r'<a href="/conditions/[\w-]+/">(.*?)</a> <span class="count">\((.*?)\)', browse
    ) == [
        ("Cluster headache", "1 study"),
        ("Episodic migraine", "3 studies"),
        ("Episodic migraine without aura", "1 study"),
        ("Medication overuse headache", "1 study"),
        ("Migraine", "9 studies"),
        ("Migraine without aura", "1 study"),
    ]
    labels = re.findall(r'<label for="id_(\w+)">(.*?):</label>', html)
    assert labels == [
        ("q", "Search titles, authors and summaries"),
        ("condition", "Condition"),
        ("intervention", "Intervention"),
        ("design", "Design"),
        ("certainty", "Certainty (GRADE)"),
        ("year_from", "From year"),
        ("year_to", "To year"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "condition=episodic-migraine",
            ["xu-2020-bmj", "linde-2016-cochrane", "holland-2012-aan-ahs"],
        ),
        ("condition=cluster-headache", ["jhp-2023-imaging-review"]),
        ("intervention=cupping", ["mohandes-2024-cupping"]),
        ("intervention=triptans", ["jhp-2023-imaging-review"]),
        ("design=guideline", ["holland-2012-aan-ahs"]),
        ("design=rct&year_from=2018", ["acumigran-2021", "xu-2020-bmj"]),
        ("year_from=2016&year_to=2017", ["zhao-2017-jama-im", "linde-2016-cochrane"]),
        ("certainty=high", []),
        ("q=cupping", ["mohandes-2024-cupping"]),
        ("q=Vickers", ["linde-2016-cochrane"]),
        # the title first, then summaries that mention it
        ("q=sham+acupuncture", ["xu-2020-bmj", "linde-2016-cochrane", "zhao-2017-jama-im"]),
        ("q=prophylaxis&design=rct", ["xu-2020-bmj", "zhao-2017-jama-im", "diener-2006-gerac"]),
        ("q=the", []),
    ],
)
def test_library_filters_and_searches(client, query, expected):
    html = page(client, f"/evidence/?{query}")
    assert listed_slugs(html) == expected
    if not expected:
        assert "No study matches these filters." in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year_from=nineteen", "Enter a whole number."),
        ("year_from=1200", "Ensure this value is greater than or equal to 1800."),
        ("year_from=2020&year_to=2010", "The last year must not be before the first year."),
        ("condition=hiccups", "Select a valid choice."),
        ("design=anecdote", "Select a valid choice. anecdote is not one of the available choices."),
        ("page=first", "Page: Enter a whole number."),
        ("q=%00", "Null characters are not allowed."),
    ],
)
def test_bad_filters_answer_400_and_say_what_is_wrong(client, query, message):
    html = page(client, f"/evidence/?{query}", status=400)
    assert message in html
    assert listed_slugs(html) == []
    assert 'role="alert"' in html


def test_library_pages_through_many_studies(client):
    for number in range(25):
        StudyFactory(year=2000 + number, design="cohort")
    first = page(client, "/evidence/?design=cohort")
    second = page(client, "/evidence/?design=cohort&page=2")
    assert len(listed_slugs(first)) == 20 and len(listed_slugs(second)) == 5
    assert 'href="?design=cohort&amp;page=2" rel="next"' in first
    assert set(listed_slugs(first)).isdisjoint(listed_slugs(second))


def test_study_page_gives_the_full_citation_links_and_unchecked_mark(client):
    html = page(client, "/evidence/studies/mohandes-2024-cupping/")
    assert (
        "Mohandes B, Bayoumi FEA, AllahDiwaya AA, Falah MS, Alhamd LH, Alsawadi RA, Sun Y, Ma A, "
        "Sula I, Jihwaprani MC. Cupping Therapy for the Treatment of Migraine Headache: a "
        "systematic review and meta-analysis of clinical trials. <cite>Journal of "
        "Pharmacopuncture</cite>. 2024; 27(3):177-189. doi:10.3831/KPI.2024.27.3.177 PMID: "
        "39350928"
    ) in html
    assert '<a href="https://doi.org/10.3831/KPI.2024.27.3.177">' in html
    assert (
        '<a href="https://pubmed.ncbi.nlm.nih.gov/39350928/">PMID 39350928</a> (not checked)'
        in html
    )
    assert "<strong>Identifier not checked.</strong>" in html
    assert "DOI seen on an index page; PMID seen only on a mirror" in html
    # the forest plots: one per measure, each an image with a text alternative
    assert html.count('role="img"') == 2
    assert '<title id="forest-1-title">Forest plot: Risk ratio (RR) against control</title>' in html
    assert "RR 1.83 (95% CI 1.52 to 2.21)" in html
    assert "SMD 0.55 (95% CI 0.39 to 0.7)" in html
    assert "Not reported for this outcome (whole study: 1446)" in html
    # the claim that cites it, as a claim
    assert "Cupping therapy was associated with an 83% higher likelihood" in html


def test_every_starter_study_shows_its_checked_status_exactly(client):
    for study in Study.objects.all():
        html = page(client, study.get_absolute_url())
        status = html.split('aria-label="About this study"', 1)[1].split("</ul>", 1)[0]
        if study.identifier_checked:
            assert ">Identifier checked<" in status and "not checked" not in html, study.slug
        else:
            assert ">Identifier not checked<" in status, study.slug
            assert "<strong>Identifier not checked.</strong>" in html, study.slug


def test_a_study_without_identifiers_says_it_could_not_be_checked(client):
    html = page(client, "/evidence/studies/diener-2006-gerac/")
    assert "This entry has no DOI or PubMed ID that Meridian has seen" in html
    assert "<dt>DOI</dt><dd>None recorded</dd>" in html
    assert "Meridian records no effect estimates for this study; see the notes above." in html
    assert 'role="img"' not in html


def test_unknown_study_and_condition_are_404(client):
    page(client, "/evidence/studies/not-a-study/", status=404)
    page(client, "/conditions/not-a-condition/", status=404)


def test_claims_page_never_presents_an_unestablished_claim_as_fact(client):
    html = page(client, "/evidence/claims/")
    assert "<h2>8 claims</h2>" in html
    claims = re.findall(r'<article class="claim claim-(\w+)".*?</article>', html, re.S)
    assert claims == [
        "unverified",
        "unverified",
        "contradicted",
        "unsupported",
        "supported",
        "partly_supported",
        "supported",
        "unverified",
    ]
    for article in re.findall(r'<article class="claim claim-.*?</article>', html, re.S):
        established = "claim-supported" in article or "claim-partly_supported" in article
        assert ("do not rely on it" in article) is not established
        assert ("Not established:" in article) is not established
        assert '<blockquote class="claim-text">' in article
    assert (
        '<a href="/evidence/studies/holland-2012-aan-ahs/">Holland 2012: Evidence-based '
        "guideline update"
    ) in html
    assert html.count("No study is behind this claim.") == 2


def test_claims_filter_by_status_and_condition(client):
    html = page(client, "/evidence/claims/?status=contradicted")
    assert "<h2>1 claim</h2>" in html and "2024 AAN/AHS consensus statement" in html
    html = page(client, "/evidence/claims/?condition=migraine")
    assert "<h2>8 claims</h2>" in html
    assert (
        'href="/search/?condition=migraine">Find practitioners who treat migraine near you' in html
    )
    assert "<h2>0 claims</h2>" in page(client, "/evidence/claims/?condition=insomnia")
    bad = page(client, "/evidence/claims/?status=true", status=400)
    assert "Select a valid choice. true is not one of the available choices." in bad


def test_condition_page_lists_best_evidence_first_and_leads_to_practitioners(client):
    migraine = Condition.objects.get(slug="migraine")
    for practitioner in [listed_practitioner(), listed_practitioner(), PractitionerFactory()]:
        practitioner.conditions.add(migraine)  # the last is not listable: no license

    html = page(client, "/conditions/migraine/")

    assert (
        '<a class="button button-primary" href="/search/?condition=migraine">'
        "Find practitioners who treat migraine near you</a>"
    ) in html
    assert "2 listed practitioners say they treat migraine." in html
    assert "9 studies in the library concern migraine or its types." in html
    # reviews, meta-analyses and guidelines first, newer first, then the trials
    assert re.findall(
        r'class="study-item-title" id="study-\d+-title"><a href="/evidence/studies/([\w-]+)/">',
        html,
    ) == [
        "mohandes-2024-cupping",
        "yang-2024-meta-regression",
        "jhp-2023-imaging-review",
        "linde-2016-cochrane",
        "holland-2012-aan-ahs",
        "acumigran-2021",
        "xu-2020-bmj",
        "zhao-2017-jama-im",
        "diener-2006-gerac",
    ]
    assert html.count("<strong>Meridian's summary</strong>") == 9
    assert html.count("<strong>Figures not yet entered.</strong>") == 6
    assert (
        "Migraine days, weeks 13-16: Manual acupuncture compared with sham acupuncture</span>"
        ' — <span class="finding-effect">MD \u22121.4 (95% CI \u22122.4 to \u22120.3)</span>'
    ) in html
    assert (
        html.count("Not graded: the source did not rate how certain this finding is.") == 7 * 2
    )  # beside each result, and in the plots' tables
    titles = re.findall(r'<title id="forest-\d+-title">Forest plot: (.*?)</title>', html)
    assert titles == [
        "Mean difference (MD) against baseline",
        "Risk ratio (RR) against control",
        "Standardised mean difference (SMD) against control",
        "Mean difference (MD) against sham acupuncture",
    ]
    # every figure in the plots' tables links to its study
    rows = re.findall(r"<tr>\s*<td><a href=\"/evidence/studies/([\w-]+)/\">", html)
    assert rows == [
        "yang-2024-meta-regression",
        "yang-2024-meta-regression",
        "mohandes-2024-cupping",
        "mohandes-2024-cupping",
        "mohandes-2024-cupping",
        "xu-2020-bmj",
        "xu-2020-bmj",
    ]
    assert html.count('<article class="claim') == 8
    assert 'href="/evidence/claims/?condition=migraine">All claims about migraine</a>' in html


def test_a_subtype_page_has_its_own_evidence_and_links_back(client):
    html = page(client, "/conditions/episodic-migraine/")
    assert '<a href="/conditions/migraine/">Migraine</a>' in html
    assert "3 studies in the library concern episodic migraine or its types." in html
    assert "No claims about episodic migraine have been checked yet." in html


def test_a_condition_without_evidence_still_leads_to_practitioners(client):
    html = page(client, "/conditions/insomnia/")
    assert "The library holds no studies of insomnia yet." in html
    assert 'href="/search/?condition=insomnia"' in html
    assert "0 listed practitioners say they treat insomnia." in html


def test_forest_plot_uses_whole_study_participants_for_marker_size(client):
    big = StudyFactory(participants=900, summary="A made-up summary.")
    small = StudyFactory(participants=100, summary="Another made-up summary.")
    OutcomeFactory(study=big)
    OutcomeFactory(study=small, participants=None)
    condition = Condition.objects.get(slug="neck-pain")
    big.conditions.add(condition)
    small.conditions.add(condition)
    html = page(client, "/conditions/neck-pain/")
    sizes = re.findall(r'<rect class="forest-point" [^>]*width="([\d.]+)"', html)
    assert sizes == ["20.0", "11.3"]


def test_header_links_to_the_library(client):
    html = page(client, "/")
    assert '<a href="/evidence/">Evidence</a>' in html
    assert '<a href="/evidence/" aria-current="page">Evidence</a>' in page(client, "/evidence/")
