"""Reading the US OIG's List of Excluded Individuals/Entities (LEIE): the whole list
(`UPDATED.csv`, about 80,000 rows) or a monthly supplement (`<yy><mm>excl.csv`, exclusions
added; `<yy><mm>rein.csv`, reinstatements), which share one 18-column header. Small enough
for the csv module. Screening practitioners against it is exclusion_screening's work."""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from credentialing.npi import is_valid_npi
from public_record import text_files
from public_record.text_files import BadLine

COLUMNS = [
    "LASTNAME",
    "FIRSTNAME",
    "MIDNAME",
    "BUSNAME",
    "GENERAL",
    "SPECIALTY",
    "UPIN",
    "NPI",
    "DOB",
    "ADDRESS",
    "CITY",
    "STATE",
    "ZIP",
    "EXCLTYPE",
    "EXCLDATE",
    "REINDATE",
    "WAIVERDATE",
    "WVRSTATE",
]
NO_NPI = "0000000000"
NO_DATE = "00000000"
# What a match keeps of an entry (its name, state and statute), in characters: a longer
# value is a malformed row, never cut.
SIZES = {"LASTNAME": 80, "FIRSTNAME": 80, "BUSNAME": 200, "STATE": 2, "EXCLTYPE": 20}
SUPPLEMENT = re.compile(r"^(\d{2})(\d{2})(excl|rein)\.csv$", re.IGNORECASE)


class ExclusionFileError(Exception):
    """The file cannot be read as the LEIE; nothing was written."""


class ListKind(enum.Enum):
    FULL = "the whole list"
    EXCLUSIONS = "a supplement of exclusions"
    REINSTATEMENTS = "a supplement of reinstatements"


@dataclass(frozen=True)
class Entry:
    line: int
    last_name: str
    first_name: str
    business: str
    npi: str  # "" when the list has none
    state: str
    exclusion_type: str
    excluded_on: datetime.date
    reinstated_on: datetime.date | None

    @property
    def name(self) -> str:
        return ", ".join(filter(None, [self.last_name, self.first_name])) or self.business


class MalformedEntry(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")


def list_kind(path: Path) -> ListKind:
    match = SUPPLEMENT.match(path.name)
    if not match:
        return ListKind.FULL
    return ListKind.EXCLUSIONS if match.group(3).lower() == "excl" else ListKind.REINSTATEMENTS


def supplement_month(path: Path) -> datetime.date | None:
    """The last day of a supplement's month, from its name (2611excl.csv: November 2026)."""
    match = SUPPLEMENT.match(path.name)
    if not match:
        return None
    year, month = 2000 + int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def entries(path: Path) -> Iterator[Entry | MalformedEntry]:
    """Every row of the file as an entry, or the reason it cannot be one. Raises
    ExclusionFileError, before yielding anything, for a file that is not the LEIE."""
    if not path.is_file():
        raise ExclusionFileError(f"{path}: no such file.")
    data = text_files.read_bytes(path)
    rows = text_files.csv_rows(data, _encoding(data))
    first = next(rows, None)
    if isinstance(first, BadLine):
        raise ExclusionFileError(f"{path.name}: not the LEIE: {first}.")
    header = [name.strip().upper() for name in (first[1] if first else [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ExclusionFileError(
            f"{path.name}: not the LEIE: line 1 lacks the column(s) {', '.join(missing[:4])}"
            f"{' and more' if len(missing) > 4 else ''}. Give UPDATED.csv or a monthly "
            "supplement (<yy><mm>excl.csv, <yy><mm>rein.csv) as the OIG publishes them."
        )
    where = {name: header.index(name) for name in COLUMNS}
    for item in rows:
        if isinstance(item, BadLine):
            yield MalformedEntry(item.line, item.problem)
            continue
        line, row = item
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield MalformedEntry(line, f"{len(row)} fields where the header has {len(header)}")
            continue
        value = {name: row[index].strip() for name, index in where.items()}
        try:
            yield _entry(line, value)
        except MalformedEntry as malformed:
            yield malformed


def _encoding(data: bytes) -> str:
    """UTF-8, unless no line with other than ASCII is UTF-8: the OIG has published the list
    in Windows-1252, and a file of that encoding is read in it. Either way every line is
    decoded strictly; one that does not decode is reported and skipped, never guessed at."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    for line in data.splitlines():
        if not line.isascii():
            try:
                line.decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                continue
    return "cp1252"


def _entry(line: int, value: dict[str, str]) -> Entry:
    npi = "" if value["NPI"] in {"", NO_NPI} else value["NPI"]
    if npi and not is_valid_npi(npi):
        raise MalformedEntry(line, f"NPI “{npi}” is not 10 digits with a valid check digit")
    for column, most in SIZES.items():
        if len(value[column]) > most:
            raise MalformedEntry(line, f"{column} longer than {most} characters")
    excluded_on = _date(line, "EXCLDATE", value["EXCLDATE"])
    if excluded_on is None:
        raise MalformedEntry(line, "no EXCLDATE")
    return Entry(
        line=line,
        last_name=value["LASTNAME"],
        first_name=value["FIRSTNAME"],
        business=value["BUSNAME"],
        npi=npi,
        state=value["STATE"].upper(),
        exclusion_type=value["EXCLTYPE"],
        excluded_on=excluded_on,
        reinstated_on=_date(line, "REINDATE", value["REINDATE"]),
    )


def _date(line: int, column: str, text: str) -> datetime.date | None:
    if text in {"", NO_DATE}:
        return None
    # By hand: strptime consults the locale on every call, half the cost of reading the list.
    try:
        if len(text) != 8 or not (text.isascii() and text.isdigit()):
            raise ValueError(text)
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise MalformedEntry(line, f"{column} “{text}” is not a date (YYYYMMDD)") from None


def name_key(last: str, first: str) -> tuple[str, str]:
    """Names compared ignoring case, accents, punctuation and middle names: the last name
    whole, the first name's first word."""
    return _plain(last), (_plain(first).split() or [""])[0]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", letters.replace("'", "")).split())
