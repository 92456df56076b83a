"""Request ids and JSON logs: one object per line, the request id on every line logged
while a request is handled, and nothing that identifies a patient (query strings hold
their searches; no client addresses)."""

from __future__ import annotations

import io
import json
import logging
import re
import sys

import pytest

from ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the console handler would print, captured: every line, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("meridian"), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)

    def lines() -> list[dict]:
        text = stream.getvalue()
        assert text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]

    lines.text = stream.getvalue
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_sane_incoming_request_id_is_kept_and_logged(client, json_log):
    response = client.get(
        "/search/",
        {"near": "Brooklyn, NY", "condition": "migraine"},
        HTTP_X_REQUEST_ID="lb-7f3a9c-0001",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a9c-0001"
    [line] = [line for line in json_log() if line["logger"] == "meridian.request"]
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert line["request_id"] == "lb-7f3a9c-0001"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/search/", 200)
    assert line["message"] == "GET /search/ 200"
    text = json_log.text()
    for personal in ("Brooklyn", "migraine", "near=", "203.0.113.7"):
        assert personal not in text


@pytest.mark.parametrize(
    "incoming", ["", "has spaces in it", "new\nline", "x" * 129, '{"json": 1}', "ü-umlaut"]
)
def test_an_unusable_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/", HTTP_X_REQUEST_ID=incoming)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_every_line_logged_during_a_request_carries_its_id(client, json_log):
    response = client.get("/no-such-page/?email=patient@example.org")

    assert response.status_code == 404
    lines = json_log()
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("meridian.request", "GET /no-such-page/ 404"),
        ("django.request", "Not Found: /no-such-page/"),
    ]
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert "patient@example.org" not in json_log.text()

    logging.getLogger("meridian").warning("after the response")
    assert "request_id" not in json_log()[-1]


def test_successful_health_checks_are_not_logged(client, json_log):
    client.get("/healthz")
    client.get("/readyz")
    assert json_log.text() == ""


def test_a_traceback_stays_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("meridian", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("ValueError: boom")
    assert "request_id" not in entry
