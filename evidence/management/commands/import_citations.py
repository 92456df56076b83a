from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence import citations, services
from evidence.citations import CitationFileError, CitationFormat


class Command(BaseCommand):
    help = (
        "Import a RIS, PubMed MEDLINE (.nbib/.txt) or BibTeX file into the evidence library. "
        "Matches existing studies by DOI, then PMID, then title and year, and updates them "
        "instead of duplicating; a malformed file is refused and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The citation file.")
        parser.add_argument(
            "--format",
            choices=[f.value for f in CitationFormat],
            help="Only when recognising the format from the content is not enough.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; keep nothing."
        )

    def handle(self, *args, file: Path, format: str | None, dry_run: bool, **options):
        try:
            text = citations.decode(file.read_bytes())
            report = services.citations_import(
                text=text, format=CitationFormat(format) if format else None, dry_run=dry_run
            )
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        except CitationFileError as error:
            raise CommandError(f"{file}: nothing imported. {error}") from None
        for result in report.results:
            self.stdout.write(f"{result.action:<8} {result.record.label}: {result.reason}")
        summary = f"{'Dry run, nothing kept: ' if dry_run else ''}{report}"
        self.stdout.write(self.style.SUCCESS(summary))
