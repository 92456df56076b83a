"""The scheduled jobs, and the small loop that runs them: `manage.py run_jobs`.

Why a loop of our own rather than cron or a scheduler service: it runs in the app's image
as its non-root user, with the app's environment and JSON logs, and needs no root daemon,
no extra binary and no access to a container engine. Every job is safe to run again
(each records what it has done), so the simplest schedule — every so often, counted from
start-up — is also a dependable one: a restart or a missed run costs nothing but a delay.
Each run is a fresh `manage.py` process, so a job that crashes, leaks or hangs on a dead
connection takes nothing else with it, and one that outlives its time limit is killed.
Run one scheduler per deployment."""

from __future__ import annotations

import datetime
import logging
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("meridian.jobs")

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


@dataclass(frozen=True)
class Job:
    name: str  # a management command
    every: datetime.timedelta
    time_limit: datetime.timedelta


JOBS = [
    # Reminders before credentials expire and before profile details or "accepting new
    # patients" go stale; each is sent once, so an hourly run sends it within the hour.
    Job("send_expiry_reminders", datetime.timedelta(hours=1), datetime.timedelta(minutes=30)),
    # Clinics the online geocoder failed to place; stops at once while it still fails.
    Job("geocode_clinics", datetime.timedelta(minutes=15), datetime.timedelta(minutes=10)),
    # FHIR bulk exports asked for at /fhir/$export, and the deletion of expired ones.
    Job("fhir_export", datetime.timedelta(minutes=1), datetime.timedelta(minutes=30)),
    # Versions of the FHIR resources (vread, _history) and tombstones for those that left.
    Job("fhir_versions", datetime.timedelta(minutes=15), datetime.timedelta(hours=1)),
    # Public-record files dropped in IMPORT_DROP_DIR, each imported once (an NPPES month
    # can take a while); says it is off when the folder is not set.
    Job("import_drop_folder", datetime.timedelta(minutes=15), datetime.timedelta(hours=3)),
    # Expired sessions (Django's own command); otherwise they pile up in the database.
    Job("clearsessions", datetime.timedelta(days=1), datetime.timedelta(minutes=30)),
]


def run_job(job: Job, stop: threading.Event) -> int:
    """Run one job in its own process. What it prints (its summary line, its own log lines,
    a traceback) is logged in one JSON line when it ends, so the log stays JSON lines.
    Returns its exit code (negative when stopped or killed)."""
    logger.info("Job %s started", job.name, extra={"job": job.name})
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(
            [sys.executable, str(MANAGE), job.name],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        while process.poll() is None:
            late = time.monotonic() - started > job.time_limit.total_seconds()
            if stop.is_set() or late:
                stop_process(process)
                if late:
                    logger.error("Job %s ran out of time", job.name, extra={"job": job.name})
                break
            stop.wait(0.2)
        output.seek(0)
        printed = output.read().strip()[-4000:]
    code = process.returncode
    details = {
        "job": job.name,
        "exit_code": code,
        "duration_s": round(time.monotonic() - started, 2),
        "output": printed,
    }
    if code == 0:
        logger.info("Job %s finished", job.name, extra=details)
    else:
        logger.error("Job %s failed", job.name, extra=details)
    return code


def stop_process(process: subprocess.Popen, *, grace: float = 10) -> None:
    """Ask `process` to stop (SIGTERM), and kill it if it has not within `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(jobs: list[Job], *, stop: threading.Event, once: bool = False) -> int:
    """Run every job at start-up, then each again `every` after its last run ended, until
    `stop` is set (or after one round when `once`). Returns how many runs failed."""
    due = {job.name: time.monotonic() for job in jobs}
    failures = 0
    while not stop.is_set():
        for job in jobs:
            if stop.is_set():
                break
            if time.monotonic() >= due[job.name]:
                failures += run_job(job, stop) != 0
                due[job.name] = time.monotonic() + job.every.total_seconds()
        if once:
            break
        stop.wait(max(0.0, min(due.values()) - time.monotonic()))
    return failures
