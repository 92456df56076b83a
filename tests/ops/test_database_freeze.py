"""Fault test: PostgreSQL freezes (every process paused with SIGSTOP, as a frozen host or
VM is) under Meridian running in gunicorn. The server's sockets stay open and nothing is
refused, so only the app's own bounds end the wait: /readyz's probe gives up after
READYZ_DATABASE_TIMEOUT, a page after the statement timeout plus a second (the client's
bound) and a new connection after connect_timeout. Short bounds are injected here; the
client's own timeout (10 s) is only a guard far above them. After SIGCONT everything
answers 200 again, without a restart."""

from __future__ import annotations

import json

import pytest

from tests.ops import processes
from tests.ops.processes import manage, wait_for
from tests.pgcluster import throwaway_cluster

pytestmark = pytest.mark.slow

PAGE = "/search/?near=40.7128,-74.0060&radius=25"
API = "/api/v1/practitioners/?near=40.7128,-74.0060"


def test_a_frozen_database_is_answered_503_within_the_bounds_and_the_app_recovers(tmp_path):
    with throwaway_cluster() as cluster:
        env = processes.deployed_environment(
            cluster.url("meridian"),
            tmp_path,
            API_ANON_RATE="100000/minute",
            LOG_FORMAT="json",
            EMAIL_URL="console://",
            # One sync worker, one thread: a single kept connection, the one frozen.
            WEB_CONCURRENCY="1",
            WEB_THREADS="1",
            DATABASE_CONNECT_TIMEOUT="1",
            DATABASE_STATEMENT_TIMEOUT_MS="1000",
            DATABASE_LOCK_TIMEOUT_MS="1000",
            READYZ_DATABASE_TIMEOUT="1",
        )
        with cluster.connect() as connection:
            connection.execute("CREATE DATABASE meridian")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo", "--count", "10", "-v0")
        with processes.gunicorn(env, tmp_path) as server:
            before = [server.get(path) for path in ("/readyz", PAGE, API)]
            assert [e.status for e in before] == [200, 200, 200]

            def recovered() -> bool:
                return all(server.get(path).status == 200 for path in ("/readyz", PAGE, API))

            # Twice, each time with the worker's kept connection open: /readyz asks first,
            # then a page does.
            with cluster.frozen():
                probe_first = [server.get(path) for path in ("/readyz", PAGE, API)]
                healthz = server.get("/healthz")
            wait_for(recovered, seconds=30, what="recovery after SIGCONT", server=server)
            probe_log = server.log_path.read_text()
            with cluster.frozen():
                page_first = [server.get(path) for path in (PAGE, API, "/readyz")]
            wait_for(recovered, seconds=30, what="recovery after SIGCONT", server=server)
            page_log = server.log_path.read_text()[len(probe_log) :]
            still_running = server.process.poll() is None

        for during in (probe_first, page_first):
            assert [(e.status, e.error) for e in during] == [(503, "")] * 3
            for exchange in during:
                if exchange.path == "/readyz":
                    assert json.loads(exchange.body) == {
                        "status": "unavailable",
                        "detail": "The database is unavailable.",
                    }
                elif exchange.path == PAGE:
                    assert exchange.headers["retry-after"] == "5"
                    assert "<h1>Briefly unavailable</h1>" in exchange.body.decode()
                else:
                    assert set(json.loads(exchange.body)) == {"detail", "errors"}
        assert healthz.status == 200  # never touches the database

        # The bounds that ended each wait were the injected ones: /readyz's own on the kept
        # connection, then a page's (the statement timeout + 1 s); connect_timeout for the
        # connections tried afterwards.
        bound = "The database did not answer within {} s; connection closed."
        assert bound.format(1) in probe_log and bound.format(2) not in probe_log
        assert bound.format(2) in page_log and bound.format(1) not in page_log
        assert (
            "connection timeout expired" in probe_log and "connection timeout expired" in page_log
        )
        # Nothing was restarted: the one worker booted once and served throughout.
        assert still_running
        assert sum("Booting worker" in line for line in server.log_lines()) == 1
