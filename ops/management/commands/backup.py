from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format: schema, data, extensions, functions, "
        "triggers), the private documents and the photos into one archive, readable by its "
        "owner only. Uses the pg_dump of the server's major version. Never overwrites a file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: BACKUP_DIR/meridian-<UTC time>.tar).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output: Path | None, database: str, **options) -> None:
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
            output = settings.BACKUP_DIR / f"meridian-{stamp}.tar"
        if database not in settings.DATABASES:
            raise CommandError(f"No database {database!r} in DATABASES.")
        try:
            report = backups.backup(path=output.resolve(), using=database, say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        folders = " and ".join(
            f"{count} {folder.what} ({report.file_bytes[folder] / 1e6:.1f} MB)"
            for folder, count in report.files.items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {report.path} ({report.size / 1e6:.1f} MB): "
                f"{report.tables} tables, {report.rows:,} rows, {folders}."
            )
        )
