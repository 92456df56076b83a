"""Opening hours: a clinic's weekly intervals in its own time zone (stored as OpeningInterval
rows, directory/models/hours.py), how they are typed and read back ("09:00-13:00,
14:00-18:00"), and what patients see ("Open now · closes 18:00").

A clinic with no intervals has not given its hours: nothing is said about open or closed,
and it matches neither hours filter; its note (e.g. "By appointment only") is still shown.
There is no separate "closed all week": a clinic that sees patients only by appointment
says so in the note. Times are wall-clock times in the clinic's zone (Location.time_zone,
found from its coordinates), so an interval always means the same local hours, summer
and winter. An interval ends on the day it starts: closes is later than opens; a clinic
open past midnight closes at 23:59 and opens again at 00:00.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday()); the codes are FHIR's daysOfWeek."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


DAY_CODES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKEND = [Weekday.SATURDAY, Weekday.SUNDAY]
# "Open evenings": some interval still open after this local time.
EVENING = datetime.time(17, 0)
# More than anyone needs (ten a day), and a bound on what one request may write.
MAX_INTERVALS = 70


@dataclass(frozen=True, order=True)
class Interval:
    weekday: int
    opens: datetime.time
    closes: datetime.time


# ---- Typing and checking hours ----

TIME = r"([01]?\d|2[0-3])[:.]([0-5]\d)"
INTERVAL = re.compile(rf"^{TIME}\s*[-–]\s*{TIME}$")


def parse_day(text: str, weekday: int) -> list[Interval]:
    """A day's hours as typed on the dashboard: "09:00-13:00, 14:00-18:00"; empty means
    closed that day. Raises ValidationError saying what is wrong."""
    intervals = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = INTERVAL.match(part)
        if match is None:
            raise ValidationError(
                f"“{part}” is not a time range; write it as 09:00-13:00 (24-hour clock), "
                "ranges separated by commas.",
                code="invalid",
            )
        hours_open, minutes_open, hours_close, minutes_close = map(int, match.groups())
        intervals.append(
            Interval(
                weekday,
                datetime.time(hours_open, minutes_open),
                datetime.time(hours_close, minutes_close),
            )
        )
    check(intervals)
    return sorted(intervals)


def check(intervals: Iterable[Interval]) -> None:
    """Each interval closes after it opens, and none overlaps another on the same day."""
    problems = []
    previous: Interval | None = None
    for interval in sorted(intervals):
        label = Weekday(interval.weekday).label
        if interval.closes <= interval.opens:
            problems.append(
                f"{label} {_hhmm(interval.opens)}-{_hhmm(interval.closes)}: the closing time "
                "must be later than the opening time (on the same day)."
            )
        elif (
            previous is not None
            and previous.weekday == interval.weekday
            and interval.opens < previous.closes
        ):
            problems.append(
                f"{label}: {_hhmm(previous.opens)}-{_hhmm(previous.closes)} and "
                f"{_hhmm(interval.opens)}-{_hhmm(interval.closes)} overlap."
            )
        previous = interval
    if problems:
        raise ValidationError(problems, code="invalid")


def day_text(intervals: Iterable[Interval], weekday: int) -> str:
    """The day's intervals as the dashboard field shows them: "09:00-13:00, 14:00-18:00"."""
    return ", ".join(
        f"{_hhmm(interval.opens)}-{_hhmm(interval.closes)}"
        for interval in sorted(intervals, key=lambda interval: interval.opens)
        if interval.weekday == weekday
    )


def intervals_of(location) -> list[Interval]:
    """A saved clinic's intervals (from the prefetch cache when there is one)."""
    return sorted(
        Interval(interval.weekday, interval.opens, interval.closes)
        for interval in location.opening_intervals.all()
    )


# ---- What patients see ----


@dataclass(frozen=True)
class DayHours:
    day: str
    text: str  # the day's intervals with en dashes, or "Closed"


def week(intervals: list[Interval]) -> list[DayHours]:
    """Monday to Sunday, for the profile; empty when no hours are given."""
    if not intervals:
        return []
    return [
        DayHours(str(day.label), shown_day(intervals, day.value) or gettext("Closed"))
        for day in Weekday
    ]


def shown_day(intervals: Iterable[Interval], weekday: int) -> str:
    """The day's intervals as the visitor's language writes times, joined by an en dash:
    "9:00 AM to 1:00 PM" in English, "09:00 to 13:00" in British English, Spanish, Chinese."""
    return ", ".join(
        f"{shown(interval.opens)}–{shown(interval.closes)}"
        for interval in sorted(intervals, key=lambda interval: interval.opens)
        if interval.weekday == weekday
    )


def shown(time: datetime.time) -> str:
    return formats.time_format(time)


@dataclass(frozen=True)
class OpenStatus:
    open_now: bool
    text: str  # "Open now · closes 18:00", "Opens Tuesday 09:00"


def status(
    intervals: list[Interval], zone: str, now: datetime.datetime | None = None
) -> OpenStatus | None:
    """Open or closed at `now` (default: this instant) on the clinic's own clock, and when
    that changes next; None without hours or without a known time zone."""
    if not intervals or not zone:
        return None
    try:
        local = (now or timezone.now()).astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return None
    today, time = local.weekday(), local.time().replace(tzinfo=None)
    for interval in intervals:
        if interval.weekday == today and interval.opens <= time < interval.closes:
            return OpenStatus(
                True, gettext("Open now · closes %(time)s") % {"time": shown(interval.closes)}
            )
    for days_ahead in range(8):
        weekday = (today + days_ahead) % 7
        for interval in intervals:
            if interval.weekday != weekday or (days_ahead == 0 and interval.opens <= time):
                continue
            at = shown(interval.opens)
            if days_ahead == 0:
                text = gettext("Opens today %(time)s") % {"time": at}
            elif days_ahead == 1:
                text = gettext("Opens tomorrow %(time)s") % {"time": at}
            else:
                text = gettext("Opens %(day)s %(time)s") % {
                    "day": Weekday(weekday).label,
                    "time": at,
                }
            return OpenStatus(False, text)
    return None  # unreachable: some interval exists, so it recurs within a week


def open_now_clocks(
    zones: Iterable[str], now: datetime.datetime | None = None
) -> dict[tuple[int, datetime.time], list[str]]:
    """The weekday and wall-clock time at `now` in each of `zones`, grouped: zones reading
    the same clock share one entry. The "open now" search filter compares opening hours
    with these, so it uses the very clock (Python's zoneinfo) the cards' "Open now" uses."""
    instant = now or timezone.now()
    clocks: dict[tuple[int, datetime.time], list[str]] = {}
    for zone in zones:
        try:
            local = instant.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            continue
        key = (local.weekday(), local.time().replace(tzinfo=None))
        clocks.setdefault(key, []).append(zone)
    return clocks


# ---- Time zones ----


@functools.cache
def _finder():
    # Loading the boundary data takes a moment and some memory: once per process.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def time_zone_at(latitude: float | None, longitude: float | None) -> str:
    """The IANA time zone at these coordinates, offline ("" without coordinates). At sea it
    is the nautical zone, e.g. "Etc/GMT+5"."""
    if latitude is None or longitude is None:
        return ""
    return _finder().timezone_at(lat=latitude, lng=longitude) or ""


def _hhmm(time: datetime.time) -> str:
    return f"{time:%H:%M}"
