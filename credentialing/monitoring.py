"""What staff watch (`/review/monitoring/`): credentials verified, due and overdue for
re-verification, open discrepancies and possible exclusions, the last file each automatic
source read, and verification activity by month, laid out in Python as a bar chart the
template draws as SVG (as the evidence library's forest plots are), so no JavaScript."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from credentialing.models import CREDENTIAL_KINDS, Credential, VerificationEvent
from credentialing.source_models import (
    Discrepancy,
    ExclusionMatch,
    ExclusionStatus,
    ImportedFile,
    SourceKind,
)

MONTHS = 12
WIDTH, HEIGHT = 720, 240
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 712, 16, 200


def policy() -> dict[str, int | bool]:
    """The re-verification settings, as pages state them."""
    return {
        "reverify_after_days": settings.REVERIFY_AFTER_DAYS,
        "reverify_due_days": settings.REVERIFY_AFTER_DAYS - settings.REVERIFY_WARNING_DAYS,
        "reverify_enforce": settings.REVERIFY_ENFORCE,
    }


def due_for_reverification(
    on: datetime.date | None = None, *, limit: int = 100
) -> list[Credential]:
    """Up to `limit` verified licenses and certifications due or overdue, the longest
    unconfirmed first (those never confirmed first of all), each with `overdue` set."""
    day = on or timezone.localdate()
    due = []
    for model in CREDENTIAL_KINDS.values():
        overdue = model.objects.overdue(day).filter(pk=OuterRef("pk"))
        due += (
            model.objects.due_for_reverification(day)
            .annotate(overdue=Exists(overdue))
            .select_related("practitioner")
            .order_by(F("verified_on").asc(nulls_first=True), "pk")[:limit]
        )
    return sorted(due, key=lambda c: (c.verified_on or datetime.date.min, c.kind, c.pk))[:limit]


@dataclass(frozen=True)
class Counts:
    verified: int  # in force today, licenses and certifications
    due: int  # within the warning window, not yet overdue
    overdue: int
    discrepancies: int  # open
    possible_exclusions: int  # waiting for staff


def counts(on: datetime.date | None = None) -> Counts:
    day = on or timezone.localdate()
    kinds = CREDENTIAL_KINDS.values()
    overdue = sum(model.objects.overdue(day).count() for model in kinds)
    return Counts(
        verified=sum(model.objects.in_force(day).count() for model in kinds),
        due=sum(model.objects.due_for_reverification(day).count() for model in kinds) - overdue,
        overdue=overdue,
        discrepancies=Discrepancy.objects.filter(resolved_at__isnull=True).count(),
        possible_exclusions=ExclusionMatch.objects.filter(status=ExclusionStatus.POSSIBLE).count(),
    )


def last_files() -> list[tuple[str, ImportedFile | None]]:
    """Each automatic source with the last file it read (None before its first)."""
    return [
        (str(kind.label), ImportedFile.objects.filter(source=kind).first()) for kind in SourceKind
    ]


@dataclass(frozen=True)
class Month:
    start: datetime.date
    verified: int  # first verifications
    reverified: int  # confirmed again while verified
    ended: int  # rejected or revoked

    @property
    def label(self) -> str:
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    @property
    def confirmed(self) -> int:
        return self.verified + self.reverified


@dataclass(frozen=True)
class Bar:
    month: Month
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_year: bool  # under the first month and every January


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class ActivityChart:
    months: list[Month]
    bars: list[Bar]
    ticks: list[Tick]
    id: str = "activity"
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    axis_y: int = PLOT_BOTTOM
    month_label_y: int = PLOT_BOTTOM + 18
    year_label_y: int = PLOT_BOTTOM + 34

    @property
    def title(self) -> str:
        return gettext(
            "Credentials confirmed by a primary source, by month, last %(months)s months"
        ) % {"months": MONTHS}

    @property
    def description(self) -> str:
        figures = "; ".join(f"{month.label}: {month.confirmed}" for month in self.months)
        first, last = self.months[0].label, self.months[-1].label
        return gettext("One bar for each month from %(first)s to %(last)s. %(figures)s.") % {
            "first": first,
            "last": last,
            "figures": figures,
        }


def _month_starts(today: datetime.date) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def activity(on: datetime.date | None = None) -> ActivityChart:
    """Status decisions of the last MONTHS months (the current one included) from the log:
    first verifications, re-verifications, and rejections or revocations."""
    starts = _month_starts(on or timezone.localdate())
    since = datetime.datetime.combine(
        starts[0], datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    rows = (
        VerificationEvent.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            verified=Count("pk", filter=Q(to_status="verified") & ~Q(from_status="verified")),
            reverified=Count("pk", filter=Q(to_status="verified", from_status="verified")),
            ended=Count("pk", filter=Q(to_status__in=["rejected", "revoked"])),
        )
    )
    by_month = {row["month"].date(): row for row in rows}
    months = [
        Month(
            start=start,
            verified=by_month.get(start, {}).get("verified", 0),
            reverified=by_month.get(start, {}).get("reverified", 0),
            ended=by_month.get(start, {}).get("ended", 0),
        )
        for start in starts
    ]
    return _chart(months)


def _chart(months: list[Month]) -> ActivityChart:
    top = _axis_top(max(month.confirmed for month in months))
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(months)
    scale = (PLOT_BOTTOM - PLOT_TOP) / top
    bars = []
    for index, month in enumerate(months):
        height = month.confirmed * scale
        x = PLOT_LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                month=month,
                x=round(x, 1),
                y=round(PLOT_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                show_year=index == 0 or month.start.month == 1,
            )
        )
    step = top // 4
    ticks = [
        Tick(y=round(PLOT_BOTTOM - n * step * scale, 1), label=str(n * step)) for n in range(5)
    ]
    return ActivityChart(months=months, bars=bars, ticks=ticks)


def _axis_top(largest: int) -> int:
    """A round top for the axis, divisible by 4 so the five ticks are whole numbers."""
    for top in (4, 8, 20, 40, 100, 200, 400, 1000, 2000, 4000, 10000):
        if largest <= top:
            return top
    return -(-largest // 4000) * 4000
