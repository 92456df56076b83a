"""The load test's closed-loop probes: throughput of one kind of page against another in the
same run, and a burst of concurrent uncached searches. Plain threads and http.client, so the
figures are of the server, not of locust's scheduling."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode


def popular(places: list[str], rng: random.Random, count: int) -> list[str]:
    """Searches spread as people's are: a few places are asked for often, most rarely (a
    Zipf spread, weight 1/rank)."""
    weights = [1 / rank for rank in range(1, len(places) + 1)]
    return rng.choices(places, weights=weights, k=count)


def throughput(
    port: int, paths: list[str], *, clients: int, seconds: float, once: bool = False
) -> float:
    """Successful answers a second while `clients` threads ask for `paths` in turn, each
    on its own keep-alive connection, for `seconds` (or, with `once`, until each path was
    asked for once)."""
    done: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        number = offset
        ok = 0
        while (number < len(paths)) if once else (time.monotonic() < stop):
            # As browsers ask: compressed answers welcome.
            connection.request(
                "GET", paths[number % len(paths)], headers={"Accept-Encoding": "gzip"}
            )
            response = connection.getresponse()
            response.read()
            ok += response.status == 200
            number += clients
        connection.close()
        with lock:
            done["ok"] += ok

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done["ok"] / (time.monotonic() - started)


@dataclass
class Burst:
    statuses: Counter
    p95_ms: float


def burst(port: int, *, requests: int, rng: random.Random) -> Burst:
    """`requests` searches, each at a point of its own (so none is cached), sent at once."""
    points = [f"{rng.uniform(30, 47):.5f},{rng.uniform(-122, -72):.5f}" for _ in range(requests)]
    gate = threading.Barrier(requests)
    statuses: Counter = Counter()
    durations: list[float] = []
    lock = threading.Lock()

    def search(point: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        gate.wait()
        started = time.monotonic()
        try:
            connection.request("GET", "/search/?" + urlencode({"near": point, "radius": 25}))
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0  # refused or reset: counted as neither 200 nor 503
        finally:
            connection.close()
        with lock:
            statuses[status] += 1
            durations.append((time.monotonic() - started) * 1000)

    threads = [threading.Thread(target=search, args=(point,)) for point in points]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    durations.sort()
    return Burst(statuses, durations[max(0, round(len(durations) * 0.95) - 1)])
