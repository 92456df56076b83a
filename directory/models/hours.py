"""Opening hours as stored: one row per stretch of a weekday a clinic is open, in the clinic's
local time. How hours are typed, checked and shown is directory/hours.py."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q

from directory.expressions import TimeRange
from directory.hours import Weekday


class OpeningInterval(models.Model):
    """One stretch of a weekday when the clinic is open, in the clinic's local time."""

    location = models.ForeignKey(
        "directory.Location", on_delete=models.CASCADE, related_name="opening_intervals"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="directory_opening_interval_closes_after_opens",
                violation_error_message="The closing time must be later than the opening time.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="directory_opening_interval_weekday",
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"],
                name="directory_opening_interval_unique_start",
            ),
            # directory.hours.check says so to whoever types hours; this holds for every
            # writer (the admin, a script, SQL). Intervals that only meet (09-13, 13-18) do
            # not overlap. Equality on the clinic and weekday in a GiST index needs btree_gist.
            ExclusionConstraint(
                name="directory_opening_interval_no_overlap",
                expressions=[
                    ("location", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (TimeRange("opens", "closes"), RangeOperators.OVERLAPS),
                ],
                violation_error_message="Opening hours on the same day must not overlap.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
