"""Parsing search parameter values as FHIR R4 defines them (search.html): numbers, dates
with prefixes, tokens, references, strings, and Location's `near`. Every bad value raises
a FhirError naming the parameter, which the view answers 400."""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from fhir_api.errors import bad_parameter

MAX_COUNT = 50
DEFAULT_COUNT = 20
MAX_VALUE_LENGTH = 200

# UCUM codes `near` accepts, in metres. `mi` is not UCUM but clients send it.
UNITS = {"km": 1000.0, "m": 1.0, "[mi_i]": 1609.344, "mi": 1609.344, "[mi_us]": 1609.347}
# The unit reported back in the distance extension, as UCUM writes it.
UCUM_UNIT = {"km": "km", "m": "m", "[mi_i]": "[mi_i]", "mi": "[mi_i]", "[mi_us]": "[mi_us]"}

DATE_PREFIXES = {"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"}
SUPPORTED_DATE_PREFIXES = {"eq", "gt", "lt", "ge", "le"}
DATE_PATTERN = re.compile(
    r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})"
    r"(T(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,9})?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def split_values(parameter: str, raw: str) -> list[str]:
    """A parameter's comma-separated alternatives (OR), with FHIR's `\\,` escape."""
    if len(raw) > MAX_VALUE_LENGTH:
        raise bad_parameter(parameter, f"the value is longer than {MAX_VALUE_LENGTH} characters.")
    if "\x00" in raw:
        raise bad_parameter(parameter, "the value contains a NUL character.")
    values = [part.replace("\\,", ",") for part in re.split(r"(?<!\\),", raw)]
    if not all(value.strip() for value in values):
        raise bad_parameter(parameter, "an empty value is not a search.")
    return [value.strip() for value in values]


def positive_int(parameter: str, raw: str, *, maximum: int, clamp: bool) -> int:
    if not re.fullmatch(r"\d{1,6}", raw.strip()):
        raise bad_parameter(parameter, f"expected a whole number from 1 to {maximum}, got {raw!r}.")
    number = int(raw)
    if number < 1:
        raise bad_parameter(parameter, f"expected a whole number from 1 to {maximum}, got {raw!r}.")
    if number > maximum:
        if clamp:
            return maximum
        raise bad_parameter(
            parameter, f"at most {maximum} is served, got {raw!r}.", code="too-costly"
        )
    return number


@dataclass(frozen=True)
class DateRange:
    prefix: str
    start: datetime.datetime  # the value's implicit range: [start, end)
    end: datetime.datetime


def date_value(parameter: str, raw: str) -> DateRange:
    """`[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]][zone]]]]`; a value without a time zone is in
    the server's."""
    prefix, value = (raw[:2], raw[2:]) if raw[:2] in DATE_PREFIXES else ("eq", raw)
    if raw[:2].isalpha() and raw[:2] not in DATE_PREFIXES:
        raise bad_parameter(parameter, f"{raw[:2]!r} is not a FHIR search prefix.")
    if prefix not in SUPPORTED_DATE_PREFIXES:
        raise bad_parameter(
            parameter,
            f"the prefix {prefix!r} is not supported (use eq, gt, ge, lt or le).",
            code="not-supported",
        )
    match = DATE_PATTERN.fullmatch(value)
    if not match:
        raise bad_parameter(parameter, f"{value!r} is not a FHIR date or dateTime.")
    parts = match.groupdict()
    try:
        start, end = _date_range(parts)
        start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)  # representable in UTC
    except (ValueError, OverflowError):
        raise bad_parameter(parameter, f"{value!r} is not a real date.") from None
    return DateRange(prefix, start, end)


def instant_matches(parameter: str, values: list[str], instant: datetime.datetime) -> bool:
    """Whether a resource whose date is the fixed `instant` (the lastUpdated of a resource
    Meridian does not keep in a row) matches any of the date `values`."""
    for value in values:
        found = date_value(parameter, value)
        if {
            "gt": instant >= found.end,
            "ge": instant >= found.start,
            "lt": instant < found.start,
            "le": instant < found.end,
        }.get(found.prefix, found.start <= instant < found.end):
            return True
    return False


def _date_range(parts: dict) -> tuple[datetime.datetime, datetime.datetime]:
    zone: datetime.tzinfo = timezone.get_current_timezone()
    if parts["zone"]:
        if parts["zone"] == "Z":
            zone = datetime.UTC
        else:
            sign = 1 if parts["zone"][0] == "+" else -1
            hours, minutes = int(parts["zone"][1:3]), int(parts["zone"][4:6])
            if minutes > 59 or hours * 60 + minutes > 14 * 60:
                raise ValueError("time zone offset")
            zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    year = int(parts["year"])
    if year < 1:
        raise ValueError("year")
    if parts["month"] is None:
        start = datetime.datetime(year, 1, 1, tzinfo=zone)
        return start, _following_year(start)
    month = int(parts["month"])
    if parts["day"] is None:
        start = datetime.datetime(year, month, 1, tzinfo=zone)
        following = start.replace(month=month + 1) if month < 12 else _following_year(start)
        return start, following
    day = int(parts["day"])
    if parts["hour"] is None:
        start = datetime.datetime(year, month, day, tzinfo=zone)
        return start, _plus(start, datetime.timedelta(days=1))
    second = int(parts["second"] or 0)
    fraction = parts["fraction"] or ""
    microsecond = int((fraction[1:] + "000000")[:6]) if fraction else 0
    start = datetime.datetime(
        year, month, day, int(parts["hour"]), int(parts["minute"]), second, microsecond, tzinfo=zone
    )
    if parts["second"] is None:
        step = datetime.timedelta(minutes=1)
    elif not fraction:
        step = datetime.timedelta(seconds=1)
    else:
        step = datetime.timedelta(microseconds=max(1, 10 ** (6 - min(len(fraction) - 1, 6))))
    return start, _plus(start, step)


def _plus(start: datetime.datetime, step: datetime.timedelta) -> datetime.datetime:
    """The end of a value's range; the last instant there is for the last day of 9999."""
    try:
        return start + step
    except OverflowError:
        return datetime.datetime.max.replace(tzinfo=start.tzinfo)


def _following_year(start: datetime.datetime) -> datetime.datetime:
    if start.year == datetime.MAXYEAR:
        return datetime.datetime.max.replace(tzinfo=start.tzinfo)
    return start.replace(year=start.year + 1, month=1)


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float
    unit: str  # UCUM code of the distances reported back
    metres_per_unit: float


def near_value(parameter: str, raw: str, *, default_km: float, maximum_km: float) -> Near:
    """`LAT|LNG[|DIST[|UNIT]]` (R4 puts latitude first). Without a distance, the site's
    default radius; without a unit, km (as R4 says)."""
    parts = raw.split("|")
    if not 2 <= len(parts) <= 4:
        raise bad_parameter(parameter, "expected latitude|longitude|distance|unit.")
    latitude = _number(parameter, parts[0], "latitude")
    longitude = _number(parameter, parts[1], "longitude")
    if not -90 <= latitude <= 90:
        raise bad_parameter(parameter, f"latitude {parts[0]} is outside -90 to 90.")
    if not -180 <= longitude <= 180:
        raise bad_parameter(parameter, f"longitude {parts[1]} is outside -180 to 180.")
    unit = parts[3].strip() if len(parts) == 4 and parts[3].strip() else "km"
    if unit not in UNITS:
        raise bad_parameter(
            parameter, f"unit {unit!r} is not one of {', '.join(UNITS)} (UCUM codes)."
        )
    metres_per_unit = UNITS[unit]
    if len(parts) >= 3 and parts[2].strip():
        distance = _number(parameter, parts[2], "distance")
        if distance <= 0:
            raise bad_parameter(parameter, "the distance must be more than 0.")
        radius_km = distance * metres_per_unit / 1000
        if radius_km > maximum_km:
            raise bad_parameter(
                parameter,
                f"the distance is at most {maximum_km:g} km; got {radius_km:g} km.",
                code="too-costly",
            )
    else:
        radius_km = default_km
    return Near(latitude, longitude, radius_km, UCUM_UNIT[unit], metres_per_unit)


def _number(parameter: str, raw: str, what: str) -> float:
    text = raw.strip()
    if not NUMBER.fullmatch(text):
        raise bad_parameter(parameter, f"the {what} {raw!r} is not a number.")
    number = float(text)
    if not math.isfinite(number):
        raise bad_parameter(parameter, f"the {what} {raw!r} is not a number.")
    return number


def token_value(raw: str) -> tuple[str | None, str]:
    """`system|code`, `|code` (no system: treated as any, we have none without) or `code`."""
    if "|" in raw:
        system, _, code = raw.partition("|")
        return (system or None), code
    return None, raw


def token_in(raw: str, accepted: Iterable[tuple[str | None, str]]) -> bool:
    """Whether the token `raw` is one of `accepted` (system, code) pairs, given with that
    system or without one."""
    system, code = token_value(raw)
    return any(code == c and system in {None, s} for s, c in accepted)


def reference_id(parameter: str, raw: str, resource_type: str) -> str:
    """`Type/id`, a full URL ending in `Type/id`, or a bare id."""
    value = raw.rstrip("/")
    if "/" in value:
        kind, _, found = value.rpartition("/")
        if kind.rpartition("/")[2] != resource_type:
            raise bad_parameter(parameter, f"expected a reference to {resource_type}, got {raw!r}.")
        value = found
    if not re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", value):
        raise bad_parameter(parameter, f"{raw!r} is not a FHIR id.")
    return value


def plain_text(value: str) -> str:
    """What string search compares: accents and case removed (FHIR: "ignore case and
    accents"); the database side is compared through unaccent and ILIKE."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_fhir_id(value: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", value))
