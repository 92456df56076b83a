"""Every abuse limit in one table. Settings build allauth's ACCOUNT_RATE_LIMITS and the
throttles' RATE_LIMITS from it; common.ratelimit reads them per request. Each limit can
be changed (or switched off with an empty value) through its environment variable.

One syntax for all of them, allauth's: `AMOUNT/DURATION[/ip|key|user]`, comma-separated
for several windows, where DURATION is s, m, h or d with an optional number ("5m", "1.5h").
`per` says what a limit counts by default; the throttles count per account (per IP address
when anonymous) and take no suffix. DRF's words (`120/minute`) are accepted too."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
WORDS = {"sec": "s", "second": "s", "min": "m", "minute": "m", "hour": "h", "day": "d"}
PART = re.compile(r"(\d+)/(\d+(?:\.\d+)?)?([smhd])(?:/(ip|key|user))?")


@dataclass(frozen=True)
class Limit:
    env: str
    default: str
    allauth: bool  # enforced by allauth (sign-up, log-in, password) or by our throttles
    what: str


LIMITS: dict[str, Limit] = {
    "signup": Limit("RATE_LIMIT_SIGNUP", "10/h/ip", True, "accounts created"),
    "login": Limit("RATE_LIMIT_LOGIN", "30/m/ip", True, "log-in attempts"),
    "login_failed": Limit(
        "RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key", True, "failed log-ins (IP, address)"
    ),
    "reset_password": Limit(
        "RATE_LIMIT_PASSWORD_RESET", "20/h/ip,5/h/key", True, "password-reset emails"
    ),
    "claim": Limit("RATE_LIMIT_CLAIM", "10/h", False, "profile claims sent"),
    "upload": Limit("RATE_LIMIT_UPLOAD", "30/h", False, "supporting documents sent"),
    "clinic": Limit("RATE_LIMIT_CLINIC", "30/h", False, "clinics added"),
    "api_anon": Limit("API_ANON_RATE", "120/m", False, "anonymous API requests"),
    "places": Limit("API_PLACES_RATE", "600/m", False, "place autocomplete requests"),
    "fhir": Limit("FHIR_RATE", "120/m", False, "FHIR API requests (/fhir/)"),
    "fhir_export": Limit("FHIR_EXPORT_RATE", "10/h", False, "FHIR bulk exports started"),
}


def normalise(rate: str) -> str:
    """Write DRF's words as allauth's letters: "120/minute" -> "120/m"."""
    parts = []
    for part in rate.split(","):
        amount, _, rest = part.strip().partition("/")
        unit, slash, scope = rest.partition("/")
        parts.append(f"{amount}/{WORDS.get(unit, unit)}{slash}{scope}")
    return ",".join(parts)


def parse(rate: str, *, allauth: bool) -> list[tuple[int, int]]:
    """(requests, seconds) for each window of a rate; ValueError if malformed."""
    windows = []
    for part in normalise(rate).split(","):
        match = PART.fullmatch(part)
        if match is None or (match[4] and not allauth):
            raise ValueError(part)
        seconds = (float(match[2]) if match[2] else 1) * UNITS[match[3]]
        windows.append((int(match[1]), math.ceil(seconds)))
    if len(windows) > 1 and not allauth:
        raise ValueError(rate)  # a throttle counts in one window
    return windows


def configured() -> dict[str, str]:
    """Each limit's rate from the environment (or its default); "" where switched off."""
    rates = {}
    for name, limit in LIMITS.items():
        value = os.environ.get(limit.env, limit.default).strip()
        if value:
            try:
                parse(value, allauth=limit.allauth)
            except ValueError:
                shape = "AMOUNT/DURATION[/ip|key|user]" if limit.allauth else "AMOUNT/DURATION"
                raise ImproperlyConfigured(
                    f"{limit.env}={value!r}: give {shape} (e.g. {limit.default!r}), "
                    "or leave it empty to switch the limit off."
                ) from None
            value = normalise(value)
        rates[name] = value
    return rates
