"""bench_nppes writes a file in the real format, times the import against its two floors
and compares peak memory by file size."""

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


def test_bench_nppes_reports_floors_ratios_and_memory_on_small_files(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_nppes",
            "--rows",
            "2000",
            "--memory",
            "1000,2000",
            "--database",
            f"meridian_nppes_bench_{secrets.token_hex(4)}",  # the server may be shared
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
    assert re.search(r"2,000 rows, 0\.00 GB \(12\d\d bytes a row\)", out)
    assert re.search(r"Polars filter \(floor\) +\d+\.\d\d s +\(10 rows kept\)", out)
    assert re.search(r"import_nppes +\d+\.\d\d s += \d+\.\d\d× the parse floor", out)
    assert re.search(
        r"best of 3; all runs: floor (\d+\.\d\d(, )?){3} s, import (\d+\.\d\d(, )?){3} s", out
    )
    assert "2000 rows read, 10 kept; 10 created" in out
    assert re.search(r"RSS ratio largest / smallest: \d\.\d\d", out)
