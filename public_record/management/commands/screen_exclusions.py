from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from public_record.exclusion_screening import exclusions_screen
from public_record.exclusions import ExclusionFileError


class Command(BaseCommand):
    help = (
        "Screen every practitioner against the US OIG exclusion list (LEIE): UPDATED.csv "
        "(the whole list) or a monthly supplement (<yy><mm>excl.csv, <yy><mm>rein.csv). An "
        "exact NPI match takes the practitioner out of search today; a name-and-state match "
        "is a possible match for staff; reinstatements lift exclusions. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--file-date",
            type=datetime.date.fromisoformat,
            help="The date the list is as of (YYYY-MM-DD); default from a supplement's name, "
            "else today.",
        )

    def handle(
        self, *args: Any, file: Path, file_date: datetime.date | None, **options: Any
    ) -> None:
        try:
            report = exclusions_screen(path=file, file_date=file_date)
        except ExclusionFileError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        for problem in report.problems:
            self.stdout.write(f"  skipped {problem}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
