from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import services
from directory.models import GeocodePrecision


class Command(BaseCommand):
    help = (
        "Ask the online geocoder again about clinics it failed to place when they were saved "
        "(a timeout, an error, a garbled answer); meanwhile they sit at their postal code or "
        "city centre. Stops at the first failure, asks about at most --limit clinics (one "
        "request per second under Nominatim's policy), and is safe to run often."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="Most clinics to ask about (default 100)."
        )

    def handle(self, *args, limit: int, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        report = services.locations_geocode_retry(limit=limit)
        waiting = f"{report.waiting} clinic{'s' if report.waiting != 1 else ''} waiting"
        if not settings.GEOCODER:
            self.stdout.write(f"Online geocoding is off (GEOCODER is not set); {waiting}.")
            return
        placed = sum(report.placed.values())
        detail = ", ".join(
            f"{count} at {GeocodePrecision(precision).label.lower()}"
            for precision, count in sorted(report.placed.items())
        )
        summary = (
            f"Placed {placed} clinic{'s' if placed != 1 else ''}"
            + (f" ({detail})" if detail else "")
            + f"; {report.unchanged} unchanged (the geocoder knows no better point)"
            + f"; {report.edited} edited meanwhile; {waiting}."
        )
        if report.still_failing:
            self.stdout.write(
                self.style.WARNING(f"The online geocoder is still failing; stopped. {summary}")
            )
        else:
            self.stdout.write(self.style.SUCCESS(summary))
