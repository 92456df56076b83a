from __future__ import annotations

import pytest

from evidence.identifiers import (
    IdentifierError,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    title_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1136/bmj.m697", "10.1136/bmj.m697"),
        ("  https://doi.org/10.1002/14651858.CD001218.pub3 ", "10.1002/14651858.CD001218.pub3"),
        ("http://dx.doi.org/10.1136/bmj.m697", "10.1136/bmj.m697"),
        ("doi:10.1136/bmj.m697.", "10.1136/bmj.m697"),
        ("DOI: 10.1136/bmj.m697", "10.1136/bmj.m697"),
        ("", ""),
        (None, ""),
    ],
)
def test_doi_is_reduced_to_its_canonical_form(raw, expected):
    assert normalise_doi(raw) == expected


@pytest.mark.parametrize("raw", ["bmj.m697", "10.1/x", "https://example.org/10.1136", "10.1136/"])
def test_what_is_not_a_doi_is_refused(raw):
    with pytest.raises(IdentifierError, match="is not a DOI"):
        normalise_doi(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("32213509", "32213509"),
        (32213509, "32213509"),
        ("PMID: 32213509", "32213509"),
        ("https://pubmed.ncbi.nlm.nih.gov/32213509/", "32213509"),
        ("032213509", "32213509"),
        ("", ""),
    ],
)
def test_pmid_is_digits_only(raw, expected):
    assert normalise_pmid(raw) == expected


@pytest.mark.parametrize("raw", ["32213509x", "1234567890", "PMC7249245"])
def test_what_is_not_a_pmid_is_refused(raw):
    with pytest.raises(IdentifierError, match="is not a PubMed ID"):
        normalise_pmid(raw)


def test_pmcid_gets_its_prefix_and_refuses_anything_else():
    assert normalise_pmcid("pmc7249245") == "PMC7249245"
    assert normalise_pmcid("7249245") == "PMC7249245"
    with pytest.raises(IdentifierError):
        normalise_pmcid("PMID7249245")


def test_title_key_ignores_case_markup_accents_and_punctuation():
    assert title_key("Manual acupuncture versus <i>sham</i> acupuncture: a trial.") == title_key(
        "MANUAL ACUPUNCTURE VERSUS SHAM ACUPUNCTURE - A TRIAL"
    )
    assert title_key("Akupunktur für Migräne") == "akupunktur fur migrane"
    assert title_key("Acupuncture for migraine") != title_key("Acupuncture for tension headache")
