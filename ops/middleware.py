"""Middleware that runs before everything else: the request id with its log line, and the
load balancer's health checks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ops import health, logs

logger = logging.getLogger("meridian.request")

HEALTH_CHECKS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
}


class RequestIdMiddleware:
    """Give every request an id (a sane incoming X-Request-ID, or a new one), return it in
    the X-Request-ID response header, and log one line per request: method, path (never the
    query string), status and duration. Successful health checks are not logged: load
    balancers ask every few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Cleared when the response is closed (ops.apps), not here: Django logs 4xx and 5xx
        # responses ("Not Found: /path") after the middleware has returned.
        request_id = logs.new_request_id(request.headers.get("X-Request-ID"))
        logs.request_id.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if not (request.path in HEALTH_CHECKS and response.status_code == 200):
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        return response


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation, the HTTPS redirect, sessions and
    the rest: load balancers probe over plain HTTP, by IP address, without cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        check = HEALTH_CHECKS.get(request.path)
        if check is not None:
            return check(request)
        return self.get_response(request)
