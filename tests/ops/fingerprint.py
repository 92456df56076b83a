"""Print, as JSON, what must survive a backup and restore of the configured database:
row counts of every table and a digest of every row's contents, the extensions with their
versions, our functions and triggers, and the results of a set of searches. Run as
`python -m tests.ops.fingerprint` with DATABASE_URL naming the database; the restore test
compares two databases' output. MERIDIAN_TEST_TODAY (the test run's frozen today, passed
by tests/ops/processes.py) sets the day the searches run on."""

from __future__ import annotations

import json
import os

import django

from tests.ops import on_test_today

on_test_today.travel()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

from directory import search  # noqa: E402
from directory.expressions import EarthPoint  # noqa: E402
from directory.models import Location  # noqa: E402
from evidence.models import Condition  # noqa: E402
from ops.backups import table_counts  # noqa: E402


def catalog(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(row) for row in cursor.fetchall()]


def row_digests() -> dict[str, list]:
    """For every table: its row count and an md5 over the md5 of each row's text, taken in
    the order of those hashes (so the physical order of rows does not matter), computed by
    PostgreSQL itself rather than through the models."""
    tables = catalog(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    digests = {}
    for (table,) in tables:
        quoted = connection.ops.quote_name(table)
        [[count, digest]] = catalog(
            f"SELECT count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) "
            f"FROM (SELECT md5(t::text) AS h FROM public.{quoted} t) rows"
        )
        digests[table] = [count, digest]
    return digests


def searches() -> list:
    """Searches around every third listable clinic: plain, within 50 km, for migraine,
    and by name."""
    origins = Location.objects.listable().order_by("id").values_list("latitude", "longitude")
    migraine = Condition.objects.get(slug="migraine")
    results = []
    for latitude, longitude in list(origins)[::3]:
        origin = EarthPoint(latitude, longitude)
        for query in [
            search.SearchQuery(origin=origin, radius_km=500),
            search.SearchQuery(origin=origin, radius_km=50),
            search.SearchQuery(origin=origin, radius_km=500, condition=migraine),
            search.SearchQuery(origin=origin, radius_km=500, text="acupuncture"),
        ]:
            page = search.search(query, page=1, page_size=50)
            hits = [
                [
                    hit.practitioner.slug,
                    hit.location.pk,
                    round(hit.distance_km, 6),
                    hit.license.number if hit.license else None,
                ]
                for hit in page.hits
            ]
            results.append({"total": page.total, "hits": hits})
    return results


print(
    json.dumps(
        {
            "tables": table_counts("default"),
            "rows": row_digests(),
            "extensions": catalog("SELECT extname, extversion FROM pg_extension ORDER BY extname"),
            "functions": catalog(
                "SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace LEFT JOIN pg_depend d "
                "ON d.objid = p.oid AND d.deptype = 'e' WHERE n.nspname = 'public' "
                "AND d.objid IS NULL ORDER BY 1, 2"
            ),
            "triggers": catalog(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal ORDER BY 1, 2"
            ),
            # Names only: PostgreSQL may print a restored index's expression differently.
            "indexes": catalog(
                "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' "
                "ORDER BY 1, 2"
            ),
            "searches": searches(),
        }
    )
)
