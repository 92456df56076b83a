"""Reading citation files as PubMed, Zotero and publishers write them; refusing damaged ones
with the line at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.citations import (
    CitationFileError,
    CitationFormat,
    CitationRecord,
    decode,
    detect_format,
    parse,
)

FILES = Path(__file__).parent / "files"


def read(name: str) -> list[CitationRecord]:
    return parse(decode((FILES / name).read_bytes()))


def test_pubmed_nbib_citation_is_read_whole():
    assert read("pubmed-citation.nbib") == [
        CitationRecord(
            number=1,
            line=1,
            title="Acupuncture for the prevention of episodic migraine",
            authors=[
                "Linde K",
                "Allais G",
                "Brinkhaus B",
                "Fei Y",
                "Mehring M",
                "Vertosick EA",
                "Vickers A",
                "White AR",
            ],
            journal="The Cochrane database of systematic reviews",
            year=2016,
            citation_detail="2016(6):CD001218",
            doi="10.1002/14651858.CD001218.pub3",
            pmid="27351677",
            design="meta_analysis",
        )
    ]


def test_pubmed_export_joins_wrapped_lines_and_reads_publication_types():
    records = read("pubmed-search-export.txt")
    assert [(r.line, r.pmid, r.doi, r.pmcid, r.design) for r in records] == [
        (2, "32213509", "10.1136/bmj.m697", "PMC7249245", "rct"),
        (44, "39243985", "10.1016/j.ctim.2024.103076", "", "meta_analysis"),
        (83, "22529203", "10.1212/WNL.0b013e3182535d0c", "", "guideline"),
    ]
    assert records[0].title == (
        "Manual acupuncture versus sham acupuncture and usual care for prophylaxis of episodic "
        "migraine without aura: multicentre, randomised clinical trial"
    )
    assert records[2].citation_detail == "78(17):1346-53"
    assert records[2].authors[-1] == (
        "Quality Standards Subcommittee of the American Academy of Neurology and the American "
        "Headache Society"
    )


def test_zotero_ris_with_bom_and_crlf_reads_pmid_from_notes_and_skips_undated_pages():
    records = read("zotero-library.ris")
    assert records[0] == CitationRecord(
        number=1,
        line=1,
        title="Cupping Therapy for the Treatment of Migraine Headache: a systematic review and "
        "meta-analysis of clinical trials",
        authors=[
            "Mohandes B",
            "Bayoumi FEA",
            "AllahDiwaya AA",
            "Falah MS",
            "Alhamd LH",
            "Alsawadi RA",
            "Sun Y",
            "Ma A",
            "Sula I",
            "Jihwaprani MC",
        ],
        journal="Journal of Pharmacopuncture",
        year=2024,
        citation_detail="27(3):177-189",
        doi="10.3831/KPI.2024.27.3.177",
        pmid="39350928",
    )
    assert (records[1].title, records[1].authors, records[1].year, records[1].doi) == (
        "The Long-term Effect of Acupuncture for Migraine Prophylaxis: A Randomized Clinical Trial",
        ["Zhao L"],
        2017,
        "",
    )
    assert (records[2].title, records[2].year, records[2].problem) == (
        "Acupuncture: In Depth",
        None,
        "it has no publication year",
    )


def test_publisher_ris_gives_the_doi_as_a_link():
    [record] = read("sciencedirect.ris")
    assert (record.doi, record.journal, record.citation_detail) == (
        "10.1016/j.ctim.2024.103076",
        "Complementary Therapies in Medicine",
        "86:103076",
    )


def test_bibtex_resolves_strings_braces_and_name_order():
    records = read("zotero-better-bibtex.bib")
    assert [(r.line, r.journal, r.doi, r.pmid, r.pmcid) for r in records] == [
        (5, "BMJ", "10.1136/bmj.m697", "32213509", "PMC7249245"),
        (19, "Neurology", "10.1212/WNL.0b013e3182535d0c", "22529203", ""),
        (31, "The Lancet Neurology", "", "", ""),
    ]
    assert records[1].title == (
        "Evidence-Based Guideline Update: NSAIDs and Other Complementary Treatments for "
        "Episodic Migraine Prevention in Adults"
    )
    assert records[1].authors == [
        "Holland S",
        "Silberstein SD",
        "Freitag F",
        "Dodick DW",
        "Argoff C",
        "Ashman E",
    ]
    assert records[1].citation_detail == "78(17):1346-1353"


def test_wiley_bibtex_with_a_url_as_key_and_empty_pages():
    [record] = read("wiley-cochrane.bib")
    assert (record.title, record.authors[5], record.doi, record.citation_detail, record.url) == (
        "Acupuncture for the prevention of episodic migraine",
        "Vertosick EA",
        "10.1002/14651858.CD001218.pub3",
        "(6)",
        "",
    )


def test_latex_accents_become_letters():
    [record] = parse("@article{k, author = {M{\\\"u}ller, J{\\'o}zsef}, title = {T}, year = 2020}")
    assert record.authors == ["Müller J"]


def test_format_is_recognised_by_content_not_name():
    assert detect_format("\n\nPMID- 1\n") == CitationFormat.MEDLINE
    assert detect_format("TY  - JOUR\n") == CitationFormat.RIS
    assert detect_format("% comment\n@article{x,\n") == CitationFormat.BIBTEX
    with pytest.raises(CitationFileError, match="not a RIS, PubMed MEDLINE or BibTeX file"):
        detect_format("<html><body>Not found</body></html>")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "TY  - JOUR\nTI  - One\nPY  - 2020\nER  - \nTY  - JOUR\nTI  - Two\nPY  - 2021\n",
            "line 5: the record starting here is never closed with 'ER  - '.",
        ),
        (
            "TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n",
            "line 3: a new record starts before the record from line 1 was closed",
        ),
        (
            "TY  - JOUR\nTI  - One\nER  - \nsomething pasted here\n",
            "line 4: expected a record to start with 'TY  - ', found 'something pasted here'.",
        ),
        (
            "TY  - JOUR\nTI  - One\nPY  - in press\nER  - \n",
            "record 1 (line 1): 'in press' is not a publication year.",
        ),
        (
            "TY  - JOUR\nTI  - One\nPY  - 2020\nDO  - not-a-doi\nER  - \n",
            "record 1 (line 1): 'not-a-doi' is not a DOI",
        ),
        (
            "PMID- 1\nTI  - One\nDP  - 2020\n\nPMID- 2\nTI  - Two\nthis line is broken\n",
            "line 7: expected 'TAG - value' (e.g. 'TI  - ') or a continuation line",
        ),
        (
            "PMID- 1\nTI  - One\n\nTI  - Two\nPMID- 2\n",
            "line 4: a PubMed record must start with 'PMID- ', found 'TI'.",
        ),
        (
            "PMID- 12x\nTI  - One\n",
            "record 1 (line 1): '12x' is not a PubMed ID",
        ),
        (
            "@article{a, title = {One}, year = 2020}\n\n@article{b,\n  title = {Two,\n"
            "  year = 2021\n}\n@article{c, title = {Three}, year = 2022}\n",
            "line 3: the entry '@article{b,' is not valid BibTeX: Unexpected block start: "
            "`@article`. Was still looking for field-value closing `,` or `}`",
        ),
        (
            "@article{a, title = {One}, year = 2020}\n@article{a, title = {Two}, year = 2021}\n",
            "line 2: a second entry with the key 'a'",
        ),
        ("@comment{nothing here}\n", "The file holds no BibTeX records."),
    ],
)
def test_malformed_files_are_refused_naming_the_line(text, message):
    with pytest.raises(CitationFileError) as error:
        parse(text)
    assert message in str(error.value)


def test_text_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(CitationFileError, match="line 2: the file is not UTF-8 text"):
        decode("TY  - JOUR\nTI  - Caf\xe9\n".encode("latin-1"))
