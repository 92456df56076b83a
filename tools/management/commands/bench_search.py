from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from directory.expressions import EarthPoint
from directory.models import Location
from directory.search import (
    SearchQuery,
    first_batch,
    nearest_listable,
    nearest_match,
    search,
    within_radius,
)
from directory.search import nearest_practitioners as nearest
from evidence.models import Condition
from tools import bench

BATCH = first_batch(20)  # the rows a nearest-20 search reads first


class Command(BaseCommand):
    help = (
        "Benchmark nearby search on a synthetic directory of N locations (default 1,000,000) "
        "in a database of its own (<name>_bench, kept for reruns unless --drop). Prints "
        "p50/p95 per query shape, EXPLAIN for each, and ratios to the bare index scan and "
        "to a plain page request. Not a test: run it on a quiet machine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--locations", type=int, default=1_000_000)
        parser.add_argument("--samples", type=int, default=300, help="Random points to time.")
        parser.add_argument("--database", help="Benchmark database name (default <name>_bench)")
        parser.add_argument("--rebuild", action="store_true", help="Regenerate the data set.")
        parser.add_argument("--drop", action="store_true", help="Drop the database afterwards.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--deep-page", type=int, default=1000, help="FHIR page timed against page 1."
        )

    def handle(self, *args, locations: int, samples: int, seed: int, **options):
        self.deep_page = max(2, options["deep_page"])
        if locations < 100 or samples < 5:
            raise CommandError("Use at least 100 locations and 5 samples.")
        name = options["database"] or f"{connection.settings_dict['NAME']}_bench"
        with bench.separate_database(name, rebuild=options["rebuild"], drop=options["drop"]):
            version = connection.cursor().connection.info.server_version
            self.stdout.write(f"Database: {name} (PostgreSQL {version})")
            if Location.objects.count() != locations:
                self._build(locations, seed)
            self._report(locations, samples, seed)
        if options["drop"]:
            self.stdout.write(f"Dropped {name}.")

    def _build(self, locations: int, seed: int) -> None:
        if Location.objects.exists():
            raise CommandError("The benchmark database holds another data set; use --rebuild.")
        self.stdout.write(f"Generating {locations:,} locations…")
        started = time.perf_counter()
        bench.generate(locations=locations, seed=seed)
        self.stdout.write(f"  done in {time.perf_counter() - started:.0f} s")

    def _report(self, locations: int, samples: int, seed: int) -> None:
        points = bench.random_points(samples + 1, seed=seed)
        migraine = Condition.objects.get(slug="migraine")

        def query(latitude, longitude, **fields) -> SearchQuery:
            return SearchQuery(origin=EarthPoint(latitude, longitude), **fields)

        # (name, the search it runs, the SQL behind it). "nearest 20" searches 500 km so the
        # number of rows, not the radius, ends the reading; a filter's own query (candidate
        # ids) is timed within the call. The synthetic data has no Korean speakers: that
        # filter matches nothing, the worst case, which the bounded path answers.
        shapes = [
            (
                "nearest 20",
                lambda lat, lng: nearest(query(lat, lng, radius_km=500), limit=20),
                lambda lat, lng: nearest_listable(EarthPoint(lat, lng))[:BATCH],
            ),
            (
                "nearest 20, condition filter",
                lambda lat, lng: nearest(
                    query(lat, lng, radius_km=500, condition=migraine), limit=20
                ),
                None,
            ),
            (
                "25 km radius, nearest 20",
                lambda lat, lng: nearest(query(lat, lng, radius_km=25), limit=20),
                lambda lat, lng: nearest_listable(EarthPoint(lat, lng))[:BATCH],
            ),
            (
                "25 km, rare filter (bounded path)",
                lambda lat, lng: nearest(
                    query(lat, lng, radius_km=25, condition=migraine, language="ko"), limit=20
                ),
                lambda lat, lng: within_radius(
                    query(lat, lng, radius_km=25, condition=migraine, language="ko")
                )[:BATCH],
            ),
            # An empty search says how far the nearest match is: uncommon filters (a match
            # some way off, past the first look), and a filter nobody matches (the budget).
            (
                "nearest match, uncommon filters",
                lambda lat, lng: nearest_match(
                    query(lat, lng, condition=migraine, language="zh", accepting_new_patients=True)
                ),
                None,
            ),
            (
                "nearest match, nobody matches",
                lambda lat, lng: nearest_match(query(lat, lng, language="ko")),
                None,
            ),
            (
                "25 km radius, whole search() call",
                lambda lat, lng: search(query(lat, lng, radius_km=25)),
                None,
            ),
        ]
        lat, lng = points[0]
        self.stdout.write("\nEXPLAIN of each query shape with SQL timings (one sample point):")
        self.stdout.write(f"-- bare index scan\n{self._explain_bare(lat, lng)}")
        for name, _, make_sql in shapes:
            if make_sql:
                self.stdout.write(f"-- {name}\n{make_sql(lat, lng).explain()}")
        # The FHIR API's `near` reads the same radius query as the site (one page of it).
        fhir_sql = within_radius(query(lat, lng, radius_km=25))[:21]
        self.stdout.write(f"-- FHIR location.near (25 km, one page)\n{fhir_sql.explain()}")

        timed = points[1:]
        floor = bench.measure("bare", timed, bench.bare_knn)
        rows = [("bare index scan, SQL (the floor)", floor, None)]
        for name, call, make_sql in shapes:
            sql_timing = (
                bench.measure(name, timed, bench.sql_runner(make_sql)) if make_sql else None
            )
            rows.append((name, sql_timing, bench.measure(name, timed, call)))

        # One log line per request would bury the report.
        logging.getLogger("meridian.request").setLevel(logging.WARNING)
        client = Client()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

        def request(path: str):
            def run(lat, lng):
                cache.clear()  # the anonymous rate limit would otherwise stop the run
                params = {"near": f"{lat},{lng}", "radius": 25, "unit": "km"}
                response = client.get(path, params)
                assert response.status_code == 200, response.content[:500]

            return run

        api = bench.measure("api", timed, request("/api/v1/practitioners/"))
        page = bench.measure("page", timed, request("/search/"))

        def fhir_request(lat, lng):
            cache.clear()
            near = f"{lat}|{lng}|25|km"
            response = client.get("/fhir/PractitionerRole", {"location.near": near, "_count": 20})
            assert response.status_code == 200, response.content[:500]

        fhir = bench.measure("fhir", timed, fhir_request)
        deep = self._fhir_deep_pages(client, timed)

        self.stdout.write(
            f"\n{locations:,} locations, {samples} random points in the contiguous US. "
            "Milliseconds. SQL = executing the query and fetching its rows; call = the "
            "Python function, ORM included. ratio = SQL p50 / bare index scan p50."
        )
        self.stdout.write(
            f"{'shape':<38} {'SQL p50':>8} {'SQL p95':>8} {'ratio':>6} {'call p50':>9} "
            f"{'call p95':>9}"
        )
        for name, sql_timing, call_timing in rows:
            sql_part = (
                f"{sql_timing.p50:8.2f} {sql_timing.p95:8.2f} {sql_timing.p50 / floor.p50:6.1f}"
                if sql_timing
                else f"{'':8} {'':8} {'':6}"
            )
            call_part = f"{call_timing.p50:9.2f} {call_timing.p95:9.2f}" if call_timing else ""
            self.stdout.write(f"{name:<38} {sql_part} {call_part}")
        self.stdout.write(
            f"{'API GET /api/v1/practitioners/ (25 km)':<38} {'':8} {'':8} {'':6} "
            f"{api.p50:9.2f} {api.p95:9.2f}"
        )
        self.stdout.write(
            f"{'page GET /search/ (same search)':<38} {'':8} {'':8} {'':6} "
            f"{page.p50:9.2f} {page.p95:9.2f}"
        )
        self.stdout.write(
            f"{'FHIR PractitionerRole?location.near':<38} {'':8} {'':8} {'':6} "
            f"{fhir.p50:9.2f} {fhir.p95:9.2f}"
        )
        self.stdout.write(f"API request / page request (p50): {api.p50 / page.p50:.2f}")
        self.stdout.write(f"FHIR request / API request (p50): {fhir.p50 / api.p50:.2f}")
        for name, first, deepest in deep:
            self.stdout.write(
                f"FHIR {name}: page 1 p50 {first.p50:.2f}, page {self.deep_page:,} p50 "
                f"{deepest.p50:.2f} (p95 {deepest.p95:.2f}); page {self.deep_page:,} / page 1: "
                f"{deepest.p50 / first.p50:.2f}"
            )

    def _fhir_deep_pages(self, client: Client, timed: list) -> list[tuple]:
        """Page 1 and the deep page (20 a page) of whole-directory FHIR searches, the deep
        page reached once (untimed) by following the `next` links as a client does."""
        found = []
        for kind in ["Location", "Practitioner"]:
            url = f"/fhir/{kind}?_count=20"
            for _ in range(self.deep_page - 1):
                cache.clear()
                links = json.loads(client.get(url).content)["link"]
                following = [link["url"] for link in links if link["relation"] == "next"]
                if not following:
                    break
                parts = urlsplit(following[0])
                url = f"{parts.path}?{parts.query}"
            else:

                def page(path: str):
                    def run(lat, lng):
                        cache.clear()
                        response = client.get(path)
                        assert response.status_code == 200, response.content[:500]

                    return run

                first = bench.measure(f"{kind} 1", timed, page(f"/fhir/{kind}?_count=20"))
                last = bench.measure(f"{kind} deep", timed, page(url))
                found.append((f"{kind}?_count=20", first, last))
                continue
            self.stdout.write(f"FHIR {kind}: fewer than {self.deep_page:,} pages of 20, not timed")
        return found

    def _explain_bare(self, latitude: float, longitude: float) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM directory_location ORDER BY "
                "ll_to_earth(latitude, longitude) <-> ll_to_earth(%s, %s) LIMIT 20",
                [latitude, longitude],
            )
            return "\n".join(row[0] for row in cursor.fetchall())
