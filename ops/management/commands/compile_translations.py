"""Compile the message catalogues (locale/*/LC_MESSAGES/django.po) into the .mo files
Django reads, with polib, so no GNU gettext is needed on the machine or in the image.
Run by `./dev start`, `./dev test` and the image's build; a catalogue whose .mo is newer
than its .po is left alone. Fuzzy and untranslated entries are left out, as msgfmt does:
those strings show in English (the CI check refuses them first: tools check_translations)."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (without GNU gettext)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args, force: bool = False, **options) -> None:
        compiled = 0
        for directory in settings.LOCALE_PATHS:
            for source in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
                target = source.with_suffix(".mo")
                if (
                    not force
                    and target.exists()
                    and target.stat().st_mtime >= source.stat().st_mtime
                ):
                    continue
                polib.pofile(str(source)).save_as_mofile(str(target))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
