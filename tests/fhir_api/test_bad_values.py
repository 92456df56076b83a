"""Every bad value answers 400 with an OperationOutcome naming the parameter, never 500:
a table of the values servers are sent in the wild, then random values for every
parameter of every resource type (property-based, against the live server)."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_api.search_parameters import PARAMETERS
from tests.fhir_api.conftest import clinic, validate

pytestmark = pytest.mark.django_db(transaction=True)

BAD = [
    ("Location?near=37.7", "near"),
    ("Location?near=91|-122.4|10|km", "near"),
    ("Location?near=37.7|-181|10|km", "near"),
    ("Location?near=37.7|-122.4|10|furlong", "near"),
    ("Location?near=37.7|-122.4|-5|km", "near"),
    ("Location?near=37.7|-122.4|0|km", "near"),
    ("Location?near=37.7|-122.4|5000|km", "near"),
    ("Location?near=nan|-122.4|10|km", "near"),
    ("Location?near=37.7|inf", "near"),
    ("Location?near=37.7|-122.4|ten|km", "near"),
    ("Location?near=1|2|3|km|5", "near"),
    ("Location?near=37.7|-122.4&near=37.8|-122.4", "near"),
    ("Location?near:missing=37.7|-122.4", "near:missing"),
    ("PractitionerRole?location.near=91|0", "location.near"),
    ("Practitioner?_lastUpdated=xx2026-01-01", "_lastUpdated"),
    ("Practitioner?_lastUpdated=ne2026-01-01", "_lastUpdated"),
    ("Practitioner?_lastUpdated=ap2026-01-01", "_lastUpdated"),
    ("Practitioner?_lastUpdated=2026-13-01", "_lastUpdated"),
    ("Practitioner?_lastUpdated=2026-02-30", "_lastUpdated"),
    ("Practitioner?_lastUpdated=yesterday", "_lastUpdated"),
    ("Location?_lastUpdated=2026-01-01T25:00Z", "_lastUpdated"),
    ("Location?_lastUpdated=2026-01-01T10:00+15:00", "_lastUpdated"),
    ("Practitioner?_count=-1", "_count"),
    ("Practitioner?_count=ten", "_count"),
    ("Practitioner?_cursor=forged", "_cursor"),
    ("Practitioner?name:fuzzy=chen", "name:fuzzy"),
    ("Practitioner?name=", "name"),
    ("Practitioner?name=" + "x" * 201, "name"),
    ("Practitioner?_include=PractitionerRole:practitioner", "_include"),
    ("PractitionerRole?_include=PractitionerRole:network", "_include"),
    ("Location?_revinclude=Practitioner:location", "_revinclude"),
    ("PractitionerRole?practitioner=Location/abc", "practitioner"),
    ("PractitionerRole?practitioner=not%20an%20id", "practitioner"),
    ("VerificationResult?target=Organization/x", "target"),
    ("Location?new-patient=", "new-patient"),
    ("Location?new-patient:missing=true", "new-patient:missing"),
    ("Location?accessibility:text=parking", "accessibility:text"),
    ("Location?accessibility=" + "x" * 201, "accessibility"),
    ("Practitioner?qualification-code:not=171100000X", "qualification-code:not"),
    ("Practitioner?qualification-code:text=", "qualification-code:text"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD)
def test_bad_value_answers_400_naming_the_parameter(fhir, path, parameter):
    answer = fhir(path)
    assert answer.status == 400, answer.body
    validate(answer.body)
    assert answer.body["resourceType"] == "OperationOutcome"
    assert answer.diagnostics().startswith(f"{parameter}:")


def test_a_good_near_with_a_point_only_is_accepted(fhir):
    assert fhir("Location?near=37.7|-122.4").status == 200


def test_unknown_resource_type_address_and_method(fhir):
    for path in ["Patient?name=x", "Practitioner/x/_history", ""]:
        answer = fhir(path)
        assert answer.status == 404
        validate(answer.body)
    assert fhir("Practitioner", method="DELETE").status == 405


@pytest.fixture
def listed():
    """Something to find (a function-scoped fixture runs once for all the examples)."""
    return clinic("seed", 37.77, -122.41)


SEARCHES = [(kind, p.name) for kind, parameters in PARAMETERS.items() for p in parameters]
SEARCHES += [
    (kind, name) for kind in PARAMETERS for name in ("_count", "_cursor", "_summary", "_include")
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"(eq|ne|gt|ge|lt|le|xx)?-?\d{1,5}(-\d{1,3}){0,2}(T\d\d:\d\d(:\d\d)?Z?)?"),
    st.from_regex(r"-?\d{1,3}(\.\d+)?\|-?\d{1,3}(\.\d+)?(\|-?\d{0,5}(\.\d*)?)?(\|\[?\w*\]?)?"),
    st.from_regex(r"[\w:/.|-]{0,40}"),
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    search=st.sampled_from(SEARCHES), modifier=st.sampled_from(["", ":exact", ":x"]), value=VALUES
)
def test_any_value_of_any_parameter_answers_200_or_400(fhir, listed, search, modifier, value):
    kind, name = search
    query = urllib.parse.urlencode({f"{name}{modifier}": value})
    answer = fhir(f"{kind}?{query}")
    assert answer.status in {200, 400}, (kind, name, value, answer.body)
    validate(answer.body)
    if answer.status == 400:
        assert answer.diagnostics().startswith(f"{name}{modifier}:")


@pytest.mark.parametrize("value", ["9999", "le9999-12-31T23:59Z", "gt0001", "lt0001-01-01T00:00Z"])
def test_edge_dates_reach_the_database(fhir, value):
    assert fhir(f"Practitioner?_lastUpdated={value}").status == 200
    assert fhir(f"Location?_lastUpdated={value}").status == 200
