from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q

from evidence import services
from evidence.models import Study


class Command(BaseCommand):
    help = (
        "Look DOIs up at Crossref and PMIDs at NCBI E-utilities (only those configured with "
        "CROSSREF_URL and NCBI_EUTILS_URL), mark identifiers checked or not, and fill in "
        "missing metadata. By default only studies whose identifiers are not yet checked."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Check every study, also those already checked."
        )
        parser.add_argument("--study", action="append", default=[], help="Only this slug.")

    def handle(self, *args, all: bool, study: list[str], **options):
        crossref, ncbi = settings.CROSSREF_URL, settings.NCBI_EUTILS_URL
        if not crossref and not ncbi:
            self.stdout.write(
                "Identifier checks are off: set CROSSREF_URL and/or NCBI_EUTILS_URL "
                "(see .env.example). Nothing was changed."
            )
            return
        studies = Study.objects.filter(~Q(doi="") | ~Q(pmid="")).order_by("slug")
        if study:
            studies = studies.filter(slug__in=study)
        elif not all:
            studies = studies.filter(identifier_checked=False)
        checks = services.identifiers_check(
            studies=studies,
            crossref_url=crossref,
            ncbi_url=ncbi,
            contact_email=settings.IDENTIFIER_CHECK_EMAIL,
        )
        for check in checks:
            self.stdout.write(str(check))
        counts = {
            outcome: sum(check.outcome == outcome for check in checks)
            for outcome in ["checked", "not confirmed", "unchanged"]
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(checks)} studies looked up: {counts['checked']} checked, "
                f"{counts['not confirmed']} not confirmed, {counts['unchanged']} unchanged."
            )
        )
