"""Public reads on PostgreSQL streaming replicas (DATABASE_REPLICA_URLS), everything else on
the primary.

ReplicaMiddleware picks, per request, where its reads go: a GET of a public page, the JSON
API or FHIR goes to a replica, unless the visitor wrote within READ_YOUR_WRITES_SECONDS
(a signed cookie, set only on answers to a write), in which case the primary answers so the
visitor sees their own change. A replica is used only while it answers within its connect
timeout and is no more than REPLICA_MAX_LAG_SECONDS behind; each process checks that at most
every REPLICA_CHECK_SECONDS, and otherwise reads fall back to the primary. ReplicaRouter sends
reads where the middleware chose and every write to the primary."""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from ops.public import is_public_view

logger = logging.getLogger(__name__)

PRIMARY = "default"
WROTE_COOKIE = "meridian_wrote"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# How far behind the primary a replica is: zero when it has replayed all it received (an
# idle primary sends nothing, so the last replay's age alone would look like lag); behind
# without having replayed any transaction since it started: unknown, so too far.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 'Infinity'::numeric
    )
END
"""

_read_alias: contextvars.ContextVar[str] = contextvars.ContextVar("read_alias", default=PRIMARY)
_health: dict[str, tuple[float, bool]] = {}  # alias -> (checked at, usable)
_health_lock = threading.Lock()


def read_alias() -> str:
    """The database this request reads from (the primary outside ReplicaMiddleware)."""
    return _read_alias.get()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def lag_seconds(alias: str) -> float:
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def usable(alias: str) -> bool:
    """Whether `alias` answers and is not too far behind; remembered for a few seconds."""
    now = time.monotonic()
    with _health_lock:
        checked = _health.get(alias)
    if checked and now - checked[0] < settings.REPLICA_CHECK_SECONDS:
        return checked[1]
    try:
        lag = lag_seconds(alias)
        healthy = lag <= settings.REPLICA_MAX_LAG_SECONDS
        if not healthy:
            logger.warning("Replica %s is %.1f s behind; reading from the primary", alias, lag)
    except DatabaseError as error:
        logger.warning("Replica %s is unavailable (%s); reading from the primary", alias, error)
        connections[alias].close()
        healthy = False
    with _health_lock:
        _health[alias] = (now, healthy)
    return healthy


def forget_health() -> None:
    with _health_lock:
        _health.clear()


def choose(request: HttpRequest) -> str:
    aliases = replica_aliases()
    if (
        not aliases
        or request.method not in {"GET", "HEAD"}
        or wrote_recently(request)
        or not is_public_view(request.path_info)
    ):
        return PRIMARY
    for alias in random.sample(aliases, len(aliases)):
        if usable(alias):
            return alias
    return PRIMARY


def wrote_recently(request: HttpRequest) -> bool:
    try:
        request.get_signed_cookie(WROTE_COOKIE, max_age=settings.READ_YOUR_WRITES_SECONDS)
    except (KeyError, signing.BadSignature):
        return False
    return True


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_alias.set(choose(request))
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if request.method not in SAFE_METHODS and replica_aliases():
            response.set_signed_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ReplicaRouter:
    """Reads where ReplicaMiddleware chose (the primary elsewhere), writes to the primary."""

    def db_for_read(self, model: type, **hints: object) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: object) -> str:
        return PRIMARY

    def allow_relation(self, first: object, second: object, **hints: object) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == PRIMARY
