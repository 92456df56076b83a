"""Forest plot layout: scales, null line, markers, and the SVG a page draws from it."""

from __future__ import annotations

import math

import pytest
from django.template.loader import render_to_string

from evidence.forest import PLOT_LEFT, PLOT_RIGHT, comparable_groups, forest_plot
from evidence.models import BenefitDirection, Intervention, Measure, Outcome, Study


def outcome(estimate, low, high, *, measure=Measure.MD, comparator="sham acupuncture", **more):
    study = Study(
        slug="s",
        title="Test",
        authors=["Tester A"],
        year=2020,
        participants=more.pop("study_n", None),
    )
    return Outcome(
        study=study,
        outcome=more.pop("name", "test score"),
        intervention=Intervention(name="Acupuncture", slug="acupuncture"),
        comparator=comparator,
        measure=measure,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        **more,
    )


def test_outcomes_are_grouped_by_measure_and_comparator_in_order():
    a = outcome(1.0, 0.5, 1.5)
    b = outcome(1.5, 1.2, 1.9, measure=Measure.RR, comparator="control")
    c = outcome(-1.0, -2.0, 0.0, comparator="Sham acupuncture")
    d = outcome(0.4, 0.1, 0.7, measure=Measure.SMD, comparator="control")
    assert comparable_groups([a, b, c, d]) == [[a, c], [b], [d]]


def test_ratio_plot_is_on_a_log_scale_with_the_null_line_at_one():
    half, double = outcome(0.5, 0.4, 0.6, measure="RR"), outcome(2.0, 1.6, 2.5, measure="RR")
    plot = forest_plot([half, double], id="p")
    assert plot.log_scale
    assert plot.axis_label == "Risk ratio (log scale)"
    low, high = plot.rows[0], plot.rows[1]
    # 0.5 and 2 lie equally far from 1 on a log scale
    assert math.isclose(plot.null_x - low.x, high.x - plot.null_x, abs_tol=0.2)
    assert [tick.label for tick in plot.ticks] == ["0.5", "1", "2"]
    assert PLOT_LEFT < low.x_low < low.x < low.x_high < plot.null_x < high.x_low < PLOT_RIGHT


def test_difference_plot_is_linear_with_the_null_line_at_zero():
    plot = forest_plot([outcome(-1.4, -2.4, -0.3), outcome(-2.1, -2.9, -1.2)], id="p")
    assert not plot.log_scale
    assert [tick.label for tick in plot.ticks] == ["\u22123", "\u22122", "\u22121", "0"]
    zero = next(tick for tick in plot.ticks if tick.label == "0")
    assert zero.x == plot.null_x
    assert all(row.x_high < plot.null_x for row in plot.rows)
    assert plot.rows[0].value_label == "\u22121.4 [\u22122.4, \u22120.3]"


def test_marker_area_follows_participants_and_unknown_is_smallest():
    plot = forest_plot(
        [
            outcome(1, 0, 2, participants=400),
            outcome(1, 0, 2, participants=100),
            outcome(1, 0, 2, study_n=400),
            outcome(1, 0, 2),
        ],
        id="p",
    )
    assert [row.marker for row in plot.rows] == [20.0, 13.5, 20.0, 7.0]


@pytest.mark.parametrize(
    ("direction", "left", "right"),
    [
        (BenefitDirection.LOWER, "Favours intervention", "Favours comparator"),
        (BenefitDirection.HIGHER, "Favours comparator", "Favours intervention"),
        (BenefitDirection.NOT_STATED, "", ""),
    ],
)
def test_favours_labels_only_when_the_direction_of_benefit_is_known(direction, left, right):
    plot = forest_plot([outcome(1, 0, 2, direction=direction)], id="p")
    assert (plot.favours_left, plot.favours_right) == (left, right)


def test_long_outcome_names_are_shortened_in_the_drawing_only():
    long_name = "reduction in migraine attack frequency at three sessions a week over months"
    row = forest_plot([outcome(1, 0, 2, name=long_name)], id="p").rows[0]
    assert row.outcome_label.endswith("…") and len(row.outcome_label) == 50
    assert row.outcome.outcome == long_name


def test_svg_is_an_image_with_a_title_a_description_and_every_part_drawn():
    plot = forest_plot(
        [outcome(1.83, 1.52, 2.21, measure="RR", comparator="control", name="treatment success")],
        id="forest-7",
    )
    svg = render_to_string(
        "evidence/includes/forest_plot.html", {"plot": plot, "with_table": False}
    )
    assert 'role="img" aria-labelledby="forest-7-title" aria-describedby="forest-7-desc"' in svg
    assert '<title id="forest-7-title">Forest plot: Risk ratio (RR) against control</title>' in svg
    assert (
        '<desc id="forest-7-desc">Risk ratio (RR) against control. Tester 2020, treatment success '
        "(acupuncture): RR 1.83 (95% CI 1.52 to 2.21). The vertical line at 1 means no "
        "difference.</desc>"
    ) in svg
    assert svg.count('class="forest-ci"') == 3  # the interval and its two end caps
    assert svg.count('class="forest-point"') == 1
    assert f'class="forest-null" x1="{plot.null_x}"' in svg
    assert ">Risk ratio (log scale)</text>" in svg
    assert "<table" not in svg
