"""Board rosters: a layout (a small TOML file in layouts/) says where each field sits in a
board's file, CSV by column name or fixed-width by character range, what the board's status
words mean, its date format and how it writes license numbers. Adding a board is adding a
layout. This module reads a file through a layout; rosters.apply changes credentials."""

from __future__ import annotations

import csv
import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from common import jurisdictions

LAYOUTS = Path(__file__).parent / "layouts"
FIELDS = [
    "jurisdiction",
    "license_number",
    "last_name",
    "first_name",
    "status",
    "issued_on",
    "expires_on",
    "board_action",
]
REQUIRED = ["license_number", "last_name", "status"]
MEANINGS = ["active", "lapsed", "suspended", "revoked", "probation"]


class RosterFileError(Exception):
    """The file (or layout) cannot be read; nothing was written."""


@dataclass(frozen=True)
class Layout:
    name: str
    board: str
    board_url: str
    format: str  # "csv" or "fixed"
    date_format: str
    jurisdiction: str  # fixed for every row, or "" when a column gives it
    complete: bool
    columns: dict  # field -> column name (csv) or [start, end] (fixed, 1-based inclusive)
    statuses: dict[str, str]  # the board's word (casefolded) -> one of MEANINGS
    strip_prefixes: tuple[str, ...]
    strip_leading_zeros: bool

    def normalise(self, number: str) -> str:
        """A license number as this board's numbers compare: case, spaces, dashes, the
        board's prefixes and leading zeros ignored as the layout says."""
        value = re.sub(r"[\s\-.]", "", number.upper())
        for prefix in self.strip_prefixes:
            if value.startswith(prefix.upper()) and len(value) > len(prefix):
                value = value[len(prefix) :]
                break
        return value.lstrip("0") or value if self.strip_leading_zeros else value


@dataclass(frozen=True)
class RosterRow:
    line: int
    country: str
    region: str
    number: str  # normalised
    raw_number: str
    last_name: str
    first_name: str
    status_word: str
    meaning: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    board_action: str


def available() -> list[str]:
    return sorted(path.stem for path in LAYOUTS.glob("*.toml"))


def load_layout(name: str) -> Layout:
    path = LAYOUTS / f"{name}.toml"
    if not path.is_file():
        raise RosterFileError(f"No roster layout “{name}”; layouts: {', '.join(available())}.")
    spec = tomllib.loads(path.read_text())
    statuses = {
        word.casefold(): meaning
        for meaning in MEANINGS
        for word in spec.get("statuses", {}).get(meaning, [])
    }
    number = spec.get("number", {})
    layout = Layout(
        name=name,
        board=spec["board"],
        board_url=spec.get("board_url", ""),
        format=spec["format"],
        date_format=spec["date_format"],
        jurisdiction=spec.get("jurisdiction", ""),
        complete=spec.get("complete", False),
        columns=spec["columns"],
        statuses=statuses,
        strip_prefixes=tuple(number.get("strip_prefixes", [])),
        strip_leading_zeros=number.get("strip_leading_zeros", False),
    )
    if layout.format not in {"csv", "fixed"} or not (
        layout.jurisdiction or "jurisdiction" in layout.columns
    ):
        raise RosterFileError(f"Layout {name}: format csv or fixed, and a jurisdiction.")
    return layout


def read(path: Path, layout: Layout) -> list[RosterRow]:
    """Every row of the roster; RosterFileError naming the line at the first bad one."""
    if not path.is_file():
        raise RosterFileError(f"{path}: no such file.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileError(f"{path.name}: not a UTF-8 text file ({error.reason}).") from None
    lines = text.splitlines()
    raw = _csv_rows(path, lines, layout) if layout.format == "csv" else _fixed_rows(lines, layout)
    rows = [_row(line, values, layout, path) for line, values in raw]
    if not rows:
        raise RosterFileError(f"{path.name}: no licensees in the file.")
    return rows


def _csv_rows(path: Path, lines: list[str], layout: Layout):
    reader = csv.reader(lines)
    header = [name.strip() for name in next(reader, [])]
    wanted = {field: column for field, column in layout.columns.items()}
    missing = [column for column in wanted.values() if column not in header]
    if missing:
        raise RosterFileError(
            f"{path.name}: line 1 lacks the column(s) {', '.join(missing)} that layout "
            f"{layout.name} reads."
        )
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RosterFileError(
                f"{path.name}: line {line}: {len(row)} fields where the header has {len(header)}."
            )
        yield line, {field: row[header.index(column)].strip() for field, column in wanted.items()}


def _fixed_rows(lines: list[str], layout: Layout):
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        yield (
            line,
            {
                field: text[start - 1 : end].strip()
                for field, (start, end) in layout.columns.items()
            },
        )


def _row(line: int, values: dict[str, str], layout: Layout, path: Path) -> RosterRow:
    def fail(problem: str) -> RosterFileError:
        return RosterFileError(f"{path.name}: line {line}: {problem}. Nothing was changed.")

    for name in REQUIRED:
        if not values.get(name):
            raise fail(f"no {name.replace('_', ' ')}")
    code = layout.jurisdiction or values.get("jurisdiction", "")
    try:
        country, region = jurisdictions.parse(code)
    except ValidationError:
        raise fail(f"jurisdiction “{code}” is not a code such as US-CA") from None
    meaning = layout.statuses.get(values["status"].casefold())
    if meaning is None:
        raise fail(f"status “{values['status']}” is not one layout {layout.name} knows")
    dates = {}
    for name in ("issued_on", "expires_on"):
        text = values.get(name, "")
        try:
            dates[name] = (
                datetime.datetime.strptime(text, layout.date_format).date() if text else None
            )
        except ValueError:
            raise fail(f"{name.replace('_', ' ')} “{text}” is not a date") from None
    return RosterRow(
        line=line,
        country=country,
        region=region,
        number=layout.normalise(values["license_number"]),
        raw_number=values["license_number"],
        last_name=values["last_name"],
        first_name=values.get("first_name", ""),
        status_word=values["status"],
        meaning=meaning,
        board_action=values.get("board_action", ""),
        **dates,
    )
