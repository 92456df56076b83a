"""DOI, PMID and PMCID as people paste them, reduced to one canonical form each.

A DOI keeps its letters' case for display (doi.org links work either way) and is compared
case-insensitively, as DOIs are; a PMID is digits only; a PMCID is `PMC` and digits.
"""

from __future__ import annotations

import html
import re
import unicodedata

DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
PMID_PATTERN = r"^[1-9][0-9]{0,8}$"
PMCID_PATTERN = r"^PMC[0-9]+$"

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_PUBMED_PREFIX = re.compile(
    r"^(?:pmid:\s*|https?://(?:pubmed\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov/pubmed)/)",
    re.IGNORECASE,
)


class IdentifierError(ValueError):
    """A value that cannot be read as the identifier it claims to be."""


def normalise_doi(raw: str | None) -> str:
    """'https://doi.org/10.1136/BMJ.m697 ' -> '10.1136/BMJ.m697'; '' stays ''."""
    value = (raw or "").strip()
    value = _DOI_PREFIX.sub("", value).strip().rstrip(".")
    if not value:
        return ""
    if not re.match(DOI_PATTERN, value):
        raise IdentifierError(f"{raw!r} is not a DOI (a DOI looks like 10.1136/bmj.m697).")
    return value


def normalise_pmid(raw: str | int | None) -> str:
    """'PMID: 032213509' -> '32213509'; '' stays ''."""
    value = _PUBMED_PREFIX.sub("", str(raw or "").strip()).strip().strip("/").lstrip("0")
    if not value:
        return ""
    if not re.match(PMID_PATTERN, value):
        raise IdentifierError(f"{raw!r} is not a PubMed ID (PMIDs are up to nine digits).")
    return value


def normalise_pmcid(raw: str | None) -> str:
    """'pmc7249245' or '7249245' -> 'PMC7249245'; '' stays ''."""
    value = (raw or "").strip().upper()
    if not value:
        return ""
    if value.isdigit():
        value = f"PMC{value}"
    if not re.match(PMCID_PATTERN, value):
        raise IdentifierError(f"{raw!r} is not a PubMed Central ID (e.g. PMC7249245).")
    return value


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}" if doi else ""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid else ""


def title_key(title: str) -> str:
    """A title reduced for comparison: no markup, accents, case, punctuation or extra spaces,
    so 'Manual acupuncture…trial.' from PubMed equals the publisher's '<i>Manual</i> …trial'."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(title or ""))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(character for character in text if not unicodedata.combining(character))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())
