from __future__ import annotations

from django.core.management.base import BaseCommand

from fhir_api.history import versions_record


class Command(BaseCommand):
    help = (
        "Record a version of every published FHIR resource whose content changed, and a "
        "tombstone for every one that left the listing (vread, _history, the deleted list "
        "of _since exports). Safe to repeat; run by run_jobs."
    )

    def handle(self, *args, **options) -> None:
        report = versions_record()
        self.stdout.write(
            f"Recorded {report.new} new and {report.changed} changed resource(s), "
            f"{report.left} that left the listing; {report.unchanged} unchanged."
        )
