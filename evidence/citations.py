"""Reading citation files: RIS (Zotero, EndNote, publishers), PubMed MEDLINE (.nbib/.txt)
and BibTeX, into one plain record shape. Nothing here touches the database.

A file that is not well formed raises CitationFileError naming the line at fault, before
anything is written. Records that are well formed but cannot become a study (no title, no
year) are returned with a `problem` so the importer can skip them with that reason.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from evidence import identifiers
from evidence.models import StudyDesign


class CitationFormat(enum.StrEnum):
    RIS = "ris"
    MEDLINE = "medline"
    BIBTEX = "bibtex"

    @property
    def label(self) -> str:
        return {"ris": "RIS", "medline": "PubMed MEDLINE", "bibtex": "BibTeX"}[self.value]


class CitationFileError(ValueError):
    """The file is refused as a whole; the message names the line or record at fault."""


@dataclass
class CitationRecord:
    number: int  # 1-based position in the file
    line: int  # where the record starts
    title: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    year: int | None = None
    citation_detail: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    design: str = ""

    @property
    def label(self) -> str:
        return f"record {self.number} (line {self.line})"

    @property
    def problem(self) -> str:
        """Why this record cannot become a study, or ''."""
        if not self.title:
            return "it has no title"
        if self.year is None:
            return "it has no publication year"
        return ""


def decode(data: bytes) -> str:
    """Citation files are UTF-8 (PubMed, Zotero and publishers write UTF-8); refuse others."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CitationFileError(
            f"line {line}: the file is not UTF-8 text; export it again as UTF-8."
        ) from None


def detect_format(text: str) -> CitationFormat:
    """By content, never by file name: the first line that says something."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if re.match(r"^TY {2}-", line):
            return CitationFormat.RIS
        if re.match(r"^PMID- ", line):
            return CitationFormat.MEDLINE
        if line.startswith("@"):
            return CitationFormat.BIBTEX
        break
    raise CitationFileError(
        "This is not a RIS, PubMed MEDLINE or BibTeX file: RIS starts with 'TY  - ', "
        "MEDLINE with 'PMID- ' and BibTeX with an entry such as '@article{'."
    )


def parse(text: str, *, format: CitationFormat | None = None) -> list[CitationRecord]:
    text = "\n".join(text.splitlines())
    chosen = format or detect_format(text)
    parser = {
        CitationFormat.RIS: parse_ris,
        CitationFormat.MEDLINE: parse_medline,
        CitationFormat.BIBTEX: parse_bibtex,
    }[chosen]
    records = parser(text)
    if not records:
        raise CitationFileError(f"The file holds no {chosen.label} records.")
    return records


# RIS ------------------------------------------------------------------------------------

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9]) {2}-(?: |$)")


def parse_ris(text: str) -> list[CitationRecord]:
    starts = _ris_record_starts(text.split("\n"))
    entries = rispy.loads(text)
    if len(entries) != len(starts):  # cannot happen after the structural check; be sure
        raise CitationFileError(f"Read {len(entries)} of {len(starts)} RIS records.")
    return [
        _record_from_ris(entry, number=number, line=line)
        for number, (entry, line) in enumerate(zip(entries, starts, strict=True), start=1)
    ]


def _ris_record_starts(lines: list[str]) -> list[int]:
    """Line numbers where records start; every record must open with TY and close with ER.
    rispy itself skips anything it cannot place, so this check is what refuses a damaged
    file (a truncated download, two files pasted together) instead of losing records."""
    starts: list[int] = []
    inside = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _RIS_TAG.match(line)
        tag = match[1] if match else None
        if not inside:
            if tag != "TY":
                raise CitationFileError(
                    f"line {number}: expected a record to start with 'TY  - ', "
                    f"found {line.strip()[:60]!r}."
                )
            inside = True
            starts.append(number)
        elif tag == "TY":
            raise CitationFileError(
                f"line {number}: a new record starts before the record from line "
                f"{starts[-1]} was closed with 'ER  - '."
            )
        elif tag == "ER":
            inside = False
    if inside:
        raise CitationFileError(
            f"line {starts[-1]}: the record starting here is never closed with 'ER  - '."
        )
    return starts


def _record_from_ris(entry: dict, *, number: int, line: int) -> CitationRecord:
    record = CitationRecord(number=number, line=line)
    where = f"record {number} (line {line})"
    record.title = _clean(entry.get("title") or entry.get("primary_title") or "")
    names = [*entry.get("first_authors", []), *entry.get("authors", [])]
    record.authors = _unique([vancouver(name) for name in names if name.strip()])
    record.journal = _clean(
        entry.get("alternate_title3")  # JF, full journal name
        or entry.get("journal_name")  # JO
        or entry.get("secondary_title")  # T2, where Zotero puts the journal
        or entry.get("alternate_title1")  # J2, abbreviation
        or entry.get("alternate_title2")  # JA, abbreviation
        or ""
    )
    year_text = entry.get("year") or entry.get("publication_year") or entry.get("date") or ""
    record.year = _year(year_text, where=where)
    record.citation_detail = citation_detail(
        volume=entry.get("volume", ""),
        issue=entry.get("number", ""),
        pages="-".join(p for p in [entry.get("start_page", ""), entry.get("end_page", "")] if p),
    )
    urls = [url for url in entry.get("urls", []) if url]
    notes = " ".join(entry.get("notes", []))
    doi = entry.get("doi") or next((u for u in urls if "doi.org/" in u), "")
    record.doi = _identifier(identifiers.normalise_doi, doi, where=where)
    accession = str(entry.get("accession_number", ""))
    pmid = accession if accession.strip().isdigit() else _tagged(notes, "PMID")
    pmid = pmid or next((u for u in urls if "pubmed" in u), "")
    record.pmid = _identifier(identifiers.normalise_pmid, pmid, where=where)
    record.pmcid = _identifier(identifiers.normalise_pmcid, _tagged(notes, "PMCID"), where=where)
    record.url = next((u for u in urls if "doi.org/" not in u and "pubmed" not in u), "")
    return record


# PubMed MEDLINE -------------------------------------------------------------------------

_MEDLINE_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")

# PubMed publication types, strongest design first.
_PUBLICATION_TYPES = [
    ("Practice Guideline", StudyDesign.GUIDELINE),
    ("Guideline", StudyDesign.GUIDELINE),
    ("Meta-Analysis", StudyDesign.META_ANALYSIS),
    ("Systematic Review", StudyDesign.SYSTEMATIC_REVIEW),
    ("Randomized Controlled Trial", StudyDesign.RCT),
]


def parse_medline(text: str) -> list[CitationRecord]:
    """PubMed's 'PubMed' format (also its .nbib citation download): one 'TAG - value' per
    line, the tag padded to four characters, continuation lines indented by six spaces,
    records separated by a blank line and each opening with PMID."""
    blocks: list[tuple[int, list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
            continue
        if line.startswith("      ") and current:
            tag, value = current[-1]
            current[-1] = (tag, f"{value} {line.strip()}")
            continue
        match = _MEDLINE_TAG.match(line)
        if not match or len(line) < 5 or line[4] != "-":
            raise CitationFileError(
                f"line {number}: expected 'TAG - value' (e.g. 'TI  - ') or a continuation "
                f"line indented by six spaces, found {line.strip()[:60]!r}."
            )
        tag, value = match[1], match[2].strip()
        if current is None:
            if tag != "PMID":
                raise CitationFileError(
                    f"line {number}: a PubMed record must start with 'PMID- ', found {tag!r}."
                )
            current = []
            blocks.append((number, current))
        current.append((tag, value))
    return [
        _record_from_medline(fields, number=index, line=line)
        for index, (line, fields) in enumerate(blocks, start=1)
    ]


def _record_from_medline(
    fields: list[tuple[str, str]], *, number: int, line: int
) -> CitationRecord:
    values: dict[str, list[str]] = {}
    for tag, value in fields:
        values.setdefault(tag, []).append(value)

    def first(tag: str) -> str:
        return values.get(tag, [""])[0]

    where = f"record {number} (line {line})"
    record = CitationRecord(number=number, line=line)
    record.pmid = _identifier(identifiers.normalise_pmid, first("PMID"), where=where)
    record.title = _clean(first("TI") or first("BTI"))
    authors = values.get("AU") or [vancouver(name) for name in values.get("FAU", [])]
    record.authors = _unique([*authors, *values.get("CN", [])])
    record.journal = _clean(first("JT") or first("TA"))
    record.year = _year(first("DP"), where=where)
    record.citation_detail = citation_detail(
        volume=first("VI"), issue=first("IP"), pages=first("PG")
    )
    tagged_ids = [*values.get("AID", []), *values.get("LID", [])]
    doi = next((v.removesuffix("[doi]") for v in tagged_ids if v.endswith("[doi]")), "")
    record.doi = _identifier(identifiers.normalise_doi, doi, where=where)
    record.pmcid = _identifier(identifiers.normalise_pmcid, first("PMC"), where=where)
    types = values.get("PT", [])
    record.design = next((design for name, design in _PUBLICATION_TYPES if name in types), "")
    return record


# BibTeX ---------------------------------------------------------------------------------


def parse_bibtex(text: str) -> list[CitationRecord]:
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    if library.failed_blocks:
        block = min(library.failed_blocks, key=lambda failed: failed.start_line)
        raise CitationFileError(_bibtex_failure(block))
    return [
        _record_from_bibtex(entry, number=number)
        for number, entry in enumerate(library.entries, start=1)
    ]


def _bibtex_failure(block: ParsingFailedBlock) -> str:
    line = block.start_line + 1  # bibtexparser counts from 0
    opening = (block.raw or "").strip().split("\n")[0][:60]
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"line {line}: a second entry with the key {block.key!r} ({opening!r})."
    reason = " ".join(str(getattr(block.error, "abort_reason", "")).split())
    return f"line {line}: the entry {opening!r} is not valid BibTeX: {reason}".rstrip(": ")


def _record_from_bibtex(entry, *, number: int) -> CitationRecord:
    line = entry.start_line + 1
    where = f"record {number} (line {line}, key {entry.key!r})"
    record = CitationRecord(number=number, line=line)

    def value(*keys: str) -> str:
        for key in keys:
            found = entry.fields_dict.get(key)
            if found is not None and isinstance(found.value, str) and found.value.strip():
                return _clean(found.value)
        return ""

    record.title = value("title")
    names = entry.fields_dict.get("author")
    for name in names.value if names else []:
        surname = _clean(" ".join([*name.von, *name.last]))
        given = _clean(" ".join(name.first))
        record.authors.append(vancouver(f"{surname}, {given}" if given else surname))
    record.authors = _unique(record.authors)
    record.journal = value("journal", "journaltitle", "booktitle")
    record.year = _year(value("year", "date"), where=where)
    record.citation_detail = citation_detail(
        volume=value("volume"), issue=value("number", "issue"), pages=value("pages")
    )
    record.doi = _identifier(identifiers.normalise_doi, value("doi"), where=where)
    notes = value("note", "annote", "extra")
    pubmed_eprint = value("eprint") if value("eprinttype").lower() == "pubmed" else ""
    pmid = value("pmid") or pubmed_eprint or _tagged(notes, "PMID")
    record.pmid = _identifier(identifiers.normalise_pmid, pmid, where=where)
    pmcid = value("pmcid") or _tagged(notes, "PMCID")
    record.pmcid = _identifier(identifiers.normalise_pmcid, pmcid, where=where)
    url = value("url")
    record.url = "" if "doi.org/" in url else url
    return record


# Shared helpers -------------------------------------------------------------------------


def vancouver(name: str) -> str:
    """'Xu, Shabei' -> 'Xu S'; 'Linde, K.' -> 'Linde K'; 'Bayoumi, F. E. A.' -> 'Bayoumi FEA';
    'Xu S' and names without a comma (groups) stay as they are."""
    surname, comma, given = (part.strip() for part in name.partition(","))
    if not comma:
        return _clean(name)
    parts = [part for part in re.split(r"[\s.\-]+", given) if part]
    if len(parts) == 1 and parts[0].isupper() and len(parts[0]) <= 3:
        initials = parts[0]
    else:
        initials = "".join(part[0].upper() for part in parts)
    return f"{_clean(surname)} {initials}".strip()


def citation_detail(*, volume: str, issue: str, pages: str) -> str:
    """'27', '3', '177-189' -> '27(3):177-189', as most journals print it."""
    volume, issue = volume.strip(), issue.strip()
    pages = pages.strip().replace("\u2013", "-")  # en dash.replace("--", "-")
    text = volume + (f"({issue})" if issue else "")
    return f"{text}:{pages}" if text and pages else text or pages


def _year(text: str, *, where: str) -> int | None:
    if not str(text).strip():
        return None
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(text))
    if not match:
        raise CitationFileError(f"{where}: {str(text).strip()!r} is not a publication year.")
    return int(match[1])


def _identifier(normalise, raw: str, *, where: str) -> str:
    try:
        return normalise(raw)
    except identifiers.IdentifierError as error:
        raise CitationFileError(f"{where}: {error}") from None


def _tagged(text: str, tag: str) -> str:
    """'PMID: 32213509' inside free text (Zotero keeps PMIDs in its Extra field)."""
    match = re.search(rf"\b{tag}:\s*(\S+)", text or "")
    return match[1] if match else ""


def _clean(text: str) -> str:
    """Single spaces, no BibTeX protective braces, no trailing full stop PubMed adds."""
    text = " ".join(str(text).replace("{", "").replace("}", "").split())
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))
