"""Django's PostgreSQL backend, with every wait on the server bounded by the client.

statement_timeout and lock_timeout (settings.DATABASE_TIMEOUTS) let the server cancel a
statement that runs or waits too long, and connect_timeout bounds a new connection. A
server that stops answering altogether (paused, a frozen host, a network that drops packets
without a word) enforces nothing, and a request on an open connection would wait for it as
long as TCP does. So the client gives up too: a wait for the server that lasts longer than
the statement timeout plus a second closes the connection and raises OperationalError,
which ops.errors answers with a 503. ops.database.bounds sets another bound for a block of
code (/readyz's probe, bulk work)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg import errors

from ops.database.bounds import client_bound, wait_bound

logger = logging.getLogger(__name__)


class BoundedConnection(psycopg.Connection):
    """A psycopg connection whose waits on the server end after `wait_bound` seconds (or the
    bound set for the current block, see ops.database.bounds); None waits as long as the
    server takes."""

    wait_bound: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        if timeout is None:
            block = wait_bound.get()  # 0: unbounded within the block
            timeout = self.wait_bound if block is None else block or None
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except errors._WaitTimeout:
            # The server may be half-way through anything: this connection cannot be used
            # again. Closing it only sends a goodbye the kernel buffers; nothing waits.
            self.close()
            message = f"The database did not answer within {timeout:g} s; connection closed."
            # Logged here too: Django's health check of a kept connection swallows the error.
            logger.warning(message)
            raise psycopg.OperationalError(message) from None


class _Psycopg:
    """The psycopg module as Django's backend uses it, whose connect() makes
    BoundedConnections."""

    connect = BoundedConnection.connect

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        bound = wait_bound.get()
        if bound:
            current = params.get("connect_timeout")
            params["connect_timeout"] = max(1, round(min(bound, current or bound)))
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.wait_bound = client_bound(self.settings_dict.get("STATEMENT_TIMEOUT_MS") or 0)
        return connection
