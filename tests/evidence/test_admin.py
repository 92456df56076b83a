"""Editors manage studies, outcomes and claims in the admin and upload citation files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import Outcome, Study
from evidence.services import evidence_additions_load
from tests.factories import ClaimFactory, OutcomeFactory, reviewer, today

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
IMPORT_URL = "/admin/evidence/study/import/"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (FILES / name).read_bytes())


def test_evidence_models_have_working_admin_pages(superuser_client):
    outcome = OutcomeFactory()
    claim = ClaimFactory()
    for url in [
        "/admin/evidence/study/",
        "/admin/evidence/study/add/",
        f"/admin/evidence/study/{outcome.study.pk}/change/",
        "/admin/evidence/claim/",
        "/admin/evidence/claim/add/",
        f"/admin/evidence/claim/{claim.pk}/change/",
        "/admin/evidence/outcome/",
        f"/admin/evidence/outcome/{outcome.pk}/change/",
    ]:
        assert superuser_client.get(url).status_code == 200, url
    assert IMPORT_URL.encode() in superuser_client.get("/admin/evidence/study/").content


def test_an_outcome_whose_interval_misses_the_estimate_is_refused_in_the_form(superuser_client):
    outcome = OutcomeFactory()
    study = outcome.study
    form = {
        "slug": study.slug,
        "title": study.title,
        "authors": "Tester A",
        "year": "2020",
        "certainty": "not_graded",
        "included_breakdown": "{}",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "1",
        "outcomes-0-id": str(outcome.pk),
        "outcomes-0-study": str(study.pk),
        "outcomes-0-outcome": outcome.outcome,
        "outcomes-0-intervention": str(outcome.intervention.pk),
        "outcomes-0-comparator": "sham acupuncture",
        "outcomes-0-measure": "MD",
        "outcomes-0-estimate": "3",
        "outcomes-0-ci_low": "-2",
        "outcomes-0-ci_high": "0.5",
        "outcomes-0-direction": "not_stated",
        "outcomes-0-certainty": "not_graded",
        "outcomes-0-show": "on",
    }
    response = superuser_client.post(f"/admin/evidence/study/{study.pk}/change/", form)
    assert response.status_code == 400
    assert "The 95% confidence interval must contain the estimate." in response.content.decode()
    assert Outcome.objects.get().estimate == -1.0


def test_upload_imports_the_file_and_shows_what_happened(superuser_client):
    response = superuser_client.post(
        IMPORT_URL, {"file": upload("zotero-library.ris"), "format": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 created, 0 updated, 1 skipped (3 RIS records)." in page
    assert "skipped because it has no publication year" in page
    assert sorted(Study.objects.values_list("year", flat=True)) == [2017, 2024]


def studies() -> list[dict]:
    """Every stored study, every field: what a refused import must leave as it was."""
    return list(Study.objects.order_by("pk").values())


@pytest.fixture
def library(superuser_client) -> list[dict]:
    """Two studies imported before the refused file, so "nothing changed" is not "still empty"."""
    superuser_client.post(IMPORT_URL, {"file": upload("zotero-library.ris"), "format": ""})
    before = studies()
    assert len(before) == 2
    return before


def test_a_malformed_upload_is_refused_with_its_line_and_writes_nothing(superuser_client, library):
    broken = (
        (FILES / "zotero-better-bibtex.bib").read_bytes().replace(b"{1346--1353}", b"{1346--1353")
    )
    response = superuser_client.post(IMPORT_URL, {"file": upload("broken.bib", broken)})
    assert response.status_code == 400
    assert "Nothing was imported. line 19: the entry" in response.content.decode()
    assert studies() == library


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "This field is required."),
        ({"file": "latin1.ris"}, "line 2: the file is not UTF-8 text"),
        ({"file": "page.html"}, "This is not a RIS, PubMed MEDLINE or BibTeX file"),
        ({"file": "zotero-library.ris", "format": "word"}, "Select a valid choice."),
    ],
)
def test_bad_uploads_answer_400_with_the_reason(superuser_client, library, form, message):
    contents = {
        "latin1.ris": "TY  - JOUR\nTI  - Caf\xe9\nER  - \n".encode("latin-1"),
        "page.html": b"<html><body>Sign in</body></html>",
    }
    if "file" in form:
        form = {**form, "file": upload(form["file"], contents.get(form["file"]))}
    response = superuser_client.post(IMPORT_URL, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert studies() == library


def test_only_staff_with_study_permissions_may_import(client):
    assert client.get(IMPORT_URL).status_code == 302  # anonymous: to the login page
    client.force_login(reviewer())  # staff with two-factor, but no study permissions
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": upload("zotero-library.ris")})
    assert response.status_code == 403
    assert Study.objects.count() == 0


def test_staff_see_each_outcome_beside_its_source_quote_and_whether_it_is_held_back(
    superuser_client,
):
    evidence_additions_load()
    study = Study.objects.get(slug="manheimer-2010-oa-cochrane")
    html = superuser_client.get(f"/admin/evidence/study/{study.pk}/change/").content.decode()
    assert "Source (for checking; never shown)" in html
    assert "however, these pooled short-term benefits did no</textarea>" in html
    assert "do not show these figures until that sentence has been read in full" in html
    held_back = superuser_client.get("/admin/evidence/outcome/?show__exact=0").content.decode()
    assert held_back.count('class="field-outcome"') == 4


def test_marking_studies_reviewed_dates_them_and_clears_needs_checking(superuser_client):
    evidence_additions_load()
    study = Study.objects.get(slug="deare-2013-fibromyalgia-cochrane")
    assert (study.needs_checking, study.reviewed_on) == (True, None)
    listing = superuser_client.get(
        "/admin/evidence/study/?needs_checking__exact=1"
    ).content.decode()
    assert study.title in listing
    response = superuser_client.post(
        "/admin/evidence/study/",
        {"action": "mark_reviewed", "_selected_action": [str(study.pk)]},
        follow=True,
    )
    assert "1 study marked reviewed." in response.content.decode()
    study.refresh_from_db()
    assert (study.needs_checking, study.reviewed_on) == (False, today())
    assert Study.objects.filter(needs_checking=True).count() == 11
