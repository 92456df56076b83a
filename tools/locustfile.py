"""The load test's traffic: patients browsing Meridian. Run by `manage.py load_test`, which
prepares the data, starts gunicorn and passes the sample inputs in LOAD_TEST_SAMPLES.

Each simulated patient pauses 1-3 s between actions, as a person reading results does;
the mix is weighted toward searching."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["LOAD_TEST_SAMPLES"]) as samples_file:
    SAMPLES = json.load(samples_file)
# Patients search where people live: a few places often, most rarely (weight 1/rank).
ZIP_WEIGHTS = [1 / rank for rank in range(1, len(SAMPLES["zip_codes"]) + 1)]


class Patient(HttpUser):
    wait_time = between(1, 3)

    def zip_code(self) -> str:
        return random.choices(SAMPLES["zip_codes"], weights=ZIP_WEIGHTS)[0]

    @task(3)
    def autocomplete(self) -> None:
        prefix = random.choice(SAMPLES["place_prefixes"])
        self.client.get("/api/v1/places/", params={"q": prefix}, name="place autocomplete")

    @task(4)
    def search(self) -> None:
        self.client.get("/search/", params={"near": self.zip_code()}, name="search page")

    @task(3)
    def search_with_filters(self) -> None:
        params = {
            "near": self.zip_code(),
            "condition": random.choice(SAMPLES["conditions"]),
            "radius": random.choice([10, 25, 50]),
        }
        if random.random() < 0.5:
            params["accepting_new_patients"] = "true"
        if random.random() < 0.3:
            params["language"] = random.choice(SAMPLES["languages"])
        self.client.get("/search/", params=params, name="search page, filtered")

    @task(1)
    def next_page(self) -> None:
        params = {"near": self.zip_code(), "radius": 50, "page": 2}
        self.client.get("/search/", params=params, name="search page 2")

    @task(1)
    def htmx_update(self) -> None:
        params = {"near": self.zip_code(), "condition": random.choice(SAMPLES["conditions"])}
        self.client.get(
            "/search/", params=params, headers={"HX-Request": "true"}, name="search results (htmx)"
        )

    @task(3)
    def profile(self) -> None:
        slug = random.choice(SAMPLES["practitioners"])
        self.client.get(f"/practitioners/{slug}/", name="profile")

    @task(2)
    def api_search(self) -> None:
        params = {"near": self.zip_code(), "radius": 25}
        if random.random() < 0.5:
            params["condition"] = random.choice(SAMPLES["conditions"])
        self.client.get("/api/v1/practitioners/", params=params, name="API search")

    @task(1)
    def landing(self) -> None:
        self.client.get("/", name="landing page")
