"""The value parsers on their own: date ranges by precision, edge years, near's parts."""

from __future__ import annotations

import datetime

import pytest

from fhir_api import search_values
from fhir_api.errors import FhirError

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        (
            "2026",
            datetime.datetime(2026, 1, 1, tzinfo=UTC),
            datetime.datetime(2027, 1, 1, tzinfo=UTC),
        ),
        (
            "2026-12",
            datetime.datetime(2026, 12, 1, tzinfo=UTC),
            datetime.datetime(2027, 1, 1, tzinfo=UTC),
        ),
        (
            "2026-02-28",
            datetime.datetime(2026, 2, 28, tzinfo=UTC),
            datetime.datetime(2026, 3, 1, tzinfo=UTC),
        ),
        (
            "2026-02-28T10:30Z",
            datetime.datetime(2026, 2, 28, 10, 30, tzinfo=UTC),
            datetime.datetime(2026, 2, 28, 10, 31, tzinfo=UTC),
        ),
        (
            "2026-02-28T10:30:15.5+02:00",
            datetime.datetime(2026, 2, 28, 8, 30, 15, 500000, tzinfo=UTC),
            datetime.datetime(2026, 2, 28, 8, 30, 15, 600000, tzinfo=UTC),
        ),
    ],
)
def test_a_date_is_the_range_its_precision_covers(value, start, end):
    found = search_values.date_value("_lastUpdated", f"ge{value}")
    assert (found.prefix, found.start, found.end) == ("ge", start, end)


@pytest.mark.parametrize("value", ["9999", "9999-12", "0001", "9999-12-31T23:59Z"])
def test_edge_years_are_accepted(value):
    search_values.date_value("_lastUpdated", value)


@pytest.mark.parametrize(
    "value", ["0000", "0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "2026-01-01T10:00+14:30"]
)
def test_dates_outside_what_can_be_stored_are_refused(value):
    with pytest.raises(FhirError) as refused:
        search_values.date_value("_lastUpdated", value)
    assert refused.value.status == 400
    assert refused.value.diagnostics.startswith("_lastUpdated:")


def test_near_defaults_and_conversions():
    point = search_values.near_value("near", "37.7|-122.4", default_km=25, maximum_km=500)
    assert (point.radius_km, point.unit, point.metres_per_unit) == (25, "km", 1000.0)
    miles = search_values.near_value("near", "37.7|-122.4|10|mi", default_km=25, maximum_km=500)
    assert miles.radius_km == pytest.approx(16.09344)
    assert miles.unit == "[mi_i]"
    survey = search_values.near_value(
        "near", "37.7|-122.4|10|[mi_us]", default_km=25, maximum_km=500
    )
    assert survey.metres_per_unit == 1609.347
    blank = search_values.near_value("near", "37.7|-122.4||", default_km=25, maximum_km=500)
    assert (blank.radius_km, blank.unit) == (25, "km")


def test_comma_separated_values_with_the_escape():
    assert search_values.split_values("name", r"a,b\,c") == ["a", "b,c"]
