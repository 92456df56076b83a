from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from public_record.drop_folder import drop_folder_import


class Command(BaseCommand):
    help = (
        "Import the public-record files waiting in IMPORT_DROP_DIR (nppes/, leie/, "
        "roster/<layout>/), each once: a file whose SHA-256 was seen before is skipped; a "
        "refused file is recorded as failed and not tried again until it changes. Run by "
        "run_jobs. Fails (non-zero) when a file was refused in this run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder", type=Path, help="Another folder than IMPORT_DROP_DIR, e.g. to try one."
        )

    def handle(self, *args: Any, folder: Path | None, **options: Any) -> None:
        folder = folder or (Path(settings.IMPORT_DROP_DIR) if settings.IMPORT_DROP_DIR else None)
        if folder is None:
            self.stdout.write("The drop folder is off (IMPORT_DROP_DIR is not set).")
            return
        if not folder.is_dir():
            raise CommandError(f"The drop folder {folder} does not exist.")
        outcomes = drop_folder_import(folder=folder)
        for outcome in outcomes:
            self.stdout.write(outcome.line(folder))
        counts = {
            result: sum(outcome.result == result for outcome in outcomes)
            for result in ("imported", "skipped", "failed")
        }
        summary = f"Drop folder {folder}: " + ", ".join(f"{n} {r}" for r, n in counts.items()) + "."
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
