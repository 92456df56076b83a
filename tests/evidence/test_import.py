"""Importing citation files into the library: create, update by DOI/PMID/title and year,
skip with reasons, and refuse malformed files without writing anything."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evidence.citations import CitationFileError
from evidence.models import Study
from evidence.services import citations_import
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def text(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8-sig")


def snapshot() -> list[tuple]:
    return list(Study.objects.order_by("slug").values_list("slug", "updated_at"))


def outcomes(report) -> list[tuple[str, str]]:
    return [(result.action, result.reason) for result in report.results]


@pytest.mark.parametrize(
    ("name", "created"),
    [
        ("pubmed-citation.nbib", 1),
        ("pubmed-search-export.txt", 3),
        ("zotero-library.ris", 2),
        ("sciencedirect.ris", 1),
        ("zotero-better-bibtex.bib", 3),
        ("wiley-cochrane.bib", 1),
    ],
)
def test_each_format_imports_and_a_second_import_changes_nothing(name, created):
    first = citations_import(text=text(name))
    assert first.count("created") == created
    assert Study.objects.count() == created
    assert not Study.objects.filter(identifier_checked=True).exists()
    before = snapshot()

    second = citations_import(text=text(name))

    assert second.count("created") == second.count("updated") == 0
    assert snapshot() == before


def test_an_imported_study_carries_the_citation_as_pubmed_gives_it():
    report = citations_import(text=text("pubmed-search-export.txt"))
    study = Study.objects.get(pmid="22529203")
    assert report.results[2].study == study
    assert {
        "slug": study.slug,
        "title": study.title,
        "authors": study.authors[:2],
        "journal": study.journal,
        "year": study.year,
        "citation_detail": study.citation_detail,
        "doi": study.doi,
        "design": study.design,
        "identifier_checked": study.identifier_checked,
        "certainty": study.certainty,
    } == {
        "slug": "holland-2012-evidence-based-guideline-update-nsaids-and",
        "title": "Evidence-based guideline update: NSAIDs and other complementary treatments for "
        "episodic migraine prevention in adults: report of the Quality Standards Subcommittee "
        "of the American Academy of Neurology and the American Headache Society",
        "authors": ["Holland S", "Silberstein SD"],
        "journal": "Neurology",
        "year": 2012,
        "citation_detail": "78(17):1346-53",
        "doi": "10.1212/WNL.0b013e3182535d0c",
        "design": "guideline",
        "identifier_checked": False,
        "certainty": "not_graded",
    }


def test_records_match_the_starter_content_by_doi_pmid_and_title(seeded):
    zotero = citations_import(text=text("zotero-library.ris"))
    assert outcomes(zotero) == [
        ("skipped", "mohandes-2024-cupping is up to date (same DOI)"),
        ("skipped", "zhao-2017-jama-im is up to date (same title and year)"),
        ("skipped", "skipped because it has no publication year"),
    ]
    pubmed = citations_import(text=text("pubmed-search-export.txt"))
    assert outcomes(pubmed) == [
        ("updated", "xu-2020-bmj matched by DOI; changed journal"),
        ("skipped", "yang-2024-meta-regression is up to date (same DOI)"),
        ("updated", "holland-2012-aan-ahs matched by DOI; changed title, authors, citation_detail"),
    ]
    assert Study.objects.count() == 9
    xu = Study.objects.get(slug="xu-2020-bmj")
    assert (xu.journal, xu.identifier_checked, xu.design) == (
        "BMJ (Clinical research ed.)",
        True,
        "rct",
    )


def test_a_new_identifier_makes_the_study_unchecked_again():
    StudyFactory(
        slug="gerac", title="GERAC trial of acupuncture", year=2006, identifier_checked=True
    )
    report = citations_import(
        text="TY  - JOUR\nTI  - GERAC trial of acupuncture.\nPY  - 2006\n"
        "DO  - 10.5555/gerac\nER  - \n"
    )
    assert outcomes(report) == [("updated", "gerac matched by title and year; changed doi")]
    study = Study.objects.get(slug="gerac")
    assert (study.doi, study.identifier_checked) == ("10.5555/gerac", False)


def test_doi_wins_over_pmid_and_pmid_over_title():
    by_doi = StudyFactory(doi="10.5555/one", pmid="", title="First")
    by_pmid = StudyFactory(doi="", pmid="222", title="Second")
    StudyFactory(title="Third", year=2001)
    report = citations_import(
        text="PMID- 222\nTI  - Third\nDP  - 2001\nAID - 10.5555/one [doi]\n\n"
        "PMID- 222\nTI  - Third\nDP  - 2001\n"
    )
    assert [(r.action, r.study) for r in report.results] == [
        ("skipped", by_doi),
        ("updated", by_pmid),
    ]
    assert report.results[0].reason == (
        f"matched {by_doi.slug} by DOI, but PMID 222 already belongs to another study"
    )
    assert Study.objects.get(pk=by_pmid.pk).title == "Third"


def test_conflicting_identifiers_are_skipped_with_the_reason():
    StudyFactory(slug="kept", doi="10.5555/kept", pmid="111")
    report = citations_import(
        text="PMID- 999\nTI  - Anything\nDP  - 2020\nAID - 10.5555/kept [doi]\n"
    )
    assert outcomes(report) == [
        ("skipped", "matched kept by DOI, but the file's PMID 999 differs from the stored 111")
    ]
    assert Study.objects.get(slug="kept").pmid == "111"


def test_a_record_that_fails_validation_rolls_back_the_whole_file():
    too_long = "x" * 501
    with pytest.raises(CitationFileError, match=r"record 2 \(line 5\): title:"):
        citations_import(
            text=f"TY  - JOUR\nTI  - Fine\nPY  - 2020\nER  - \nTY  - JOUR\nTI  - {too_long}\n"
            "PY  - 2020\nER  - \n"
        )
    assert Study.objects.count() == 0


def test_a_malformed_file_writes_nothing_even_after_good_records():
    with pytest.raises(CitationFileError, match="line 24: the record starting here is never"):
        citations_import(text=text("sciencedirect.ris") + "\nTY  - JOUR\nTI  - Cut off\n")
    assert Study.objects.count() == 0


def test_dry_run_reports_but_keeps_nothing():
    report = citations_import(text=text("pubmed-search-export.txt"), dry_run=True)
    assert report.count("created") == 3
    assert Study.objects.count() == 0


def test_command_prints_each_record_and_a_summary():
    output = StringIO()
    call_command("import_citations", str(FILES / "zotero-library.ris"), stdout=output)
    lines = output.getvalue().splitlines()
    assert lines == [
        "created  record 1 (line 1): new study",
        "created  record 2 (line 28): new study",
        "skipped  record 3 (line 40): skipped because it has no publication year",
        "2 created, 0 updated, 1 skipped (3 RIS records).",
    ]


def test_command_refuses_a_malformed_file_and_names_the_line(tmp_path):
    broken = tmp_path / "broken.nbib"
    broken.write_text(text("pubmed-citation.nbib").replace("TI  - Acupuncture", "TI - Acupuncture"))
    with pytest.raises(CommandError, match=r"broken.nbib: nothing imported. line 9: expected"):
        call_command("import_citations", str(broken))
    assert Study.objects.count() == 0


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("import_citations", str(tmp_path / "missing.ris"))
