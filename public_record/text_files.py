"""Reading the public record's text files strictly: every line decoded in the file's one
encoding with no replacement, so a name is stored as the file wrote it or not at all.
A line that does not decode, or a CSV field over FIELD_LIMIT characters, becomes a BadLine
naming its line number; what the reader does with it (skip the row, refuse the file) is
the reader's rule."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Longer than any field of NPPES, the LEIE or a roster (their longest, an address, is a few
# hundred characters), short enough that a hostile field cannot hold much memory. Python's
# own default (131,072) would stop the whole file with an error instead of naming a line.
FIELD_LIMIT = 1_048_576


@dataclass(frozen=True)
class BadLine:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def decoded_lines(data: bytes, encoding: str = "utf-8") -> Iterator[tuple[int, str | BadLine]]:
    """(line number, text) for each line (split on \\n, \\r\\n or \\r only), or a BadLine."""
    for number, raw in enumerate(data.splitlines(), start=1):
        yield number, _decoded(number, raw, encoding)


def csv_rows(data: bytes, encoding: str = "utf-8") -> Iterator[tuple[int, list[str]] | BadLine]:
    """(first line number, fields) for each CSV record, or a BadLine for a record with a
    line that does not decode or a field over FIELD_LIMIT. Records may span lines (a quoted
    field with a line break); a bad record never stops the ones after it."""
    problems: dict[int, str] = {}

    def text() -> Iterator[str]:
        for number, raw in enumerate(data.splitlines(keepends=True), start=1):
            line = _decoded(number, raw, encoding)
            if isinstance(line, BadLine):
                problems[number] = line.problem
                # Parsed only to find where the record ends; the record itself is dropped.
                yield raw.decode(encoding, errors="replace")
            else:
                yield line

    if csv.field_size_limit() != FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(text())
    first = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield BadLine(first, _csv_problem(error))
        else:
            bad = [problems[n] for n in range(first, reader.line_num + 1) if n in problems]
            yield BadLine(first, bad[0]) if bad else (first, fields)
        first = reader.line_num + 1


def _decoded(number: int, raw: bytes, encoding: str) -> str | BadLine:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        return BadLine(number, _not_decoded(error, encoding))


def _not_decoded(error: UnicodeDecodeError, encoding: str) -> str:
    name = "UTF-8" if encoding.replace("-", "").lower() == "utf8" else encoding
    byte = error.object[error.start : error.start + 1].hex().upper()
    return f"not valid {name} (0x{byte} at byte {error.start + 1} of the line)"


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field longer than {FIELD_LIMIT:,} characters"
    return f"not CSV ({error})"
