"""The drop folder (IMPORT_DROP_DIR): public-record files put there are imported by the
scheduler (`manage.py import_drop_folder`, run by `run_jobs`), each once. A file is known by
the SHA-256 of its bytes, recorded on its ImportedFile: a file already imported, or already
refused, is skipped, whatever its name; a changed file is a new file. A refused file is
recorded as failed with the reason and nothing else changed, so it is not tried again
until it changes; so is a file whose import fails in any other way (a bug), which never
blocks the files after it. Only losing the database fails the run and records nothing, so
the file is tried again on the next run.

    IMPORT_DROP_DIR/nppes/            NPPES files (the monthly zip, its CSV, a weekly file)
    IMPORT_DROP_DIR/leie/             LEIE files (UPDATED.csv or monthly supplements)
    IMPORT_DROP_DIR/roster/<layout>/  board rosters, one folder per layout

Files in each folder are taken in name order (CMS and the OIG put dates in their names).
Names starting with a dot or ending in .part or .tmp are skipped as still being written."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from credentialing.source_models import ImportedFile, SourceKind
from public_record.exclusion_screening import exclusions_screen
from public_record.exclusions import ExclusionFileError
from public_record.nppes import NppesFileError
from public_record.nppes_import import nppes_import
from public_record.rosters import RosterFileError
from public_record.rosters.apply import roster_import

logger = logging.getLogger(__name__)
FILE_ERRORS = (NppesFileError, ExclusionFileError, RosterFileError)
UNFINISHED = (".part", ".tmp")


@dataclass(frozen=True)
class Dropped:
    path: Path
    source: SourceKind
    run: Callable[[Path], str]  # imports the file, returns its summary line


@dataclass(frozen=True)
class Outcome:
    path: Path
    result: str  # "imported", "skipped" or "failed"
    message: str

    def line(self, folder: Path) -> str:
        return f"{self.result} {self.path.relative_to(folder)}: {self.message}"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.suffix not in UNFINISHED:
                yield path


def dropped_files(folder: Path) -> Iterator[Dropped]:
    """What waits in the drop folder, each with the import it goes to."""
    for path in _files(folder / "nppes"):
        yield Dropped(path, SourceKind.NPPES, lambda p: nppes_import(path=p).summary())
    for path in _files(folder / "leie"):
        yield Dropped(path, SourceKind.EXCLUSIONS, lambda p: exclusions_screen(path=p).summary())
    roster_folder = folder / "roster"
    layouts = (
        sorted(p for p in roster_folder.iterdir() if p.is_dir()) if roster_folder.is_dir() else []
    )
    for layout in layouts:
        for path in _files(layout):
            yield Dropped(path, SourceKind.ROSTER, partial(_roster_run, layout.name))


def drop_folder_import(*, folder: Path) -> list[Outcome]:
    """Import every new file in `folder`, each in one transaction with its record."""
    outcomes = []
    for dropped in dropped_files(folder):
        checksum = sha256(dropped.path)
        known = ImportedFile.objects.filter(checksum=checksum).order_by("imported_at").first()
        if known is not None:
            seen = "refused" if known.failure else "imported"
            message = f"already {seen} on {timezone.localtime(known.imported_at):%Y-%m-%d %H:%M}"
            outcomes.append(Outcome(dropped.path, "skipped", message))
            continue
        try:
            with transaction.atomic():
                before = ImportedFile.objects.aggregate(last=Max("pk"))["last"] or 0
                summary = dropped.run(dropped.path)
                # The import recorded its file; the checksum marks it as read.
                ImportedFile.objects.filter(source=dropped.source, pk__gt=before).update(
                    checksum=checksum
                )
        except FILE_ERRORS as error:
            failure = str(error)
        except (OperationalError, InterfaceError):
            raise  # the database is gone: nothing can be recorded, so the next run tries again
        except Exception as error:
            # An import failing in a way no check of the file foresaw (a bug, a value the
            # database refuses) must not stop every file after it, run after run.
            logger.exception("Drop folder: importing %s failed", dropped.path)
            failure = f"{dropped.path.name}: the import failed ({type(error).__name__}: {error})."
        else:
            outcomes.append(Outcome(dropped.path, "imported", summary))
            continue
        ImportedFile.objects.create(
            source=dropped.source,
            name=dropped.path.name,
            file_date=timezone.localdate(),
            checksum=checksum,
            failure=failure,
        )
        unchanged = "" if failure.endswith("Nothing was changed.") else " Nothing was changed."
        outcomes.append(Outcome(dropped.path, "failed", failure + unchanged))
    return outcomes


def _roster_run(layout_name: str, path: Path) -> str:
    return roster_import(layout_name=layout_name, path=path).summary()
