"""Forest plots laid out in Python and drawn by a template as SVG, so pages need no
JavaScript. Each plot holds outcomes that can sit on one axis: the same measure against
the same comparator. Ratios (RR, OR, HR) use a log scale with the null line at 1;
differences (MD, SMD) a linear scale with the null line at 0."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from evidence.models import BenefitDirection, Measure, Outcome, format_number

WIDTH = 760
LABEL_LEFT = 8
PLOT_LEFT = 330
PLOT_RIGHT = 590
VALUE_LEFT = 606
TOP = 34
ROW_HEIGHT = 44
BOTTOM = 74
SMALLEST_MARKER, LARGEST_MARKER = 7.0, 20.0
OUTCOME_LABEL_CHARACTERS = 50


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Row:
    outcome: Outcome
    y: float
    x: float
    x_low: float
    x_high: float
    marker: float  # side of the square, by participants
    study_label: str
    outcome_label: str
    value_label: str

    @property
    def marker_x(self) -> float:
        return self.x - self.marker / 2

    @property
    def marker_y(self) -> float:
        return self.y - self.marker / 2

    @property
    def study_y(self) -> float:
        return self.y - 5

    @property
    def outcome_y(self) -> float:
        return self.y + 11

    @property
    def value_y(self) -> float:
        return self.y + 4

    @property
    def cap_top(self) -> float:
        return self.y - 5

    @property
    def cap_bottom(self) -> float:
        return self.y + 5


@dataclass(frozen=True)
class ForestPlot:
    id: str
    title: str
    description: str
    rows: list[Row]
    ticks: list[Tick]
    null_x: float
    axis_label: str
    favours_left: str
    favours_right: str
    log_scale: bool

    width = WIDTH
    plot_left = PLOT_LEFT
    plot_right = PLOT_RIGHT
    value_left = VALUE_LEFT
    label_left = LABEL_LEFT
    top = TOP

    @property
    def axis_y(self) -> float:
        return TOP + len(self.rows) * ROW_HEIGHT + 6

    @property
    def height(self) -> float:
        return self.axis_y + (BOTTOM if self.favours_left else BOTTOM - 20)

    @property
    def header_y(self) -> float:
        return TOP - 12

    @property
    def tick_end(self) -> float:
        return self.axis_y + 5

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 19

    @property
    def axis_label_y(self) -> float:
        return self.axis_y + 38

    @property
    def favours_y(self) -> float:
        return self.axis_y + 58

    @property
    def axis_middle(self) -> float:
        return (PLOT_LEFT + PLOT_RIGHT) / 2

    @property
    def outcomes(self) -> list[Outcome]:
        return [row.outcome for row in self.rows]


def comparable_groups(outcomes: Iterable[Outcome]) -> list[list[Outcome]]:
    """Outcomes that share a measure and a comparator, in order of first appearance."""
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault((outcome.measure, outcome.comparator.casefold()), []).append(outcome)
    return list(groups.values())


def forest_plot(outcomes: list[Outcome], *, id: str) -> ForestPlot:
    """Lay out one plot; `outcomes` must share measure and comparator (comparable_groups)."""
    first = outcomes[0]
    measure = Measure(first.measure)
    log_scale = first.is_ratio
    null = first.null_value
    scale = _Scale([null, *(o.ci_low for o in outcomes), *(o.ci_high for o in outcomes)], log_scale)
    largest = max((_participants(o) or 0 for o in outcomes), default=0)
    rows = [
        Row(
            outcome=outcome,
            y=TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2,
            x=scale.x(outcome.estimate),
            x_low=scale.x(outcome.ci_low),
            x_high=scale.x(outcome.ci_high),
            marker=_marker(_participants(outcome), largest),
            study_label=outcome.study.short_citation,
            outcome_label=_shorten(
                gettext("%(outcome)s; %(intervention)s vs %(comparator)s")
                % {
                    "outcome": outcome.outcome,
                    "intervention": outcome.intervention.shown_name.lower(),
                    "comparator": outcome.comparator,
                }
            ),
            value_label=_interval(outcome),
        )
        for index, outcome in enumerate(outcomes)
    ]
    left, right = _favours({outcome.direction for outcome in outcomes})
    title = gettext("%(measure)s (%(code)s) against %(comparator)s") % {
        "measure": measure.label,
        "code": measure.value,
        "comparator": first.comparator,
    }
    return ForestPlot(
        id=id,
        title=title,
        description=_description(outcomes, title=title, null=null),
        rows=rows,
        ticks=[Tick(scale.x(value), format_number(value)) for value in scale.ticks()],
        null_x=scale.x(null),
        axis_label=(
            gettext("%(measure)s (log scale)") % {"measure": measure.label}
            if log_scale
            else str(measure.label)
        ),
        favours_left=left,
        favours_right=right,
        log_scale=log_scale,
    )


class _Scale:
    """Data value -> x coordinate, padded so every interval and the null line fit."""

    def __init__(self, values: list[float], log_scale: bool):
        self.log_scale = log_scale
        points = [self._transform(value) for value in values]
        low, high = min(points), max(points)
        pad = (high - low) * 0.08 or (0.1 if log_scale else 0.5)
        self.low, self.high = low - pad, high + pad

    def _transform(self, value: float) -> float:
        return math.log(value) if self.log_scale else value

    def x(self, value: float) -> float:
        share = (self._transform(value) - self.low) / (self.high - self.low)
        return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 1)

    def ticks(self) -> list[float]:
        low, high = (
            (math.exp(self.low), math.exp(self.high))
            if self.log_scale
            else (
                self.low,
                self.high,
            )
        )
        return _log_ticks(low, high) if self.log_scale else _linear_ticks(low, high)


def _linear_ticks(low: float, high: float) -> list[float]:
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step)
    return [
        round(n * step, 10) + 0.0 for n in range(first, math.floor(high / step) + 1)
    ]  # + 0.0 turns -0.0 into 0.0


def _log_ticks(low: float, high: float) -> list[float]:
    ticks: list[float] = []
    for mantissas in [(1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)]:
        ticks = sorted(
            round(m * 10**exponent, 6)
            for exponent in range(-4, 5)
            for m in mantissas
            if low <= m * 10**exponent <= high
        )
        if len(ticks) >= 3:
            break
    return ticks


def _participants(outcome: Outcome) -> int | None:
    """The outcome's own number, else the whole study's."""
    return outcome.participants or outcome.study.participants


def _marker(participants: int | None, largest: int) -> float:
    if not participants or not largest:
        return SMALLEST_MARKER
    # Area, not side, follows the number of participants.
    share = math.sqrt(participants / largest)
    return round(SMALLEST_MARKER + (LARGEST_MARKER - SMALLEST_MARKER) * share, 1)


def _interval(outcome: Outcome) -> str:
    low, high = format_number(outcome.ci_low), format_number(outcome.ci_high)
    return f"{format_number(outcome.estimate)} [{low}, {high}]"


def _favours(directions: set[str]) -> tuple[str, str]:
    if directions == {BenefitDirection.HIGHER}:
        return gettext("Favours comparator"), gettext("Favours intervention")
    if directions == {BenefitDirection.LOWER}:
        return gettext("Favours intervention"), gettext("Favours comparator")
    return "", ""


def _description(outcomes: list[Outcome], *, title: str, null: float) -> str:
    rows = "; ".join(
        f"{o.study.short_citation}, {o.outcome} ({o.intervention.shown_name.lower()}): "
        f"{o.effect_display}"
        for o in outcomes
    )
    return gettext("%(title)s. %(rows)s. The vertical line at %(null)s means no difference.") % {
        "title": title,
        "rows": rows,
        "null": format_number(null),
    }


def _shorten(text: str) -> str:
    if len(text) <= OUTCOME_LABEL_CHARACTERS:
        return text
    return text[: OUTCOME_LABEL_CHARACTERS - 1].rstrip() + "…"
