"""Run Meridian's commands as an operator does: each in its own process, against the test
database (or another one on the same server); and Meridian itself as deployed, under
gunicorn, for the tests that talk to it over HTTP."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from ops.jobs import stop_process

ROOT = Path(__file__).resolve().parents[2]


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for database `name` (default: the test database) on the test server."""
    settings = connection.settings_dict
    credentials = quote(settings["USER"]) + (
        ":" + quote(settings["PASSWORD"], safe="") if settings["PASSWORD"] else ""
    )
    host = quote(str(settings["HOST"]), safe="")
    return f"postgres://{credentials}@{host}:{settings['PORT'] or 5432}/{name or settings['NAME']}"


def environment(database: str | None = None, **extra: str) -> dict[str, str]:
    """The test process's environment for a child, with the run's frozen today (which only
    test helpers such as tests/ops/fingerprint.py honour; Meridian's commands keep the
    machine's clock)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "MERIDIAN_TEST_TODAY": timezone.localdate().isoformat(),
        **extra,
    }


def run(*args: str, database: str | None = None, **extra: str) -> subprocess.CompletedProcess:
    """`python ARGS` in the project directory, e.g. run("manage.py", "backup")."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment(database, **extra),
        capture_output=True,
        text=True,
        timeout=180,
    )


@dataclass
class Exchange:
    path: str
    started: float
    finished: float
    status: int | None
    headers: dict[str, str]
    body: bytes
    error: str = ""

    @property
    def seconds(self) -> float:
        return self.finished - self.started


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path
    host: str = "127.0.0.1"

    def get(self, path: str, headers: dict[str, str] | None = None) -> Exchange:
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            body = response.read()
            return Exchange(
                path,
                started,
                time.monotonic(),
                response.status,
                {key.lower(): value for key, value in response.getheaders()},
                body,
            )
        except OSError as error:
            return Exchange(path, started, time.monotonic(), None, {}, b"", repr(error))
        finally:
            connection.close()

    def log_lines(self) -> list[str]:
        return self.log_path.read_text().splitlines()


def wait_for(predicate, *, seconds: float, what: str, server: Server | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    log = "\n".join(server.log_lines()[-30:]) if server else ""
    raise AssertionError(f"timed out after {seconds} s waiting for {what}\n{log}")


def manage(env: dict[str, str], *args: str) -> None:
    """`manage.py ARGS` with exactly this environment (a deployed server's), which must pass."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def deployed_environment(database_url: str, work: Path, **extra: str) -> dict[str, str]:
    """Meridian's settings as deployed: DEBUG off, static files, private media and photos
    (load_demo gives some practitioners one) under `work`, plain HTTP on loopback (TLS is
    the proxy's job), a port gunicorn picks itself and logs (no probe, no race). The test
    process's DJANGO_ variables stay behind."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "deployed-test-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": str(work / "static"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "PHOTO_ROOT": str(work / "photos"),
        "PORT": "0",
        "BIND_HOST": "127.0.0.1",
        **extra,
    }


def listening_port(log_path: Path, process: subprocess.Popen, host: str = "127.0.0.1") -> int:
    """The port gunicorn bound, from its "Listening at: http://HOST:PORT" line."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(rf"Listening at: http://{re.escape(host)}:(\d+)", log_path.read_text())
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not report its port:\n{log_path.read_text()[-2000:]}")


@contextmanager
def gunicorn(env: dict[str, str], work: Path, *, collect_static: bool = True) -> Iterator[Server]:
    """Meridian under gunicorn (config/gunicorn.py) with `env` (see deployed_environment),
    static files collected first, once /healthz answers; its log in work/gunicorn.log. It
    listens on env's BIND_HOST (a loopback address) and PORT (0: one it picks). A second
    node on the same STATIC_ROOT need not collect them again (collect_static=False).
    Stopped afterwards, killed if it does not stop within 10 seconds."""
    if collect_static:
        manage(env, "collectstatic", "--no-input", "-v0")
    log_path = work / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        host = env.get("BIND_HOST", "127.0.0.1")
        port = listening_port(log_path, process, host)
        server = Server(port=port, process=process, log_path=log_path, host=host)
        wait_for(
            lambda: server.get("/healthz").status == 200,
            seconds=30,
            what="gunicorn to answer",
            server=server,
        )
        yield server
    finally:
        stop_process(process)
