from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from public_record import nppes
from public_record.nppes_import import nppes_import
from tools import bench, nppes_bench

FILES = settings.BASE_DIR / ".data" / "bench"


class Command(BaseCommand):
    help = (
        "Benchmark import_nppes on a synthetic NPPES file in the real format (329 columns, "
        "about 1.2 KB a row, 0.5 %% acupuncturists) of N rows (default 1,000,000), against "
        "two floors measured in the same run: `wc -l` on the file and a Polars lazy scan that "
        "filters it to the same rows and writes nothing. Imports into a fresh database of its "
        "own (<name>_nppes_bench). With --memory, also compares the peak RSS of imports of "
        "the given sizes, each in a process of its own. Not a test: run it on a quiet machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument(
            "--memory",
            default="",
            help="Comma-separated sizes whose peak RSS to compare, e.g. 200000,2000000.",
        )
        parser.add_argument("--repeat", type=int, default=3, help="Runs of each (best counts).")
        parser.add_argument("--rebuild", action="store_true", help="Regenerate the files.")
        parser.add_argument("--database", help="Benchmark database (default <name>_nppes_bench)")
        parser.add_argument("--files", type=Path, default=FILES, help="Where the files go.")
        parser.add_argument("--child-rss", action="store_true", help=argparse_suppress())

    def handle(
        self,
        *args: Any,
        rows: int,
        memory: str,
        repeat: int,
        rebuild: bool,
        child_rss: bool,
        **options: Any,
    ) -> None:
        if rows < 1000:
            raise CommandError("Use at least 1,000 rows.")
        if repeat < 1:
            raise CommandError("--repeat takes 1 or more.")
        self.files: Path = options["files"]
        self.database = options["database"] or f"{connection.settings_dict['NAME']}_nppes_bench"
        path = self._file(rows, rebuild)
        name = self.database
        if child_rss:
            # The parent made and migrated the database: this process's peak is the import's.
            with bench.separate_database(name, rebuild=False, drop=True):
                nppes_import(path=path)
            self.stdout.write(json.dumps({"rss_kb": resource.getrusage(resource.RUSAGE_SELF)[2]}))
            return
        size = path.stat().st_size
        self.stdout.write(f"{rows:,} rows, {size / 1e9:.2f} GB ({size / rows:.0f} bytes a row)")
        wc = _timed(
            lambda: subprocess.run(["wc", "-l", str(path)], check=True, capture_output=True)
        )
        header = nppes.check_header(path)
        scan = nppes.scan(path, header=header, codes=settings.NPPES_TAXONOMY_CODES, known_npis=[])
        kept: list[pl.DataFrame] = []
        floors, imports, reports = [], [], []
        # Best of `repeat` for both, taken in turns: what else runs on the machine slows a
        # run down, never speeds it up, so the fastest run is the closest to the true cost.
        # Each import goes into a fresh copy of a database migrated with the gazetteer.
        with bench.separate_database(name, rebuild=True, drop=True):
            for run in range(repeat):
                floors.append(_timed(lambda: kept.append(scan.collect(engine="streaming"))))
                copy = f"{name}_{run}"
                with bench.separate_database(copy, rebuild=True, drop=True, like=name):
                    imports.append(_timed(lambda: reports.append(nppes_import(path=path))))
        floor, whole = min(floors), min(imports)
        self.stdout.write(
            f"`wc -l`                 {wc:7.2f} s\n"
            f"Polars filter (floor)   {floor:7.2f} s   ({kept[0].height:,} rows kept)\n"
            f"import_nppes            {whole:7.2f} s   = {whole / floor:.2f}× the parse floor, "
            f"{whole / wc:.1f}× wc -l\n"
            f"  best of {repeat}; all runs: floor {_seconds(floors)}, import {_seconds(imports)}\n"
            f"  {reports[0].summary()}"
        )
        if memory:
            sizes = [int(part) for part in memory.split(",")]
            peaks = {size: self._child_rss(size, rebuild) for size in sizes}
            for size, peak in peaks.items():
                self.stdout.write(f"peak RSS importing {size:>9,} rows: {peak / 1024:7.0f} MB")
            smallest, largest = peaks[min(sizes)], peaks[max(sizes)]
            self.stdout.write(f"RSS ratio largest / smallest: {largest / smallest:.2f}")

    def _file(self, rows: int, rebuild: bool) -> Path:
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / f"npidata_pfile_20050523-20261109_{rows}.csv"
        if rebuild or not path.exists():
            self.stdout.write(f"Writing {path}…")
            started = time.perf_counter()
            nppes_bench.write(path, rows=rows)
            self.stdout.write(f"  done in {time.perf_counter() - started:.0f} s")
        return path

    def _child_rss(self, rows: int, rebuild: bool) -> int:
        """Peak RSS of an import of `rows` rows in a process of its own, into a database made
        beforehand (migrations and the gazetteer's load would dominate the peak otherwise)."""
        self._file(rows, rebuild)
        with bench.separate_database(self.database, rebuild=True, drop=False):
            pass
        done = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "bench_nppes",
                "--rows",
                str(rows),
                "--child-rss",
                "--database",
                self.database,
                "--files",
                str(self.files),
            ],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(json.loads(done.stdout.strip().splitlines()[-1])["rss_kb"])


def _seconds(samples: list[float]) -> str:
    return ", ".join(f"{sample:.2f}" for sample in samples) + " s"


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS
