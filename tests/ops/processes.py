"""Run Meridian's commands as an operator does: each in its own process, against the test
database (or another one on the same server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

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
