"""bench_photos measures, in processes of their own, the peak memory a photo at the pixel
limit costs, against the budget and the cost of merely decoding it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "bench_photos", *args],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_every_format_at_the_pixel_limit_stays_within_the_memory_budget():
    result = bench()
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {
        match["format"]: match
        for match in re.finditer(
            r"^(?P<format>PNG|JPEG|WEBP) +(?P<pixels>[\d,]+) +\d+KB +(?P<prepare>\d+)MB +"
            r"(?P<floor>\d+)MB +(?P<to_floor>[\d.]+) +(?P<to_budget>[\d.]+)$",
            result.stdout,
            re.MULTILINE,
        )
    }
    assert set(rows) == {"PNG", "JPEG", "WEBP"}, result.stdout
    assert rows["PNG"]["pixels"] == rows["JPEG"]["pixels"] == "40,000,000"
    assert rows["WEBP"]["pixels"] == "12,000,000"
    for row in rows.values():
        assert float(row["to_budget"]) <= 1, result.stdout
        # Never much more than decoding the file costs by itself (a JPEG far less: it is
        # decoded at an eighth of its size).
        assert float(row["to_floor"]) < 1.2, result.stdout
    assert float(rows["JPEG"]["to_floor"]) < 0.2, result.stdout
    assert "Every format within the budget of 300 MB." in result.stdout


def test_a_format_over_the_budget_fails_the_benchmark():
    result = bench("--formats", "png", "--budget-mb", "50")
    assert result.returncode != 0
    assert "Over the budget of 50 MB: PNG." in result.stderr
