"""Reading the NPPES Data Dissemination file: the monthly `.zip` as CMS publishes it, the
`npidata_pfile_<start>-<end>.csv` inside it, or a weekly incremental file (same columns).

Columns are found by name, never by position (newer releases add columns). A Polars lazy
scan, run on the streaming engine, reads only the columns named here and keeps only the
rows that matter, so memory follows the rows kept (about 0.5 % of the file), not the file.
nppes_import turns the records into practitioners and organisations."""

from __future__ import annotations

import codecs
import csv
import datetime
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from credentialing.npi import is_valid_npi

SLOTS = range(1, 16)  # fifteen taxonomy slots
TAXONOMY = "Healthcare Provider Taxonomy Code_{}"
LICENSE_NUMBER = "Provider License Number_{}"
LICENSE_STATE = "Provider License Number State Code_{}"
PRACTICE = "Provider {} Business Practice Location Address {}"

# Column -> the record field it fills. Every one must be in the header.
COLUMNS = {
    "NPI": "npi",
    "Entity Type Code": "entity_type",
    "Provider Organization Name (Legal Business Name)": "organisation_name",
    "Provider Last Name (Legal Name)": "last_name",
    "Provider First Name": "first_name",
    "Provider Middle Name": "middle_name",
    "Provider Credential Text": "credential_text",
    "Provider First Line Business Practice Location Address": "address_1",
    "Provider Second Line Business Practice Location Address": "address_2",
    "Provider Business Practice Location Address City Name": "city",
    "Provider Business Practice Location Address State Name": "state",
    "Provider Business Practice Location Address Postal Code": "postal_code",
    "Provider Business Practice Location Address Country Code (If outside U.S.)": "country",
    "Provider Business Practice Location Address Telephone Number": "phone",
    "NPI Deactivation Date": "deactivated_on",
    "NPI Reactivation Date": "reactivated_on",
}
SLOT_COLUMNS = [
    name.format(slot) for slot in SLOTS for name in (TAXONOMY, LICENSE_NUMBER, LICENSE_STATE)
]
REQUIRED = [*COLUMNS, *SLOT_COLUMNS]
LINE = "line"  # the row's line in the file (header = line 1)

CSV_OPTIONS: dict[str, Any] = {
    "infer_schema": False,  # every column as text: NPIs and ZIP codes keep leading zeros
    "truncate_ragged_lines": True,
    # Strict decoding would refuse the whole 10 GB file for one bad byte in a row Meridian
    # never keeps. Bytes that are not UTF-8 read as U+FFFD here, and `records` reports any
    # kept row holding one as malformed: such a row is skipped, never stored altered.
    "encoding": "utf8-lossy",
}
REPLACEMENT = "\ufffd"
FILE_DATE = re.compile(r"npidata_pfile_\d{8}-(\d{8})")


class NppesFileError(Exception):
    """The file cannot be read as NPPES data; nothing was written."""


@dataclass(frozen=True)
class SelfReportedLicense:
    taxonomy: str
    number: str
    state: str


@dataclass
class NppesRecord:
    line: int
    npi: str
    entity_type: str
    organisation_name: str  # an organisation's (entity type 2) legal business name
    last_name: str
    first_name: str
    middle_name: str
    credential_text: str
    address_1: str
    address_2: str
    city: str
    state: str
    postal_code: str
    country: str  # "US" for US addresses (NPPES leaves it empty or writes US)
    phone: str
    deactivated_on: datetime.date | None
    reactivated_on: datetime.date | None
    taxonomies: list[str] = field(default_factory=list)
    licenses: list[SelfReportedLicense] = field(default_factory=list)

    @property
    def is_individual(self) -> bool:
        return self.entity_type == "1"

    @property
    def is_organisation(self) -> bool:
        return self.entity_type == "2"

    @property
    def deactivation(self) -> datetime.date | None:
        """The day the NPI stopped being active, unless a later reactivation undid it."""
        if self.deactivated_on is None:
            return None
        if self.reactivated_on is not None and self.reactivated_on >= self.deactivated_on:
            return None
        return self.deactivated_on


class MalformedRow(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


def file_date(path: Path) -> datetime.date | None:
    """The last day the file covers, from CMS's name (`npidata_pfile_20050523-20261109`)."""
    match = FILE_DATE.search(path.name)
    if not match:
        return None
    return datetime.datetime.strptime(match.group(1), "%Y%m%d").date()


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The CSV to scan: `path` itself, or the data file inside a published `.zip`
    (extracted to a temporary directory, removed afterwards: a lazy scan needs a file)."""
    if not path.is_file():
        raise NppesFileError(f"{path}: no such file.")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as file:
            if file.read(4) == ZIP_SIGNATURE:
                raise NppesFileError(
                    f"{path.name}: the zip archive is damaged (cut short, or its index is "
                    "missing). Download it again."
                )
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="nppes-") as directory:
        try:
            with zipfile.ZipFile(path) as archive:
                extracted = _extracted(path, archive, Path(directory))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise NppesFileError(
                f"{path.name}: the zip archive is damaged ({error}). Download it again."
            ) from None
        yield extracted


ZIP_SIGNATURE = b"PK\x03\x04"


def _extracted(path: Path, archive: zipfile.ZipFile, directory: Path) -> Path:
    names = [
        name
        for name in archive.namelist()
        if Path(name).name.startswith("npidata_pfile_")
        and name.endswith(".csv")
        and "fileheader" not in name.lower()
    ]
    if len(names) != 1:
        raise NppesFileError(
            f"{path.name}: expected one npidata_pfile_….csv in the archive, found "
            f"{len(names)} ({', '.join(archive.namelist()[:5]) or 'empty'})."
        )
    return Path(archive.extract(names[0], directory))


def count_rows(path: Path) -> int:
    """Rows after the header, counted as `wc -l` counts lines (NPPES writes one row a line):
    reading bytes costs a tenth of parsing them again, and NumPy counts a buffer's newlines
    as fast as `wc` does without holding the interpreter's lock. Not Polars's own count: it
    maps the whole file into memory, so the peak would grow with the file."""
    lines, last = 0, b"\n"
    buffer = bytearray(1 << 22)
    with path.open("rb", buffering=0) as file:
        while size := file.readinto(buffer):
            lines += int(np.count_nonzero(np.frombuffer(buffer, np.uint8, count=size) == NEWLINE))
            last = bytes(buffer[size - 1 : size])
    return max(lines + (last != b"\n") - 1, 0)


NEWLINE = ord("\n")
HEADER_LIMIT = 1 << 20  # the real header is about 12 KB


def check_header(path: Path) -> list[str]:
    """The header's column names; NppesFileError if any column Meridian reads is missing."""
    with path.open("rb") as file:
        first = file.readline(HEADER_LIMIT)
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    try:
        header = next(csv.reader([first.decode("utf-8")]), [])
    except UnicodeDecodeError as error:
        raise NppesFileError(f"{path.name}: not a UTF-8 text file ({error.reason}).") from None
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        shown = ", ".join(f"“{name}”" for name in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        plural = "s" if len(missing) > 1 else ""
        raise NppesFileError(
            f"{path.name}: not an NPPES data file: line 1 lacks the column{plural} "
            f"{shown}{more}. Give the npidata_pfile_….csv or the monthly .zip as published."
        )
    return header


def scan(
    path: Path, *, header: list[str], codes: Iterable[str], known_npis: Iterable[str]
) -> pl.LazyFrame:
    """The rows to look at, lazily: any taxonomy slot holding one of `codes` (individuals
    and organisations alike), or an NPI Meridian already holds, a practitioner's or an
    organisation's (a deactivated NPI's row has its taxonomy blanked). The header's
    last column comes along, to tell a line that stopped short."""
    codes, known = list(codes), list(known_npis)
    frame = pl.scan_csv(path, **CSV_OPTIONS, row_index_name=LINE, row_index_offset=2)
    wanted = pl.any_horizontal(pl.col(TAXONOMY.format(slot)).is_in(codes) for slot in SLOTS)
    if known:
        wanted = wanted | pl.col("NPI").is_in(known)
    last = [header[-1]] if header[-1] not in REQUIRED else []
    return frame.filter(wanted).select(LINE, *REQUIRED, *last)


def records(
    frame: pl.DataFrame, *, header: list[str], codes: Iterable[str]
) -> Iterator[NppesRecord | MalformedRow]:
    """Each collected row as a record, or the reason it cannot be one."""
    codes = set(codes)
    last = header[-1]
    for row in frame.iter_rows(named=True):
        line = row[LINE]
        try:
            # Every NPPES value is quoted, so an empty slot reads as "": a missing value
            # (null) means the line stopped short of the header.
            if row[last] is None:
                raise MalformedRow(line, "fewer fields than the header")
            altered = [name for name, value in row.items() if REPLACEMENT in str(value)]
            if altered:
                raise MalformedRow(line, f"“{altered[0]}” is not valid UTF-8")
            yield _record(row, line, codes)
        except MalformedRow as malformed:
            yield malformed


def _record(row: dict[str, Any], line: int, codes: set[str]) -> NppesRecord:
    values: dict[str, Any] = {
        target: (row[column] or "").strip() for column, target in COLUMNS.items()
    }
    if not is_valid_npi(values["npi"]):
        raise MalformedRow(line, f"NPI “{values['npi']}” is not 10 digits with a valid check digit")
    for name in ("deactivated_on", "reactivated_on"):
        values[name] = _date(values[name], line, name)
    if values["entity_type"] not in {"", "1", "2"}:
        raise MalformedRow(line, f"Entity Type Code “{values['entity_type']}” is not 1 or 2")
    record = NppesRecord(line=line, **values)
    record.country = record.country.upper() or "US"
    for slot in SLOTS:
        taxonomy = (row[TAXONOMY.format(slot)] or "").strip()
        if taxonomy not in codes:
            continue
        record.taxonomies.append(taxonomy)
        number = (row[LICENSE_NUMBER.format(slot)] or "").strip()
        state = (row[LICENSE_STATE.format(slot)] or "").strip().upper()
        if number and state:
            license = SelfReportedLicense(taxonomy, number, state)
            if license not in record.licenses:
                record.licenses.append(license)
    if record.is_individual and not record.last_name and record.deactivation is None:
        raise MalformedRow(line, "an individual without a last name")
    if record.is_organisation and not record.organisation_name and record.deactivation is None:
        raise MalformedRow(line, "an organisation without its legal business name")
    return record


def _date(text: str, line: int, name: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        label = "NPI Deactivation Date" if name == "deactivated_on" else "NPI Reactivation Date"
        raise MalformedRow(line, f"{label} “{text}” is not a date (MM/DD/YYYY)") from None
