"""Small HTTP servers on 127.0.0.1 that answer as outside services do, for tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    received: float  # time.monotonic() when the request arrived


@dataclass
class FakeService:
    url: str
    host: str
    requests: list[Recorded] = field(default_factory=list)


# A handler takes (path, query) and returns (status, body bytes, content type).
Answer = Callable[[str, dict[str, str]], tuple[int, bytes, str]]


@contextmanager
def serve(answer: Answer) -> Iterator[FakeService]:
    service: FakeService

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            service.requests.append(
                Recorded(parts.path, query, dict(self.headers), time.monotonic())
            )
            status, body, content_type = answer(parts.path, query)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host = f"127.0.0.1:{server.server_address[1]}"
    service = FakeService(url=f"http://{host}", host=host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


def json_answer(status: int, payload: object) -> tuple[int, bytes, str]:
    return status, json.dumps(payload).encode(), "application/json"


@contextmanager
def refusing_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs: bound by
    this socket, which never listens, so no other process can take it meanwhile (a port
    probed, released and handed on could be bound by anyone in between)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]
