from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from directory import demo
from directory.models import Practitioner
from evidence.services import evidence_additions_load, evidence_seed_load

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_ADMIN_PASSWORD = "meridian-demo"


class Command(BaseCommand):
    help = (
        "Load about 500 realistic demo practitioners with clinics, licenses and certifications. "
        "Idempotent: practitioners that already exist are left as they are. Also loads the "
        "evidence library's starter content and additions (always; what exists stays as it is)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500, help="How many practitioners.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the directory already holds any practitioner.",
        )

    def handle(self, *args, count: int, if_empty: bool, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        self.stdout.write(f"Evidence library starter content: {evidence_seed_load()}")
        self.stdout.write(f"Evidence library additions: {evidence_additions_load()}")
        if if_empty and Practitioner.objects.exists():
            self.stdout.write("The directory is not empty; demo data not loaded.")
            return
        done = 0

        def progress() -> None:
            nonlocal done
            done += 1
            if done % 100 == 0 or done == count:
                self.stdout.write(f"  {done}/{count} practitioners")

        report = demo.load(count=count, today=timezone.localdate(), progress=progress)
        users = get_user_model().objects
        if settings.DEBUG and not users.filter(email=DEMO_ADMIN_EMAIL).exists():
            users.create_superuser(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            self.stdout.write(
                f"Created the demo staff account {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD} "
                "(DEBUG only)."
            )
        outcomes = ", ".join(f"{name} {n}" for name, n in sorted(report.by_outcome.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {report.created} practitioners created, "
                f"{report.unchanged} already present."
                + (f" Main license outcomes: {outcomes}." if outcomes else "")
            )
        )
