"""How long a piece of code may wait for the database: shorter for /readyz's probe, longer
for bulk work run inside a web or test process (loading the gazetteer)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds any wait on the server may last within the current block; None: the connection's
# own bound (ops.database.base.BoundedConnection).
wait_bound: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "database_wait_bound", default=None
)
# The client's bound beyond the server's statement_timeout: the server normally cancels
# first, and answers at once when it does.
GRACE_SECONDS = 1.0


def client_bound(statement_timeout_ms: int) -> float | None:
    return statement_timeout_ms / 1000 + GRACE_SECONDS if statement_timeout_ms else None


@contextmanager
def wait_at_most(seconds: float) -> Iterator[None]:
    """Within the block, a new connection or any wait on the server lasts at most `seconds`."""
    token = wait_bound.set(seconds)
    try:
        yield
    finally:
        wait_bound.reset(token)


@contextmanager
def job_timeouts() -> Iterator[None]:
    """Within the block, the default connection's statements get the management commands'
    longer timeouts (settings.DATABASE_JOB_TIMEOUTS), for bulk work that a web or test
    process runs itself. They are session settings, reset afterwards."""
    from django.conf import settings
    from django.db import connection

    timeouts = settings.DATABASE_JOB_TIMEOUTS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), "
            "set_config('lock_timeout', %s, false)",
            [str(timeouts["statement_timeout"]), str(timeouts["lock_timeout"])],
        )
    token = wait_bound.set(client_bound(timeouts["statement_timeout"]) or 0)
    try:
        yield
    finally:
        wait_bound.reset(token)
        if connection.connection is not None and not connection.connection.closed:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout; RESET lock_timeout")
