"""The scheduler, `manage.py run_jobs`, run as deployed: its own process, JSON logs, each
job a process of its own against the test database."""

from __future__ import annotations

import datetime
import json
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.sessions.models import Session

from tests.ops import processes

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the jobs see committed data only
    pytest.mark.process,  # run_jobs and its jobs, each a process of its own
]

JSON_LOGS = {
    "LOG_FORMAT": "json",
    "GEOCODER": "",
    "EMAIL_URL": "console://",
    "IMPORT_DROP_DIR": "",
}


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]  # every line is one JSON object


def test_each_job_runs_once_in_its_own_process_and_is_logged():
    Session.objects.create(
        session_key="expired-session-0001",
        session_data="",
        # Long past by the job's clock too: it runs in its own process, on the machine's
        # clock, not the suite's frozen one.
        expire_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    )

    result = processes.run("manage.py", "run_jobs", "--once", **JSON_LOGS)

    assert result.returncode == 0, result.stderr
    finished = {
        entry["job"]: entry
        for entry in records(result.stderr)
        if entry["message"].startswith("Job ") and "exit_code" in entry
    }
    assert set(finished) == {
        "send_expiry_reminders",
        "geocode_clinics",
        "fhir_export",
        "fhir_versions",
        "import_drop_folder",
        "clearsessions",
    }
    assert {entry["exit_code"] for entry in finished.values()} == {0}
    assert finished["send_expiry_reminders"]["output"].startswith("Sent 0 reminders")
    assert finished["geocode_clinics"]["output"] == (
        "Online geocoding is off (GEOCODER is not set); 0 clinics waiting."
    )
    assert finished["import_drop_folder"]["output"] == (
        "The drop folder is off (IMPORT_DROP_DIR is not set)."
    )
    assert not Session.objects.filter(session_key="expired-session-0001").exists()


def test_a_failing_job_is_logged_with_its_output_and_fails_a_single_round():
    result = processes.run(
        "manage.py",
        "run_jobs",
        "--once",
        "--only",
        "clearsessions",
        database="meridian_no_such_database",
        **JSON_LOGS,
    )

    assert result.returncode == 1
    *logged, last = result.stderr.splitlines()
    assert last == "CommandError: 1 of 1 job(s) failed; see the log."
    [failed] = [entry for entry in records("\n".join(logged)) if "exit_code" in entry]
    assert (failed["message"], failed["level"]) == ("Job clearsessions failed", "ERROR")
    assert failed["exit_code"] == 1
    assert 'database "meridian_no_such_database" does not exist' in failed["output"]


def test_the_scheduler_stops_promptly_on_sigterm_even_during_a_job():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_jobs"],
        cwd=processes.ROOT,
        env=processes.environment(**JSON_LOGS),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while not any("Job send_expiry_reminders started" in line for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            assert process.poll() is None, "".join(lines)
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    messages = [entry["message"] for entry in records("".join(lines))]
    assert messages[0].startswith("Scheduler started: send_expiry_reminders every 1:00:00")
    assert "Stopping on SIGTERM" in messages
    assert messages[-1] == "Scheduler stopped"
