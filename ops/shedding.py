"""Fast 503s instead of long queues.

Each process runs at most MAX_CONCURRENT_REQUESTS requests at once; a request that finds
them all busy waits up to MAX_QUEUE_WAIT_MS for one to finish, behind at most
MAX_QUEUE_LENGTH others; otherwise it gets a 503 with Retry-After at once, rather than after
seconds in a queue. Requests carrying a
session cookie (signed-in practitioners and staff) may use SIGNED_IN_RESERVE more slots, so
anonymous traffic is shed first. Health checks are answered before this middleware and are
never shed. Gunicorn needs more threads than the bound (WEB_THREADS), or the queue forms in
gunicorn where nothing can shed it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ops.errors import unavailable

logger = logging.getLogger(__name__)

BUSY = _("Meridian is busy. Please try again in a moment.")


class Admission:
    """A counter of running requests with a short, bounded wait for a free slot."""

    def __init__(self, limit: int, reserve: int, queue_length: int) -> None:
        self.limit = limit
        self.reserve = reserve
        self.queue_length = queue_length
        self.running = 0
        self.waiting = 0
        self.condition = threading.Condition()

    def enter(self, *, priority: bool, wait_seconds: float) -> bool:
        bound = self.limit + (self.reserve if priority else 0)
        with self.condition:
            if self.running >= bound and self.waiting >= self.queue_length and not priority:
                return False
            self.waiting += 1
            try:
                admitted = self.condition.wait_for(lambda: self.running < bound, wait_seconds)
            finally:
                self.waiting -= 1
            if admitted:
                self.running += 1
            return admitted

    def leave(self) -> None:
        with self.condition:
            self.running -= 1
            # Both kinds may wait, for different bounds: wake them all to look.
            self.condition.notify_all()


_admission: Admission | None = None
_admission_lock = threading.Lock()


def admission() -> Admission:
    """The process's one bound, built from settings on first use."""
    global _admission
    with _admission_lock:
        if _admission is None:
            _admission = Admission(
                settings.MAX_CONCURRENT_REQUESTS,
                settings.SIGNED_IN_RESERVE,
                settings.MAX_QUEUE_LENGTH,
            )
        return _admission


def forget() -> None:
    """Build the bound again from settings at the next request (tests change them)."""
    global _admission
    with _admission_lock:
        _admission = None


class LoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.MAX_CONCURRENT_REQUESTS:
            return self.get_response(request)
        bound = admission()
        priority = settings.SESSION_COOKIE_NAME in request.COOKIES
        if not bound.enter(priority=priority, wait_seconds=settings.MAX_QUEUE_WAIT_MS / 1000):
            logger.warning("Shed a request: %s running, %s waiting", bound.running, bound.waiting)
            response = unavailable(
                request, str(BUSY), retry_after=settings.SHED_RETRY_AFTER_SECONDS
            )
            # Logged once above, as a warning: Django would log each as an error too.
            response._has_been_logged = True  # type: ignore[attr-defined]
            return response
        try:
            return self.get_response(request)
        finally:
            bound.leave()
