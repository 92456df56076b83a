"""Structured logs: one JSON object per line, each carrying the id of the request it
belongs to. Patients' searches are personal data (where they live, what ails them), so
request logs name the path only, never the query string or the client's address."""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import traceback
import uuid

# The id of the request being handled in this thread (or task); "" outside requests.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# An incoming X-Request-ID is kept only when it looks like an id a proxy would make
# (UUIDs, hex, base64, AWS-style "Root=1-..."): nothing that could break a log line.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")

# Attributes every LogRecord has; anything else on a record came in through `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def new_request_id(incoming: str | None) -> str:
    """The incoming id when it is sane, otherwise a fresh random one."""
    if incoming and SANE_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def forget_request_id(**kwargs: object) -> None:
    """Once a response is closed, later lines belong to no request."""
    request_id.set("")


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message, request_id, the
    simple values passed as `extra`, and the traceback (as one string) when there is one.
    Values that are not plain strings, numbers or booleans in `extra` are left out: Django
    passes the whole request object there, whose text holds the query string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if current := request_id.get():
            entry["request_id"] = current
        for key, value in vars(record).items():
            simple = value is None or isinstance(value, str | int | float | bool)
            if simple and key not in STANDARD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(entry, ensure_ascii=False, default=str)
