"""Beyond its bound a process answers 503 at once, counted with requests held in a view."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from ops import shedding
from tests.ops import hold_urls
from tests.ops.processes import wait_for


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def threaded_server() -> Iterator[int]:
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, path: str, cookie: str = "") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


class Held:
    """A request sent in its own thread; its answer arrives once the view is let go."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.status: int | None = None
        self.thread = threading.Thread(target=self.run, args=(port, cookie))
        self.thread.start()

    def run(self, port: int, cookie: str) -> None:
        self.status = get(port, "/hold/", cookie).status


@pytest.fixture
def bounded(settings):
    settings.ROOT_URLCONF = "tests.ops.hold_urls"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.MAX_CONCURRENT_REQUESTS = 2
    settings.MAX_QUEUE_LENGTH = 1
    settings.MAX_QUEUE_WAIT_MS = 60_000  # the queued request waits until the others finish
    settings.SIGNED_IN_RESERVE = 1
    shedding.forget()
    hold_urls.release.clear()
    yield shedding
    hold_urls.release.set()
    shedding.forget()


def entered(count: int) -> None:
    for _ in range(count):
        assert hold_urls.entered.acquire(timeout=30), "a held request never reached the view"


@pytest.mark.django_db(transaction=True)
def test_beyond_the_bound_and_the_queue_requests_get_a_fast_503(bounded):
    with threaded_server() as port:
        running = [Held(port), Held(port)]
        entered(2)
        queued = Held(port)
        wait_for(lambda: bounded.admission().waiting == 1, seconds=30, what="a queued request")

        shed = get(port, "/hold/")
        assert shed.status == 503
        assert shed.getheader("Retry-After") == "1"
        assert shed.getheader("Cache-Control") == "no-store"
        # Health checks answer before the bound; signed-in visitors have slots of their own.
        assert get(port, "/healthz").status == 200
        signed_in = Held(port, cookie="sessionid=someone")
        entered(1)
        assert bounded.admission().running == 3

        hold_urls.release.set()
        for request in [*running, queued, signed_in]:
            request.thread.join(timeout=60)
        entered(1)  # the queued one ran once a slot was free
        assert [r.status for r in [*running, queued, signed_in]] == [200, 200, 200, 200]
        assert bounded.admission().running == 0


def test_a_queued_request_that_waits_too_long_is_shed():
    bound = shedding.Admission(limit=1, reserve=0, queue_length=1)
    assert bound.enter(priority=False, wait_seconds=0)
    assert not bound.enter(priority=False, wait_seconds=0)  # no free slot within the wait
    assert bound.waiting == 0
    bound.leave()
    assert bound.enter(priority=False, wait_seconds=0)
