"""check_identifiers against a local HTTP server on 127.0.0.1 that answers as Crossref's REST
API (/works/{doi}) and NCBI E-utilities (esummary.fcgi, JSON) do."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.management import call_command

from evidence.models import Study
from tests.config.test_settings import run_python
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

MOHANDES_TITLE = (
    "Cupping Therapy for the Treatment of Migraine Headache: a systematic review and "
    "meta-analysis of clinical trials"
)
XU_TITLE = (
    "Manual acupuncture versus sham acupuncture and usual care for prophylaxis of episodic "
    "migraine without aura: multicentre, randomised clinical trial"
)


class Indexes:
    """What the fake services know, what they were asked, and whether they are down."""

    def __init__(self):
        self.works: dict[str, dict] = {}
        self.summaries: dict[str, dict] = {}
        self.requests: list[str] = []
        self.down = False


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        indexes: Indexes = self.server.indexes
        indexes.requests.append(self.path)
        url = urlsplit(self.path)
        if indexes.down:
            return self.answer(500, b"Internal Server Error", "text/plain")
        if url.path.startswith("/crossref/works/"):
            work = indexes.works.get(unquote(url.path.removeprefix("/crossref/works/")).lower())
            if work is None:
                return self.answer(404, b"Resource not found.", "text/plain")
            body = {"status": "ok", "message-type": "work", "message-version": "1.0.0"}
            return self.answer(200, json.dumps({**body, "message": work}).encode())
        if url.path == "/eutils/esummary.fcgi":
            ids = parse_qs(url.query)["id"][0].split(",")
            result: dict = {"uids": ids}
            for pmid in ids:
                missing = {"uid": pmid, "error": "cannot get document summary"}
                result[pmid] = indexes.summaries.get(pmid, missing)
            header = {"type": "esummary", "version": "0.3"}
            return self.answer(200, json.dumps({"header": header, "result": result}).encode())
        return self.answer(404, b"Not found", "text/plain")

    def answer(self, status: int, body: bytes, content_type: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def indexes(server, settings):
    """Fresh fake indexes for each test, and settings that point at them."""
    server.indexes = Indexes()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CROSSREF_URL = f"{base}/crossref"
    settings.NCBI_EUTILS_URL = f"{base}/eutils"
    settings.IDENTIFIER_CHECK_EMAIL = "evidence@example.org"
    return server.indexes


def crossref_work(*, doi: str, title: str, authors: list[tuple[str, str]], journal: str, **more):
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [
            {"given": given, "family": family, "sequence": "additional", "affiliation": []}
            for family, given in authors
        ],
        "container-title": [journal],
        "URL": f"https://doi.org/{doi}",
        **more,
    }


def pubmed_summary(*, pmid: str, title: str, authors: list[str], doi: str = "", **more):
    articleids = [{"idtype": "pubmed", "idtypen": 1, "value": pmid}]
    if doi:
        articleids.append({"idtype": "doi", "idtypen": 3, "value": doi})
    return {
        "uid": pmid,
        "title": f"{title}.",
        "authors": [{"name": name, "authtype": "Author", "clusterid": ""} for name in authors],
        "articleids": articleids,
        "pubtype": ["Journal Article"],
        **more,
    }


def run(*args: str) -> list[str]:
    output = StringIO()
    call_command("check_identifiers", *args, stdout=output)
    return output.getvalue().splitlines()


def checked() -> dict[str, bool]:
    return dict(Study.objects.values_list("slug", "identifier_checked"))


def test_off_unless_configured_and_then_nobody_is_asked(seeded, indexes, settings):
    settings.CROSSREF_URL = settings.NCBI_EUTILS_URL = ""
    before = checked()
    assert run() == [
        "Identifier checks are off: set CROSSREF_URL and/or NCBI_EUTILS_URL (see .env.example). "
        "Nothing was changed."
    ]
    assert indexes.requests == []
    assert checked() == before


def test_identifiers_found_with_their_title_are_marked_checked_and_others_are_not(seeded, indexes):
    indexes.works["10.3831/kpi.2024.27.3.177"] = crossref_work(
        doi="10.3831/KPI.2024.27.3.177",
        title=MOHANDES_TITLE.upper(),
        authors=[("Mohandes", "B.")],
        journal="Journal of Pharmacopuncture",
    )
    indexes.summaries["39350928"] = pubmed_summary(
        pmid="39350928",
        title=MOHANDES_TITLE,
        authors=["Mohandes B"],
        doi="10.3831/KPI.2024.27.3.177",
    )
    indexes.works["10.3389/fneur.2020.570335"] = crossref_work(
        doi="10.3389/fneur.2020.570335",
        title="A different article registered under this DOI",
        authors=[],
        journal="Frontiers in Neurology",
    )
    before = checked()

    lines = run()

    assert lines == [
        "not confirmed: acumigran-2021: Crossref's title for DOI 10.3389/fneur.2020.570335 is "
        "'A different article registered under this DOI'",
        "checked: mohandes-2024-cupping: PMID confirmed at PubMed; DOI confirmed at Crossref",
        "2 studies looked up: 1 checked, 1 not confirmed, 0 unchanged.",
    ]
    assert checked() == {**before, "mohandes-2024-cupping": True}
    # one batched E-utilities request, one Crossref request per DOI, both with the contact
    assert sorted(indexes.requests) == [
        "/crossref/works/10.3389/fneur.2020.570335?mailto=evidence%40example.org",
        "/crossref/works/10.3831/KPI.2024.27.3.177?mailto=evidence%40example.org",
        "/eutils/esummary.fcgi?db=pubmed&retmode=json&id=39350928&tool=meridian"
        "&email=evidence%40example.org",
    ]


def test_an_identifier_the_index_does_not_know_unchecks_a_checked_study(seeded, indexes):
    indexes.summaries["32213509"] = pubmed_summary(
        pmid="32213509", title=XU_TITLE, authors=["Xu S"], doi="10.1136/bmj.m697"
    )
    assert run("--study", "xu-2020-bmj") == [
        "not confirmed: xu-2020-bmj: Crossref has no DOI 10.1136/bmj.m697; "
        "PMID confirmed at PubMed",
        "1 studies looked up: 0 checked, 1 not confirmed, 0 unchanged.",
    ]
    assert Study.objects.get(slug="xu-2020-bmj").identifier_checked is False


def test_a_pmid_whose_record_names_another_doi_is_not_confirmed(indexes):
    StudyFactory(slug="mixed-up", title="Test study", doi="10.5555/ours", pmid="4242")
    indexes.summaries["4242"] = pubmed_summary(
        pmid="4242", title="Test study", authors=[], doi="10.5555/theirs"
    )
    indexes.works["10.5555/ours"] = crossref_work(
        doi="10.5555/ours", title="Test study", authors=[], journal="J"
    )
    assert run()[0] == (
        "not confirmed: mixed-up: PubMed gives DOI 10.5555/theirs for PMID 4242; "
        "DOI confirmed at Crossref"
    )
    assert Study.objects.get(slug="mixed-up").identifier_checked is False


def test_missing_metadata_is_filled_in_and_nothing_an_editor_wrote_is_replaced(indexes):
    StudyFactory(
        slug="sparse",
        title="Test study of sparse metadata",
        authors=[],
        journal="Editor's journal name",
        doi="",
        pmid="5555",
    )
    indexes.summaries["5555"] = pubmed_summary(
        pmid="5555",
        title="Test study of sparse metadata",
        authors=["Tester A", "Example B"],
        doi="10.5555/sparse",
        fulljournalname="Index's journal name",
        volume="12",
        issue="3",
        pages="45-67",
    )
    indexes.summaries["5555"]["articleids"].append({"idtype": "pmc", "value": "PMC123"})

    assert run() == [
        "checked: sparse: PMID confirmed at PubMed; filled in doi, authors, citation_detail, pmcid",
        "1 studies looked up: 1 checked, 0 not confirmed, 0 unchanged.",
    ]
    study = Study.objects.get(slug="sparse")
    assert (study.authors, study.journal, study.citation_detail, study.doi, study.pmcid) == (
        ["Tester A", "Example B"],
        "Editor's journal name",
        "12(3):45-67",
        "10.5555/sparse",
        "PMC123",
    )
    assert study.identifier_checked is True


def test_crossref_fills_authors_from_given_and_family_names(indexes):
    StudyFactory(slug="no-authors", title="Test study", authors=[], doi="10.5555/na", pmid="")
    indexes.works["10.5555/na"] = crossref_work(
        doi="10.5555/na",
        title="Test study",
        authors=[("Tester", "Ada Maria"), ("Example", "B.")],
        journal="Journal of Test Data",
        volume="3",
        page="10-20",
        issued={"date-parts": [[2020, 5]]},
    )
    run()
    study = Study.objects.get(slug="no-authors")
    assert (study.authors, study.citation_detail, study.identifier_checked) == (
        ["Tester AM", "Example B"],
        "3:10-20",
        True,
    )


def test_a_service_that_fails_changes_nothing(seeded, indexes):
    indexes.down = True
    before = checked()
    assert run("--study", "mohandes-2024-cupping") == [
        "unchanged: mohandes-2024-cupping: PMID not checked: NCBI E-utilities answered HTTP 500; "
        "DOI not checked: Crossref answered HTTP 500",
        "1 studies looked up: 0 checked, 0 not confirmed, 1 unchanged.",
    ]
    assert checked() == before


def test_with_only_crossref_configured_a_pmid_stays_unchecked(seeded, indexes, settings):
    settings.NCBI_EUTILS_URL = ""
    indexes.works["10.3831/kpi.2024.27.3.177"] = crossref_work(
        doi="10.3831/KPI.2024.27.3.177", title=MOHANDES_TITLE, authors=[], journal="J"
    )
    assert run("--study", "mohandes-2024-cupping")[0] == (
        "unchanged: mohandes-2024-cupping: PMID not checked (NCBI_EUTILS_URL is not set); "
        "DOI confirmed at Crossref"
    )
    assert Study.objects.get(slug="mohandes-2024-cupping").identifier_checked is False


def test_service_urls_must_be_web_addresses():
    result = run_python(
        "import django; django.setup()", DEBUG="true", CROSSREF_URL="api.crossref.org"
    )
    assert result.returncode != 0
    assert "CROSSREF_URL must be an https:// (or http://) URL, got 'api.crossref.org'" in (
        result.stderr
    )
