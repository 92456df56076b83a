"""Schemathesis against our own OpenAPI schema, over real HTTP to a live server: every
operation in the schema (public, and /api/v1/me/ with a practitioner's token), in all its
phases (the schema's examples, boundary coverage, random fuzzing, and stateful sequences
that follow created objects). Any 5xx, any response that does not match the schema, and any
status code the schema does not document fails the test.

Bounded: a fixed seed and FUZZ_MAX_EXAMPLES cases per operation and phase (25 here, about
a minute on two cores). `FUZZ_MAX_EXAMPLES=500 ./dev test tests/test_api_fuzz.py` digs deeper;
FUZZ_SEED changes the inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import (
    AccountFactory,
    CertificationFactory,
    listed_practitioner,
    owned_practitioner,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the live server must see the data
    pytest.mark.slow,
]

MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "25")
SEED = os.environ.get("FUZZ_SEED", "6")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

# Every check schemathesis has but one: positive_data_acceptance expects any input the
# schema allows to succeed, yet a well-formed `near` can name no place we know, and a
# well-formed license number can belong to nobody; both are documented 400s.
CHECKS = ["all"]
EXCLUDED_CHECKS = ["positive_data_acceptance"]


@pytest.fixture
def unlimited(settings):
    """The fuzzer sends thousands of requests from one address; production keeps its
    limits (the rate-limit tests cover them)."""
    settings.RATE_LIMITS = {name: "" for name in settings.RATE_LIMITS}


@pytest.fixture
def directory(private_media):
    """A listed practitioner to find, and a practitioner who owns a profile with a clinic,
    a license and a certification, whose token the fuzzer uses for /api/v1/me/."""
    listed_practitioner(slug="mei-chen", first_name="Mei", last_name="Chen")
    owner = AccountFactory(email="owner@example.com")
    practitioner = owned_practitioner(owner=owner, slug="lan-nguyen")
    CertificationFactory(practitioner=practitioner)
    return Token.objects.create(user=owner)


@pytest.fixture
def private_media(monkeypatch, tmp_path):
    from credentialing.models import License

    storage = License._meta.get_field("document").storage
    for attribute in ("base_location", "location"):
        monkeypatch.setattr(storage, attribute, str(tmp_path))


@pytest.mark.parametrize("limits", ["off", "on"])
def test_the_api_holds_to_its_schema_under_fuzzing(
    live_server, request, directory, tmp_path, caplog, limits
):
    """Once without rate limits (the fuzzer's thousands of requests reach every code path), and
    once, shorter, with the production limits on, so every 429 it meets must be documented."""
    if limits == "off":
        request.getfixturevalue("unlimited")
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{live_server.url}/api/schema/?format=json",
        "--checks",
        ",".join(CHECKS),
        "--exclude-checks",
        ",".join(EXCLUDED_CHECKS),
        "--header",
        f"Authorization: Token {directory.key}",
        "--max-examples",
        MAX_EXAMPLES if limits == "off" else "5",
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-30_000:]
    assert "No issues found" in report or "passed" in report, report[-5_000:]
    if limits == "on":
        # The pass really ran into the limits, so its 429s were checked against the schema.
        answers = [r.getMessage() for r in caplog.records if r.name == "meridian.request"]
        assert any(answer.endswith(" 429") for answer in answers), answers[-20:]
