"""Every wait on the database is bounded: web requests by a few seconds (the server's
statement and lock timeouts, the client's own bound beyond them), management commands by
longer ones. (A frozen server under gunicorn is in test_database_freeze.py.)"""

from __future__ import annotations

import json
import logging

import psycopg
import pytest
from django.db import connection

from ops.database.base import BoundedConnection
from ops.database.bounds import job_timeouts, wait_at_most
from tests.ops.processes import run

pytestmark = pytest.mark.django_db

SHOW = "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"


def timeouts() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(SHOW)
        return cursor.fetchone()


def test_a_web_process_connects_with_the_short_timeouts(settings):
    assert timeouts() == ("5s", "3s")
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 3
    assert connection.connection.wait_bound == 6.0  # the statement timeout and a second


def test_a_management_command_gets_the_longer_ones():
    code = (
        "import json; from django.db import connection; c = connection.cursor(); "
        f'c.execute("{SHOW}"); print(json.dumps([*c.fetchone(), connection.connection.wait_bound]))'
    )
    result = run("manage.py", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == ["1h", "1min", 3601.0]
    switched_off = run("manage.py", "shell", "-c", code, DATABASE_JOB_STATEMENT_TIMEOUT_MS="0")
    assert json.loads(switched_off.stdout.splitlines()[-1])[0] == "0"


def test_bulk_work_in_a_web_process_gets_the_job_timeouts_for_its_block():
    with job_timeouts():
        assert timeouts() == ("1h", "1min")
    assert timeouts() == ("5s", "3s")


def test_a_server_that_does_not_answer_in_time_is_given_up_and_its_connection_closed(caplog):
    """pg_sleep stands for a server that stopped answering: the client's bound ends the wait
    (the server's statement timeout is switched off for this connection)."""
    params = {**connection.get_connection_params(), "options": "-c statement_timeout=0"}
    params.pop("cursor_factory", None)
    with BoundedConnection.connect(**params) as waiting:
        waiting.wait_bound = 0.3
        with (
            caplog.at_level(logging.WARNING, logger="ops.database.base"),
            pytest.raises(psycopg.OperationalError) as error,
        ):
            waiting.execute("SELECT pg_sleep(5)")
        assert str(error.value) == ("The database did not answer within 0.3 s; connection closed.")
        assert waiting.closed
        assert caplog.messages == [str(error.value)]


def test_a_block_can_set_its_own_shorter_bound():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with BoundedConnection.connect(**params) as waiting:
        waiting.wait_bound = 60
        with wait_at_most(0.2), pytest.raises(psycopg.OperationalError, match=r"within 0\.2 s"):
            waiting.execute("SELECT pg_sleep(5)")
