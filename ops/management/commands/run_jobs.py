from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from ops import jobs

logger = logging.getLogger("meridian.jobs")


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs: send_expiry_reminders hourly, geocode_clinics every 15 "
        "minutes, fhir_export every minute, fhir_versions and import_drop_folder every 15 "
        "minutes, clearsessions daily, each in its own process, logged as JSON, until stopped "
        "(SIGTERM or Ctrl-C). Every job is safe to repeat. Run one per deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run each job once, then exit (non-zero if one failed); e.g. from cron.",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=[job.name for job in jobs.JOBS],
            help="Run only this job (repeatable).",
        )

    def handle(self, *args, once: bool, only: list[str] | None, **options) -> None:
        chosen = [job for job in jobs.JOBS if not only or job.name in only]
        stop = threading.Event()

        def stop_on_signal(number: int, frame: object) -> None:
            logger.info("Stopping on %s", signal.Signals(number).name)
            stop.set()

        signal.signal(signal.SIGTERM, stop_on_signal)
        signal.signal(signal.SIGINT, stop_on_signal)
        schedule = ", ".join(f"{job.name} every {job.every}" for job in chosen)
        logger.info("Scheduler started: %s", schedule if not once else "each job once")
        failures = jobs.run(chosen, stop=stop, once=once)
        logger.info("Scheduler stopped", extra={"failed_runs": failures})
        if once and failures:
            raise CommandError(f"{failures} of {len(chosen)} job(s) failed; see the log.")
