"""CI's translation check (docs/languages.md): refresh the catalogues from the code
(makemessages), then fail on any entry untranslated, fuzzy or with a placeholder lost, and on
any string in a template that a visitor reads but that is not marked for translation."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

from tools.translations import catalogue_problems, template_files, unmarked

# What makemessages must not read: installed packages, tests and local data.
IGNORED = ["tests/*", "staticfiles/*", "node_modules/*", "build/*"]
APPS_WITH_TEMPLATES = ["accounts", "credentialing", "directory", "evidence", "fhir_api", "ops"]


def translated_locales() -> list[str]:
    """The catalogues to keep: every language but English and its regional variants."""
    return [to_locale(code) for code, _ in settings.LANGUAGES if not code.startswith("en")]


def template_roots() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [base / "templates"] + [base / app / "templates" for app in APPS_WITH_TEMPLATES]


class Command(BaseCommand):
    help = "Refresh the message catalogues and fail on anything untranslated or unmarked."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-refresh", action="store_true", help="Check the catalogues as they are."
        )

    def handle(self, *args, no_refresh: bool = False, **options) -> None:
        if not no_refresh:
            call_command(
                "makemessages",
                locale=translated_locales(),
                ignore_patterns=IGNORED,
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
        problems = []
        for locale in translated_locales():
            path = Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / "django.po"
            if not path.exists():
                problems.append(f"{path}: missing (run ./dev messages)")
                continue
            problems += catalogue_problems(path)
        base = Path(settings.BASE_DIR)
        for template in template_files([root for root in template_roots() if root.exists()]):
            for found in unmarked(template.read_text()):
                problems.append(
                    f"{template.relative_to(base)}:{found.line}: not marked: {found.text}"
                )
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s); see docs/languages.md")
        self.stdout.write("Every template string is marked and every catalogue complete.")
