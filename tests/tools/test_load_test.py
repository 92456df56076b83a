"""load_test in its short form: real gunicorn, real locust, on loopback."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # minutes of application work, the same on any PostgreSQL


def test_load_test_drives_every_kind_of_request_without_errors():
    database = f"meridian_load_{secrets.token_hex(4)}"  # the server may be shared
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "load_test",
            "--users=5",
            "--duration=8",
            "--synthetic=300",
            "--workers=2",
            "--throughput-seconds=2",
            "--throughput-clients=4",
            "--burst=20",
            f"--database={database}",
            "--rebuild",
            "--drop",
        ],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Generating 300 synthetic practitioners" in out
    rows = {
        match["name"].strip(): (int(match["count"]), int(match["errors"]))
        for match in re.finditer(
            r"^(?P<name>[a-zA-Z ,0-9()]+?)\s+(?P<count>\d+)\s+(?P<errors>\d+)\s+[\d.]+\s+\d+",
            out,
            re.MULTILINE,
        )
    }
    assert rows["all requests"][0] > 10
    assert rows["all requests"][1] == 0, out
    # A short run picks its actions at random: most, not every, kind shows up.
    assert len(set(rows) - {"all requests"}) >= 3, out
    assert re.search(r"Goal \(no errors, search pages p95 < 150 ms\): (met|MISSED)", out)
    assert re.search(
        r"Goal \(filtered search page p95 < 150 ms at 5 patients\): "
        r"(met — p95 \d+ ms|MISSED — p95 \d+ ms|not measured)",
        out,
    )
    assert re.search(r"Goal \(search / landing throughput >= 0.5\): (met|MISSED) — ratio", out)
    burst = re.search(r"(\d+) × 200, (\d+) × 503, (\d+) other", out)
    assert burst and int(burst[1]) + int(burst[2]) == 20 and burst[3] == "0", out
