from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from credentialing.models import License
from directory.models import Location, Practitioner
from public_record import exclusions
from public_record.exclusion_screening import exclusions_screen
from tools import bench, exclusions_bench

FILES = settings.BASE_DIR / ".data" / "bench"
WHO = ("GARCIA", "JOSE", "TX")  # the practitioner screened, as the LEIE writes them
OTHERS = 1000  # practitioners with one clinic and one license each, around the one screened


class Command(BaseCommand):
    help = (
        "Benchmark screen_exclusions: one practitioner with N clinics (default 2,000) and M "
        "licenses (default 20) among 1,000 ordinary ones, screened against a synthetic LEIE "
        "in the real format of R rows (default 80,000, the whole list's size). Time and peak "
        "RSS are printed as ratios to a floor measured in the same run: reading the same file "
        "without screening. Each run is a process of its own, in a database of its own "
        "(<name>_screening_bench, dropped afterwards); the screening is rolled back each time. "
        "Not a test: run it on a quiet machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=80_000, help="LEIE rows.")
        parser.add_argument("--clinics", type=int, default=2000)
        parser.add_argument("--licenses", type=int, default=20)
        parser.add_argument("--repeat", type=int, default=3, help="Runs of each (best counts).")
        parser.add_argument(
            "--database", help="Benchmark database (default <name>_screening_bench)"
        )
        parser.add_argument("--files", type=Path, default=FILES, help="Where the file goes.")
        parser.add_argument("--child", choices=["floor", "screen"], help=argparse.SUPPRESS)

    def handle(
        self, *args: Any, rows: int, clinics: int, licenses: int, repeat: int, **options: Any
    ) -> None:
        if rows < 100 or clinics < 1 or not 1 <= licenses <= 50 or repeat < 1:
            raise CommandError("Use at least 100 rows, 1 clinic, 1 to 50 licenses, 1 repeat.")
        name = options["database"] or f"{connection.settings_dict['NAME']}_screening_bench"
        files: Path = options["files"]
        files.mkdir(parents=True, exist_ok=True)
        path = files / f"UPDATED_{rows}.csv"
        if options["child"]:
            self._child(options["child"], path, name)
            return
        exclusions_bench.write(path, rows=rows, match=WHO)
        size = path.stat().st_size
        self.stdout.write(
            f"LEIE file of {rows:,} rows, {size / 1e6:.1f} MB; one practitioner with "
            f"{clinics:,} clinics and {licenses} licenses among {OTHERS:,} others"
        )
        with bench.separate_database(name, rebuild=True, drop=False):
            _directory(clinics=clinics, licenses=licenses)
        floors, screens = [], []
        try:
            # In turns, best of `repeat`: other work on the machine only slows a run down.
            for _ in range(repeat):
                floors.append(self._run("floor", rows, name, files))
                screens.append(self._run("screen", rows, name, files))
        finally:
            with bench.separate_database(name, rebuild=False, drop=True):
                pass
        floor_s = min(run["seconds"] for run in floors)
        screen_s = min(run["seconds"] for run in screens)
        floor_kb = min(run["rss_kb"] for run in floors)
        screen_kb = min(run["rss_kb"] for run in screens)
        floor_growth = min(run["growth_kb"] for run in floors)
        screen_growth = min(run["growth_kb"] for run in screens)
        self.stdout.write(
            f"read the file (floor)   {floor_s:7.2f} s   peak RSS {floor_kb / 1024:6.0f} MB "
            f"({floor_growth / 1024:+.0f} MB over the loaded process)\n"
            f"screen_exclusions       {screen_s:7.2f} s   peak RSS {screen_kb / 1024:6.0f} MB "
            f"({screen_growth / 1024:+.0f} MB over the loaded process)\n"
            f"ratios to the floor: time {screen_s / floor_s:.2f}×, "
            f"peak memory {screen_kb / floor_kb:.2f}×\n"
            f"  best of {repeat}; all runs: floor {_seconds(floors)}, screen {_seconds(screens)}\n"
            f"  {screens[0]['summary']}"
        )

    def _run(self, child: str, rows: int, name: str, files: Path) -> dict[str, Any]:
        done = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "bench_screening",
                "--child",
                child,
                "--rows",
                str(rows),
                "--database",
                name,
                "--files",
                str(files),
            ],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def _child(self, child: str, path: Path, name: str) -> None:
        """One measured run in this process: its peak RSS is the run's (Django loaded)."""
        settings.DEBUG = False  # query logging would distort the figures
        connection.close()
        connection.settings_dict["NAME"] = name
        summary = ""
        loaded_kb = _reset_peak()  # Django loaded; start-up's own peak forgotten
        started = time.perf_counter()
        if child == "floor":
            # What the screening itself does first: every row of the file, read and parsed.
            entries = list(exclusions.entries(path))
            summary = f"{len(entries):,} entries read"
        else:
            with transaction.atomic():
                summary = exclusions_screen(path=path).summary()
                transaction.set_rollback(True)  # every run screens the same directory
        seconds = time.perf_counter() - started
        rss_kb = _peak()
        self.stdout.write(
            json.dumps(
                {
                    "seconds": seconds,
                    "rss_kb": rss_kb,
                    "growth_kb": rss_kb - loaded_kb,
                    "summary": summary,
                }
            )
        )


def _directory(*, clinics: int, licenses: int) -> None:
    """The practitioner screened, with clinics and licenses across the states, and the
    ordinary practitioners around them."""
    states = [*exclusions_bench.STATES, "NV", "UT", "CO", "NM", "MN", "WI", "IA", "MO", "KY"]
    last, first, state = WHO
    people = [Practitioner(first_name=first.title(), last_name=last.title(), slug="bench-who")]
    people += [
        Practitioner(first_name="Ordinary", last_name=f"Person{n}", slug=f"bench-{n}")
        for n in range(OTHERS)
    ]
    people = Practitioner.objects.bulk_create(people)
    who = people[0]
    places = [
        Location(practitioner=who, city=f"Town {n}", region=states[n % len(states)], country="US")
        for n in range(clinics)
    ]
    places[0].region = state
    places += [
        Location(practitioner=p, city="Town", region=states[n % len(states)], country="US")
        for n, p in enumerate(people[1:])
    ]
    Location.objects.bulk_create(places, batch_size=1000)
    held = [
        License(
            practitioner=who,
            country="US",
            region=states[n % len(states)],
            number=f"W{n}",
            license_type="L.Ac.",
        )
        for n in range(licenses)
    ]
    held += [
        License(practitioner=p, country="US", region="CA", number=f"O{n}", license_type="L.Ac.")
        for n, p in enumerate(people[1:])
    ]
    License.objects.bulk_create(held, batch_size=1000)


def _reset_peak() -> int:
    """The process's RSS now, in KB, having reset its peak to it (Linux: clear_refs)."""
    status = Path("/proc/self/clear_refs")
    if status.exists():
        status.write_text("5")
        return _status("VmRSS")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak() -> int:
    """The process's peak RSS in KB since _reset_peak."""
    if Path("/proc/self/status").exists():
        return _status("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _status(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise LookupError(name)


def _seconds(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{run['seconds']:.2f}" for run in runs) + " s"
