from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import urlopen

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from directory.models import Location, Place, Practitioner
from tools import bench
from tools.load_probe import burst, popular, throughput

SEARCH_PAGES = ["search page", "search page, filtered", "search page 2", "search results (htmx)"]
P95_GOAL_MS = 150
THROUGHPUT_RATIO_GOAL = 0.5  # search page / landing page, same server, same run
BURST_P95_GOAL_MS = 2000
LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"


class Command(BaseCommand):
    help = (
        "Load test on loopback: gunicorn serving the demo directory plus N synthetic "
        "practitioners (default 100,000) in a database of its own (<name>_load), driven by "
        "locust with a patient-like mix (place autocomplete, searches with and without "
        "filters, profiles, API search). Reports throughput, p50/p95/p99 and errors, and "
        "whether the goals were met: no errors and p95 under 150 ms for search pages; search-page "
        "throughput at least 0.5 of the landing page's (popular places spread as people's "
        "searches are); a burst of concurrent uncached searches answered only 200 or 503, "
        "p95 under 2 s."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Concurrent patients.")
        parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
        parser.add_argument("--synthetic", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument(
            "--threads", type=int, help="Threads per worker (default: config/gunicorn.py's)."
        )
        parser.add_argument("--throughput-clients", type=int, default=16)
        parser.add_argument("--throughput-seconds", type=float, default=15, help="Per page kind.")
        parser.add_argument("--burst", type=int, default=150, help="Concurrent uncached searches.")
        parser.add_argument(
            "--cache-url", default=os.environ.get("CACHE_URL", ""),
            help="The server's CACHE_URL (default: as set, else each process's memory).",
        )  # fmt: skip
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
        self.cache_url = options["cache_url"]
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
            stats, probes = self._run(env, Path(work), users, duration, options)
        met = self._report(stats, users, duration, synthetic)
        met = self._report_probes(probes, options) and met
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
            "CACHE_URL": self.cache_url,
        }

    def _run(
        self, env: dict, work: Path, users: int, duration: int, options
    ) -> tuple[list[dict], dict]:
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
                **({"WEB_THREADS": str(options["threads"])} if options["threads"] else {}),
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
            probes = self._probe(
                port, json.loads(Path(env["LOAD_TEST_SAMPLES"]).read_text()), options
            )
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
            return list(csv.DictReader(stats)), probes

    def _probe(self, port: int, samples: dict, options) -> dict:
        """After the patients: the landing page's and the search page's throughput one after
        the other, then the burst."""
        rng = random.Random(21)
        clients, seconds = options["throughput_clients"], options["throughput_seconds"]
        places = popular(samples["zip_codes"], rng, 5000)
        searches = [f"/search/?{urlencode({'near': place})}" for place in places]
        # Each distinct search once first, as the landing page was warmed: the figure is of a
        # site in steady state, where popular searches were asked for before.
        throughput(port, sorted(set(searches)), clients=clients, seconds=0, once=True)
        self.stdout.write(f"Throughput: {clients} clients, {seconds:g} s per page kind")
        landing = throughput(port, ["/"], clients=clients, seconds=seconds)
        search = throughput(port, searches, clients=clients, seconds=seconds)
        self.stdout.write(f"Burst: {options['burst']} concurrent uncached searches")
        return {
            "landing": landing,
            "search": search,
            "burst": burst(port, requests=options["burst"], rng=rng),
        }

    def _report_probes(self, probes: dict, options) -> bool:
        ratio = probes["search"] / probes["landing"] if probes["landing"] else 0.0
        ratio_met = ratio >= THROUGHPUT_RATIO_GOAL
        self.stdout.write(
            f"Throughput ({options['throughput_clients']} clients): landing page "
            f"{probes['landing']:.0f} req/s, search page (popular places) "
            f"{probes['search']:.0f} req/s"
        )
        self.stdout.write(
            f"Goal (search / landing throughput >= {THROUGHPUT_RATIO_GOAL}): "
            f"{'met' if ratio_met else 'MISSED'} — ratio {ratio:.2f}"
        )
        result = probes["burst"]
        other = sum(n for status, n in result.statuses.items() if status not in {200, 503})
        burst_met = other == 0 and result.p95_ms < BURST_P95_GOAL_MS
        self.stdout.write(
            f"Goal ({options['burst']} concurrent uncached searches: only 200 or 503, p95 < "
            f"{BURST_P95_GOAL_MS} ms): {'met' if burst_met else 'MISSED'} — "
            f"{result.statuses[200]} × 200, {result.statuses[503]} × 503, {other} other, "
            f"p95 {result.p95_ms:.0f} ms"
        )
        return ratio_met and burst_met

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
        # Issue 21's goal, the filtered page alone (the line above holds it and more).
        filtered = next((row for row in stats if row["Name"] == "search page, filtered"), None)
        if filtered is None:
            outcome = "not measured (no filtered search in this run)"
        else:
            p95 = float(filtered["95%"])
            outcome = f"{'met' if p95 < P95_GOAL_MS else 'MISSED'} — p95 {p95:.0f} ms"
        self.stdout.write(
            f"Goal (filtered search page p95 < {P95_GOAL_MS} ms at {users} patients): {outcome}"
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
    started, caches filled, statements prepared), as in production. Several at once, so
    every worker gets its share: a worker that meets the patients cold answers its first
    requests slowly enough to shed the next ones."""
    from concurrent.futures import ThreadPoolExecutor
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

    def fetch(path: str) -> None:
        with urlopen(url + path, timeout=30) as response:
            response.read()

    for _ in range(15):
        with ThreadPoolExecutor(max_workers=len(paths)) as pool:
            list(pool.map(fetch, paths))


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
