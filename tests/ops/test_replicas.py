"""Public reads on a real hot standby (PostgreSQL's streaming replication, started with its
own initdb and pg_basebackup -R), writes and read-your-writes on the primary, and the
primary again when the standby lags or stops. Meridian runs in its own processes, with
DATABASE_URL on the primary and DATABASE_REPLICA_URLS on the standby."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ops.replicas import LAG_SQL
from tests.ops.processes import ROOT, environment, manage, wait_for
from tests.pgcluster import Cluster, hot_standby, throwaway_cluster

pytestmark = pytest.mark.process  # two clusters and Meridian's own processes

NEAR = "37.7898,-122.3942"  # San Francisco, where the factories' clinics are

SEED = """
import django, sys
django.setup()
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
practitioner = PractitionerFactory(slug=sys.argv[1])
LocationFactory(practitioner=practitioner)
LicenseFactory(practitioner=practitioner, number=sys.argv[1].upper())
"""

# Steps: ["slugs"] a public search's practitioners; ["signup", email] a write;
# ["drop_session"] forget the session (so the visitor is anonymous but for having written).
VISIT = """
import django, json, re, sys
django.setup()
from django.test import Client
client = Client()
answers = []
for step in json.loads(sys.argv[1]):
    if step[0] == "slugs":
        response = client.get("/api/v1/practitioners/", {"near": sys.argv[2]})
        slugs = sorted(set(re.findall(r'"slug":"(practitioner-[^"]+|[a-z]+-[a-z]+)"',
                                      response.content.decode())))
        answers.append([response.status_code, slugs])
    elif step[0] == "signup":
        response = client.post("/accounts/signup/", {
            "email": step[1], "password1": "correct horse battery",
            "password2": "correct horse battery"})
        answers.append([response.status_code, []])
    elif step[0] == "drop_session":
        client.cookies.pop("sessionid", None)
print(json.dumps(answers))
"""


def visit(env: dict[str, str], *steps: list[str]) -> list[list]:
    result = subprocess.run(
        [sys.executable, "-c", VISIT, json.dumps(list(steps)), NEAR],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed(env: dict[str, str], slug: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SEED, slug], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def wal_position(cluster: Cluster, function: str) -> int:
    """Where `function` says the WAL stands, in bytes. On the primary, ask for the insert
    position: with synchronous_commit off a commit may still sit in the WAL buffers, short of
    the write position."""
    with cluster.connect() as connection:
        return connection.execute(f"SELECT {function}() - '0/0'::pg_lsn").fetchone()[0]


def test_public_reads_use_the_standby_and_fall_back_to_the_primary(tmp_path):
    with throwaway_cluster() as primary:
        with primary.connect() as connection:
            connection.execute("CREATE DATABASE meridian")
        env = environment(
            DEBUG="true",
            DATABASE_URL=primary.url("meridian"),
            EMAIL_URL="memory://",
            ALLOWED_HOSTS="testserver",
            PAGE_CACHE_SECONDS="600",
        )
        manage(env, "migrate", "--no-input", "-v0")
        seed(env, "mei-chen")
        with hot_standby(primary) as standby:
            # A transaction the standby replays after it started: its lag is known from then.
            with primary.connect() as connection:  # (the postgres database, not Meridian's)
                connection.execute("CREATE TABLE replication_probe ()")
            wait_for(
                lambda: (
                    wal_position(standby, "pg_last_wal_replay_lsn")
                    >= wal_position(primary, "pg_current_wal_insert_lsn")
                ),
                seconds=60,
                what="the standby to catch up",
            )
            with standby.connect() as connection:
                connection.execute("SELECT pg_wal_replay_pause()")
            seed(env, "ravi-shah")  # on the primary only, while the standby holds its replay
            wait_for(
                lambda: (
                    wal_position(standby, "pg_last_wal_receive_lsn")
                    >= wal_position(primary, "pg_current_wal_insert_lsn")
                ),
                seconds=60,
                what="the standby to receive the change",
            )
            with standby.connect("meridian") as connection:
                lag = float(connection.execute(LAG_SQL).fetchone()[0])
            assert 0 < lag < 3600, f"the standby's lag is {lag}"
            replicated = {
                **env,
                "DATABASE_REPLICA_URLS": standby.url("meridian"),
                "REPLICA_MAX_LAG_SECONDS": "3600",
            }
            both = [200, ["mei-chen", "ravi-shah"]]
            only_replicated = [200, ["mei-chen"]]

            # Public reads land on the standby; the write lands on the primary (the standby
            # is read-only), and the visitor who wrote reads from the primary afterwards.
            answers = visit(
                replicated,
                ["slugs"],
                ["signup", "new@example.com"],
                ["drop_session"],
                ["slugs"],
            )
            assert answers == [only_replicated, [302, []], both]
            with primary.connect("meridian") as connection:
                assert connection.execute(
                    "SELECT count(*) FROM accounts_user WHERE email = 'new@example.com'"
                ).fetchone() == (1,)
            # Without the replica, everything reads from the primary.
            assert visit(env, ["slugs"]) == [both]

            # Lagging further behind than allowed: skipped.
            lagging = {**replicated, "REPLICA_MAX_LAG_SECONDS": "0"}
            assert visit(lagging, ["slugs"]) == [both]

            # Stopped: skipped (within its connect timeout), no error for the visitor.
            standby.stop()
            assert visit(replicated, ["slugs"]) == [both]
