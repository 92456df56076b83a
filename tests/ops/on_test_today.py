"""Run a script on the test run's frozen today: `python -m tests.ops.on_test_today manage.py
run_jobs --once`. Meridian's commands keep the machine's clock in a process of their own; a
test whose data is dated from the frozen today (licenses in force around it) and whose work
happens in such a process (the FHIR export job) runs it through this, so that both agree on
the day. MERIDIAN_TEST_TODAY is set by tests/ops/processes.py."""

from __future__ import annotations

import datetime
import os
import runpy
import sys

import time_machine


def travel() -> None:
    """From here on, the clock starts at noon UTC on MERIDIAN_TEST_TODAY (when set) and
    ticks, as in the test process (tests/conftest.py)."""
    if value := os.environ.get("MERIDIAN_TEST_TODAY"):
        day = datetime.date.fromisoformat(value)
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        time_machine.travel(noon, tick=True).start()


if __name__ == "__main__":
    travel()
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
