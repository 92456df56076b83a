"""Board rosters: a layout (a small TOML file in layouts/) says where each field sits in a
board's file, CSV by column name or fixed-width by character range, what the board's status
words mean, its date format and how it writes license numbers. Adding a board is adding a
layout. This module reads a file through a layout; rosters.apply changes credentials."""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from common import jurisdictions
from public_record import text_files
from public_record.text_files import BadLine

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
# What a license keeps, in characters: a longer value refuses the file, never cut.
SIZES = {"license_number": 60, "board_action": 300}
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
    columns: dict[str, Any]  # field -> column name (csv) or [start, end] (fixed, 1-based)
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
    data = text_files.read_bytes(path)
    reader = _csv_rows if layout.format == "csv" else _fixed_rows
    raw = reader(path, data, layout)
    rows = [_row(line, values, layout, path) for line, values in raw]
    if not rows:
        raise RosterFileError(f"{path.name}: no licensees in the file.")
    return rows


def _refused(path: Path, bad: BadLine) -> RosterFileError:
    return RosterFileError(f"{path.name}: {bad}. Nothing was changed.")


def _csv_rows(path: Path, data: bytes, layout: Layout) -> Iterator[tuple[int, dict[str, str]]]:
    rows = text_files.csv_rows(data)
    first = next(rows, None)
    if isinstance(first, BadLine):
        raise _refused(path, first)
    header = [name.strip() for name in (first[1] if first else [])]
    wanted = {field: column for field, column in layout.columns.items()}
    missing = [column for column in wanted.values() if column not in header]
    if missing:
        raise RosterFileError(
            f"{path.name}: line 1 lacks the column(s) {', '.join(missing)} that layout "
            f"{layout.name} reads."
        )
    for item in rows:
        if isinstance(item, BadLine):
            raise _refused(path, item)
        line, row = item
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RosterFileError(
                f"{path.name}: line {line}: {len(row)} fields where the header has {len(header)}."
            )
        yield line, {field: row[header.index(column)].strip() for field, column in wanted.items()}


def _fixed_rows(path: Path, data: bytes, layout: Layout) -> Iterator[tuple[int, dict[str, str]]]:
    for line, text in text_files.decoded_lines(data):
        if isinstance(text, BadLine):
            raise _refused(path, text)
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
    for name, most in SIZES.items():
        if len(values.get(name, "")) > most:
            raise fail(f"{name.replace('_', ' ')} longer than {most} characters")
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
