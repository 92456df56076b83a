from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from public_record import rosters
from public_record.rosters.apply import roster_import


class Command(BaseCommand):
    help = (
        "Apply a licensing board's roster: LAYOUT names a file in public_record/rosters/"
        f"layouts/ ({', '.join(rosters.available())}). Matching licenses are verified, "
        "expired, revoked or noted as the board says; name differences go to staff. One "
        "transaction per file: a malformed file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layout")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--file-date",
            type=datetime.date.fromisoformat,
            help="The date the roster is as of (YYYY-MM-DD); default the file's modification day.",
        )

    def handle(
        self, *args: Any, layout: str, file: Path, file_date: datetime.date | None, **options: Any
    ) -> None:
        try:
            report = roster_import(layout_name=layout, path=file, file_date=file_date)
        except rosters.RosterFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
