"""earthdistance 1.2's function bodies, for servers that ship only 1.1 (PostgreSQL 15).

In 1.1, ll_to_earth() and the other functions find `cube` and the `earth` type through
search_path. pg_restore empties search_path, so rebuilding our GiST index on
ll_to_earth(latitude, longitude) fails ("type earth does not exist"). 1.2 (PostgreSQL
16+) defines the same functions with SQL-standard bodies, resolved once when created.
Before a restore into a server without 1.2, `prepare_for_restore` installs the two
extensions and gives them 1.2's bodies: the SQL below is PostgreSQL's own
contrib/earthdistance/earthdistance--1.1--1.2.sql with `@extschema:cube@` (a PostgreSQL
16 placeholder) written as `public`, where Meridian's migrations install cube."""

from __future__ import annotations

from django.db import connections, transaction

SAFE_VERSION = (1, 2)

BODIES_FROM_1_2 = """
CREATE OR REPLACE FUNCTION public.earth() RETURNS float8
LANGUAGE SQL IMMUTABLE PARALLEL SAFE
RETURN '6378168'::float8;

CREATE OR REPLACE FUNCTION public.sec_to_gc(float8)
RETURNS float8
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN CASE
  WHEN $1 < '0'::float8 THEN '0'::float8
  WHEN $1 / ('2'::float8 * earth()) > '1'::float8 THEN pi() * earth()
  ELSE '2'::float8 * earth() * asin($1 / ('2'::float8 * earth()))
END;

CREATE OR REPLACE FUNCTION public.gc_to_sec(float8)
RETURNS float8
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN CASE
  WHEN $1 < '0'::float8 THEN '0'::float8
  WHEN $1 / earth() > pi() THEN '2'::float8 * earth()
  ELSE '2'::float8 * earth() * sin($1 / ('2'::float8 * earth()))
END;

CREATE OR REPLACE FUNCTION public.ll_to_earth(float8, float8)
RETURNS earth
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN public.cube(public.cube(public.cube(
    earth() * cos(radians($1)) * cos(radians($2))),
    earth() * cos(radians($1)) * sin(radians($2))),
    earth() * sin(radians($1)))::earth;

CREATE OR REPLACE FUNCTION public.latitude(earth)
RETURNS float8
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN CASE
  WHEN public.cube_ll_coord($1, 3) / earth() < '-1'::float8 THEN '-90'::float8
  WHEN public.cube_ll_coord($1, 3) / earth() > '1'::float8 THEN '90'::float8
  ELSE degrees(asin(public.cube_ll_coord($1, 3) / earth()))
END;

CREATE OR REPLACE FUNCTION public.longitude(earth)
RETURNS float8
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN degrees(atan2(public.cube_ll_coord($1, 2),
                     public.cube_ll_coord($1, 1)));

CREATE OR REPLACE FUNCTION public.earth_distance(earth, earth)
RETURNS float8
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN sec_to_gc(public.cube_distance($1, $2));

CREATE OR REPLACE FUNCTION public.earth_box(earth, float8)
RETURNS public.cube
LANGUAGE SQL
IMMUTABLE STRICT
PARALLEL SAFE
RETURN public.cube_enlarge($1, gc_to_sec($2), 3);
"""


def prepare_for_restore(using: str) -> bool:
    """On a server whose earthdistance predates 1.2, create cube and earthdistance in the
    public schema with 1.2's function bodies; the restore's own CREATE EXTENSION IF NOT
    EXISTS then keeps them. Returns whether anything was done."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'earthdistance'"
        )
        row = cursor.fetchone()
        if row is None or tuple(int(part) for part in row[0].split(".")) >= SAFE_VERSION:
            return False
        # The bodies' names resolve once, now: in public, whatever the role's search_path.
        cursor.execute("SET LOCAL search_path = public, pg_catalog")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public")
        cursor.execute(BODIES_FROM_1_2)
    return True
