"""The curated table of what people type for places: nicknames ("NYC", "Philly"), the
abbreviated first words of names ("St", "Ft"), and phrases that name no place at all
("near me"). It lives in directory/data/place_aliases.csv; docs/places.md says how to
add a row, and tests/directory/test_place_aliases.py checks every row."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

TABLE = Path(__file__).parent / "data" / "place_aliases.csv"


@dataclass(frozen=True)
class Alias:
    kind: str  # "name", "word" or "refuse"
    text: str
    means: str
    example: str
    example_label: str


def key(text: str) -> str:
    """Lower case, no accents, single spaces: "L.A." and "l.a." are one key."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(folded.split())


@cache
def rows() -> tuple[Alias, ...]:
    with TABLE.open(encoding="utf-8", newline="") as lines:
        return tuple(Alias(**row) for row in csv.DictReader(lines))


@cache
def _of_kind(kind: str) -> dict[str, str]:
    return {key(row.text): row.means for row in rows() if row.kind == kind}


def nickname(name: str) -> str | None:
    """What a nickname means ("nyc" -> "New York City, NY"), or None."""
    return _of_kind("name").get(key(name))


def words() -> dict[str, str]:
    """Abbreviated first words and their spelled-out forms: {"st": "Saint", ...}."""
    return _of_kind("word")


def refusal(text: str) -> str | None:
    """The message for text that names no place ("acupuncture near me"), or None."""
    folded = key(text)
    for phrase, message in _of_kind("refuse").items():
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
            # The CSV holds English; vocabulary.PLACE_MESSAGES puts each in the catalogue.
            return gettext(message)
    return None
