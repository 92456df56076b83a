"""bench_search builds its own database, times every query shape and prints the plans."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A minute or two of application work in its own database, the same on any PostgreSQL: the
# first CI pass runs it, the second (another server, years ahead) does not.
pytestmark = pytest.mark.slow


def test_bench_search_reports_timings_ratios_and_plans_on_a_small_data_set():
    database = f"meridian_bench_{secrets.token_hex(4)}"  # the server may be shared
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_search",
            "--locations",
            "500",
            "--samples",
            "5",
            "--deep-page",
            "5",
            "--database",
            database,
            "--rebuild",
            "--drop",
        ],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Generating 500 locations" in out
    # The nearest-first shapes are answered by the GiST index in distance order.
    assert out.count("Order By: ((ll_to_earth(latitude, longitude))::cube <->") >= 3
    for shape in [
        "bare index scan, SQL (the floor)",
        "nearest 20 ",
        "nearest 20, condition filter",
        "25 km radius, nearest 20",
        "25 km radius, whole search() call",
        "API GET /api/v1/practitioners/ (25 km)",
        "page GET /search/ (same search)",
        "FHIR PractitionerRole?location.near",
    ]:
        line = next(line for line in out.splitlines() if line.startswith(shape))
        figures = [float(value) for value in re.findall(r"\d+\.\d+", line[38:])]
        assert figures and all(value > 0 for value in figures), line
    assert re.search(r"API request / page request \(p50\): \d+\.\d+", out)
    assert re.search(r"FHIR request / API request \(p50\): \d+\.\d+", out)
    for kind in ["Location", "Practitioner"]:
        pattern = rf"FHIR {kind}\?_count=20: page 1 p50 [\d.]+, page 5 p50 [\d.]+ .*: \d+\.\d+"
        assert re.search(pattern, out), out
    assert f"Dropped {database}." in out
