"""Health checks for load balancers and orchestrators.

/healthz: the process is alive and serving; it never touches the database, so a database
outage does not get every app process restarted. /readyz: this process can serve real
traffic: the database answers and every migration this code knows is applied (503
otherwise, so a new release is not sent traffic before its migrations ran)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

from ops.database.bounds import wait_at_most

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "ok"}, 200)


def readyz(request: HttpRequest) -> JsonResponse:
    """Within READYZ_DATABASE_TIMEOUT seconds, connecting included: a database that does
    not answer is not ready, and the probe must not hang with it."""
    try:
        with wait_at_most(settings.READYZ_DATABASE_TIMEOUT):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.warning(
            "Not ready: the database is unavailable (%s: %s)", type(error).__name__, error
        )
        return _answer({"status": "unavailable", "detail": "The database is unavailable."}, 503)
    if unapplied:
        detail = f"{len(unapplied)} migration(s) not applied yet."
        logger.warning("Not ready: %s", detail)
        return _answer({"status": "unavailable", "detail": detail}, 503)
    return _answer({"status": "ok"}, 200)


def _answer(payload: dict[str, str], status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response
