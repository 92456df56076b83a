from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.progress import ProgressBar
from public_record.nppes import NppesFileError
from public_record.nppes_import import nppes_import


class Command(BaseCommand):
    help = (
        "Import practitioners from an NPPES Data Dissemination file: the monthly .zip as "
        "published, the npidata_pfile_….csv inside it, or a weekly incremental file. Keeps "
        "individuals with an acupuncture taxonomy (NPPES_TAXONOMY_CODES) in any slot; their "
        "licenses enter as pending. Idempotent: a second run of the same file changes nothing. "
        "A file that is not NPPES data is refused before anything is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--file-date",
            type=datetime.date.fromisoformat,
            help="The date the file is as of (YYYY-MM-DD); default from CMS's file name "
            "(npidata_pfile_<start>-<end>), else today.",
        )

    def handle(
        self, *args: Any, file: Path, file_date: datetime.date | None, **options: Any
    ) -> None:
        bar = ProgressBar(self.stderr, label="practitioners")
        self.stdout.write(f"Scanning {file.name}…")
        try:
            report = nppes_import(path=file, file_date=file_date, progress=bar.update)
        except NppesFileError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        bar.finish()
        for problem in report.problems:
            self.stdout.write(f"  skipped {problem}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
