from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from ops import backups


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `manage.py backup`: the database (in one "
        "transaction, checked row for row against the backup's counts), the private "
        "documents and the photos. Refuses a database, documents directory or photo "
        "directory that is not empty unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what is there: drop everything in the database's public schema "
            "and delete the private documents and photos first.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, archive: Path, force: bool, database: str, **options) -> None:
        if database not in settings.DATABASES:
            raise CommandError(f"No database {database!r} in DATABASES.")
        try:
            report = backups.restore(
                path=archive, using=database, force=force, say=self.stdout.write
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for what in report.replaced:
            self.stdout.write(f"Replaced {what}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.tables} tables ({report.rows:,} rows, the same counts as "
                f"the backup), "
                + " and ".join(f"{count} {folder.what}" for folder, count in report.files.items())
                + "."
            )
        )
        executor = MigrationExecutor(connections[database])
        if unapplied := executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {len(unapplied)} migration(s) the backup predates: "
                    "run `python manage.py migrate` next."
                )
            )
