from __future__ import annotations

from django.core.management.base import BaseCommand

from fhir_api.export import exports_run


class Command(BaseCommand):
    help = (
        "Write the queued FHIR bulk exports (/fhir/$export) as NDJSON files, and delete "
        "exports older than FHIR_EXPORT_KEEP_HOURS. Safe to repeat; run by run_jobs."
    )

    def handle(self, *args, **options) -> None:
        report = exports_run()
        self.stdout.write(
            f"Wrote {report.finished} export(s); {report.cancelled} cancelled, "
            f"{report.deleted} expired deleted."
        )
