from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from directory.models import Location, Place, Practitioner
from tools import bench

SEARCH_PAGES = ["search page", "search page, filtered", "search page 2", "search results (htmx)"]
P95_GOAL_MS = 150
LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"


class Command(BaseCommand):
    help = (
        "Load test on loopback: gunicorn serving the demo directory plus N synthetic "
        "practitioners (default 100,000) in a database of its own (<name>_load), driven by "
        "locust with a patient-like mix (place autocomplete, searches with and without "
        "filters, profiles, API search). Reports throughput, p50/p95/p99 and errors, and "
        "whether the goal was met: no errors and p95 under 150 ms for search pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Concurrent patients.")
        parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
        parser.add_argument("--synthetic", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")
        parser.add_argument("--database", help="Database name (default <name>_load).")
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--drop", action="store_true")
        parser.add_argument("--check", action="store_true", help="Exit 1 if the goal is missed.")

    def handle(self, *args, users: int, duration: int, synthetic: int, **options):
        if not 1 <= users <= 1000 or not 1 <= duration <= 3600 or synthetic < 0:
            raise CommandError("Use 1-1000 users, 1-3600 seconds and a non-negative --synthetic.")
        if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
            raise CommandError("locust is not installed: pip install -e '.[test]'")
        name = options["database"] or f"{connection.settings_dict['NAME']}_load"
        with (
            bench.separate_database(name, rebuild=options["rebuild"], drop=options["drop"]),
            tempfile.TemporaryDirectory() as work,
        ):
            self._prepare(synthetic)
            samples = Path(work) / "samples.json"
            samples.write_text(json.dumps(_samples()))
            env = self._server_environment(name, samples)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            stats = self._run(env, Path(work), users, duration, options)
        met = self._report(stats, users, duration, synthetic)
        if options["check"] and not met:
            raise CommandError("The load test missed its goal.")

    def _prepare(self, synthetic: int) -> None:
        existing = Practitioner.objects.filter(slug__startswith="bench-").count()
        if existing and existing != synthetic:
            raise CommandError(
                f"The load-test database holds {existing:,} synthetic practitioners; "
                "use --rebuild to make a new set."
            )
        if not existing and synthetic:
            self.stdout.write(f"Generating {synthetic:,} synthetic practitioners…")
            bench.generate(locations=round(synthetic * 1.15), seed=11)
        call_command("load_demo", verbosity=0)
        self.stdout.write(
            f"Directory: {Practitioner.objects.count():,} practitioners, "
            f"{Location.objects.count():,} locations."
        )

    def _server_environment(self, name: str, samples: Path) -> dict[str, str]:
        db = connection.settings_dict
        host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}:{db['PORT']}/{name}",
            "DEBUG": "false",
            "SECRET_KEY": "load-test-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            # The point is to measure the app, not the anonymous rate limits.
            "API_ANON_RATE": "1000000/minute",
            "API_PLACES_RATE": "1000000/minute",
            "LOG_LEVEL": "WARNING",
            "LOAD_TEST_SAMPLES": str(samples),
        }

    def _run(self, env: dict, work: Path, users: int, duration: int, options) -> list[dict]:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen(
            # The production configuration (config/gunicorn.py), on loopback.
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config=config/gunicorn.py",
                "--log-level=warning",
                "config.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env={
                **env,
                "BIND_HOST": "127.0.0.1",
                "PORT": str(port),
                "WEB_CONCURRENCY": str(options["workers"]),
                "WEB_THREADS": str(options["threads"]),
            },
        )
        try:
            _wait_until_up(url, process=gunicorn)
            _warm_up(url, json.loads(Path(env["LOAD_TEST_SAMPLES"]).read_text()))
            self.stdout.write(f"Load: {users} patients for {duration} s against {url}")
            log = work / "locust.log"
            with open(log, "w") as output:
                locust = subprocess.run(
                    [
                        str(Path(sys.executable).parent / "locust"),
                        f"--locustfile={LOCUSTFILE}",
                        "--headless",
                        f"--users={users}",
                        f"--spawn-rate={max(1, users // 5)}",
                        f"--run-time={duration}s",
                        f"--host={url}",
                        f"--csv={work / 'load'}",
                        "--only-summary",
                        "--loglevel=WARNING",
                        "--stop-timeout=10",
                        "--exit-code-on-error=0",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                    timeout=duration + 120,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            if locust.returncode != 0:
                raise CommandError(f"locust failed:\n{log.read_text()[-3000:]}")
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        with open(work / "load_failures.csv", newline="") as failures:
            for failure in csv.DictReader(failures):
                self.stdout.write(
                    f"Failure × {failure['Occurrences']}: {failure['Method']} "
                    f"{failure['Name']}: {failure['Error']}"
                )
        with open(work / "load_stats.csv", newline="") as stats:
            return list(csv.DictReader(stats))

    def _report(self, stats: list[dict], users: int, duration: int, synthetic: int) -> bool:
        self.stdout.write(
            f"\n{users} concurrent patients, {duration} s, demo directory + {synthetic:,} "
            "synthetic practitioners (milliseconds)"
        )
        header = f"{'request':<28} {'count':>7} {'errors':>6} {'req/s':>7} "
        self.stdout.write(header + f"{'p50':>6} {'p95':>6} {'p99':>6}")
        for row in stats:
            name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
            self.stdout.write(
                f"{name:<28} {int(row['Request Count']):>7} {int(row['Failure Count']):>6} "
                f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} "
                f"{row['99%']:>6}"
            )
        total = next(row for row in stats if row["Name"] == "Aggregated")
        errors = int(total["Failure Count"])
        worst = max(float(row["95%"]) for row in stats if row["Name"] in SEARCH_PAGES)
        met = errors == 0 and worst < P95_GOAL_MS and int(total["Request Count"]) > 0
        self.stdout.write(
            f"Goal (no errors, search pages p95 < {P95_GOAL_MS} ms): "
            f"{'met' if met else 'MISSED'} — {errors} errors, worst search-page p95 {worst:.0f} ms"
        )
        return met


def _samples() -> dict[str, list[str]]:
    """Inputs a patient would type: ZIP codes where practitioners are, town prefixes,
    listed practitioners, conditions and languages."""
    zip_codes = list(
        Place.objects.filter(kind="postal", region__in=bench.CONTIGUOUS)
        .order_by("?")
        .values_list("postal_code", flat=True)[:300]
    )
    towns = Place.objects.filter(kind="city", country="US").order_by("-population")
    prefixes = sorted(
        {
            name[: 3 + index % 4]
            for index, name in enumerate(towns.values_list("name", flat=True)[:200])
        }
    )
    practitioners = list(
        Practitioner.objects.listable().order_by("?").values_list("slug", flat=True)[:500]
    )
    return {
        "zip_codes": zip_codes,
        "place_prefixes": prefixes,
        "practitioners": practitioners,
        "conditions": ["migraine", "tension-type-headache", "chronic-low-back-pain", "insomnia"],
        "languages": ["es", "zh", "yue", "ko"],
    }


def _warm_up(url: str, samples: dict[str, list[str]]) -> None:
    """A few requests of each kind first, so the figures are of a warm server (workers
    started, caches filled, statements prepared), as in production."""
    from urllib.parse import urlencode

    zip_code = samples["zip_codes"][0]
    paths = [
        "/",
        f"/search/?{urlencode({'near': zip_code})}",
        f"/search/?{urlencode({'near': zip_code, 'condition': 'migraine'})}",
        f"/api/v1/practitioners/?{urlencode({'near': zip_code})}",
        f"/api/v1/places/?q={samples['place_prefixes'][0]}",
        f"/practitioners/{samples['practitioners'][0]}/",
    ]
    for _ in range(15):
        for path in paths:
            with urlopen(url + path, timeout=30) as response:
                response.read()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, *, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn exited before it served a request")
        try:
            with urlopen(f"{url}/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer at {url} within {timeout:.0f} s")
