"""bench_screening writes an LEIE in the real format, screens one practitioner with many
clinics and licenses against it and prints time and peak memory as ratios to its floor."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_bench_screening_reports_ratios_to_its_floor_on_a_small_list(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_screening",
            "--rows",
            "1000",
            "--clinics",
            "50",
            "--licenses",
            "5",
            "--repeat",
            "2",
            "--database",
            f"meridian_screening_bench_{secrets.token_hex(4)}",  # the server may be shared
            "--files",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "LEIE file of 1,000 rows" in out and "50 clinics and 5 licenses" in out
    figures = r" +\d+\.\d\d s +peak RSS +\d+ MB \([+-]\d+ MB over the loaded process\)"
    assert re.search(r"read the file \(floor\)" + figures, out)
    assert re.search(r"screen_exclusions" + figures, out)
    assert re.search(r"ratios to the floor: time \d+\.\d\d×, peak memory \d+\.\d\d×", out)
    assert re.search(r"all runs: floor (\d+\.\d\d(, )?){2} s, screen (\d+\.\d\d(, )?){2} s", out)
    assert "1000 rows read, 0 malformed (skipped)" in out and "1 possible matches" in out
    header = (tmp_path / "UPDATED_1000.csv").read_text().splitlines()[0]
    assert header == ",".join(
        (ROOT / "tests/public_record/data/leie-columns.txt").read_text().split()
    )
