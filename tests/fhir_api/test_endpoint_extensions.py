"""NDH's connection-type-version and access-control-mechanism extensions, which only the
directory's own FHIR base (`Endpoint/meridian-fhir`, R4 4.0.1, public) carries: found by
`Endpoint?connection-type-version=` and `Endpoint?access-control-mechanism=`, with or
without the system and with `:text`; a clinic's booking page carries neither, so never
matches them."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import search, validate

pytestmark = pytest.mark.django_db(transaction=True)

NDH = "http://hl7.org/fhir/us/ndh"
VERSION_EXTENSION = f"{NDH}/StructureDefinition/base-ext-endpoint-connection-type-version"
ACCESS_EXTENSION = f"{NDH}/StructureDefinition/base-ext-endpointAccessControlMechanism"
FHIR_VERSION_CS = "http://hl7.org/fhir/FHIR-version"
ACCESS_CS = f"{NDH}/CodeSystem/EndpointAccessControlMechanismCS"
STRICT = {"Prefer": "handling=strict"}


@pytest.fixture
def booking(fhir) -> str:
    """A listed practitioner's clinic with an online booking page: its Endpoint's id."""
    practitioner = PractitionerFactory(slug="jun-chen")
    LicenseFactory(practitioner=practitioner)
    LocationFactory(practitioner=practitioner, booking_url="https://book.example.org/jun-chen")
    (entry,) = search(fhir, "Endpoint?connection-type=rest-non-fhir")["entry"]
    assert entry["resource"]["id"].endswith("-booking")
    return entry["resource"]["id"]


def found(fhir, query: list[tuple[str, str]]) -> list[str]:
    """The ids an Endpoint search matches (strict handling), checked against its count."""
    encoded = urllib.parse.urlencode(query)
    bundle = search(fhir, f"Endpoint?{encoded}")
    ids = sorted(entry["resource"]["id"] for entry in bundle.get("entry", []))
    assert bundle["total"] == len(ids)
    assert fhir(f"Endpoint?{encoded}&_summary=count").body["total"] == len(ids)
    assert fhir(f"Endpoint?{encoded}", headers=STRICT).status == 200
    return ids


def extensions(resource: dict) -> dict[str, dict]:
    return {e["url"]: e["valueCodeableConcept"] for e in resource.get("extension", [])}


def test_only_the_directory_endpoint_carries_the_extensions(fhir, booking):
    own = fhir("Endpoint/meridian-fhir").body
    validate(own)
    assert extensions(own)[VERSION_EXTENSION] == {
        "coding": [{"system": FHIR_VERSION_CS, "code": "4.0.1", "display": "4.0.1"}]
    }
    assert extensions(own)[ACCESS_EXTENSION] == {
        "coding": [{"system": ACCESS_CS, "code": "public", "display": "Public"}]
    }

    endpoints = search(fhir, "Endpoint")
    by_id = {entry["resource"]["id"]: entry["resource"] for entry in endpoints["entry"]}
    assert sorted(by_id) == sorted(["meridian-fhir", booking])
    assert fhir("Endpoint?_summary=count").body["total"] == 2  # the directory's too
    assert by_id["meridian-fhir"] == own
    assert VERSION_EXTENSION not in extensions(by_id[booking])
    assert ACCESS_EXTENSION not in extensions(by_id[booking])
    assert fhir("metadata").body["fhirVersion"] == "4.0.1"  # the version the extension states


@pytest.mark.parametrize(
    ("name", "system", "code", "display_word"),
    [
        ("connection-type-version", FHIR_VERSION_CS, "4.0.1", "4.0"),
        ("access-control-mechanism", ACCESS_CS, "public", "PUBLIC"),
    ],
)
def test_the_directory_endpoint_is_found_by_its_extension(
    fhir, booking, name, system, code, display_word
):
    assert found(fhir, [(name, code)]) == ["meridian-fhir"]
    assert found(fhir, [(name, f"{system}|{code}")]) == ["meridian-fhir"]
    assert found(fhir, [(name, f"|{code}")]) == ["meridian-fhir"]
    assert found(fhir, [(name, f"other,{code}")]) == ["meridian-fhir"]
    assert found(fhir, [(name, code), ("status", "active")]) == ["meridian-fhir"]
    assert found(fhir, [(name, code), ("_id", "meridian-fhir")]) == ["meridian-fhir"]
    assert found(fhir, [(f"{name}:text", display_word)]) == ["meridian-fhir"]

    # Another code, the code under another system, or the booking page: nothing.
    other = "3.0.2" if code == "4.0.1" else "SMART-on-FHIR"
    assert found(fhir, [(name, other)]) == []
    assert found(fhir, [(name, f"{system}|{other}")]) == []
    assert found(fhir, [(name, f"http://example.org/other|{code}")]) == []
    assert found(fhir, [(name, code), (name, other)]) == []  # both must hold
    assert found(fhir, [(name, code), ("connection-type", "rest-non-fhir")]) == []
    assert found(fhir, [(name, code), ("_id", booking)]) == []
    assert found(fhir, [(f"{name}:text", "oauth")]) == []


@pytest.mark.parametrize("name", ["connection-type-version", "access-control-mechanism"])
def test_not_is_refused_as_for_the_other_token_parameters(fhir, booking, name):
    for parameter in (name, "connection-type"):
        answer = fhir(f"Endpoint?{parameter}:not=x")
        assert answer.status == 400
        assert answer.body["issue"][0]["code"] == "not-supported"
        assert ":not" in answer.diagnostics()


@pytest.mark.parametrize("name", ["connection-type-version", "access-control-mechanism"])
def test_in_a_filter_only_the_directory_endpoint_has_the_extension(fhir, booking, name):
    code = "4.0.1" if name == "connection-type-version" else "public"
    assert found(fhir, [("_filter", f"{name} eq {code}")]) == ["meridian-fhir"]
    assert found(fhir, [("_filter", f"{name} ne {code}")]) == [booking]
    assert found(fhir, [("_filter", f"not({name} eq {code}) and status eq active")]) == [booking]
    both = f"{name} eq {code} or connection-type eq rest-non-fhir"
    assert found(fhir, [("_filter", both)]) == sorted([booking, "meridian-fhir"])


def test_a_filter_over_what_the_directory_endpoint_answers(fhir, booking):
    day = fhir("Endpoint/meridian-fhir").body["meta"]["lastUpdated"][:10]
    assert found(fhir, [("_filter", f"_id eq meridian-fhir and _lastUpdated ge {day}")]) == [
        "meridian-fhir"
    ]
    assert found(fhir, [("_filter", f"_id eq meridian-fhir and _lastUpdated sa {day}")]) == []
    assert found(fhir, [("_filter", "connection-type eq hl7-fhir-rest")]) == ["meridian-fhir"]
    # A parameter it cannot be told apart by leaves it out, even negated.
    assert found(fhir, [("_filter", "not(organization eq Organization/nobody)")]) == [booking]


def test_the_capability_statement_declares_both(fhir):
    metadata = fhir("metadata").body
    validate(metadata)
    (endpoint,) = [r for r in metadata["rest"][0]["resource"] if r["type"] == "Endpoint"]
    declared = {p["name"]: p["type"] for p in endpoint["searchParam"]}
    assert declared["connection-type-version"] == "token"
    assert declared["access-control-mechanism"] == "token"


def test_the_directory_endpoints_connection_type_is_matched_with_its_system(fhir, booking):
    own = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type"
    assert found(fhir, [("connection-type", "hl7-fhir-rest")]) == ["meridian-fhir"]
    assert found(fhir, [("connection-type", f"{own}|hl7-fhir-rest")]) == ["meridian-fhir"]
    assert found(fhir, [("connection-type", "http://example.org/other|hl7-fhir-rest")]) == []


def test_the_directory_endpoint_answers_last_updated_by_its_own_date(fhir, booking):
    own = fhir("Endpoint/meridian-fhir").body["meta"]["lastUpdated"]
    day = own[:10]
    assert found(fhir, [("_id", "meridian-fhir"), ("_lastUpdated", day)]) == ["meridian-fhir"]
    assert found(fhir, [("_id", "meridian-fhir"), ("_lastUpdated", f"ge{day}")]) == [
        "meridian-fhir"
    ]
    assert found(fhir, [("_id", "meridian-fhir"), ("_lastUpdated", f"lt{day}")]) == []
    assert found(fhir, [("_id", "meridian-fhir"), ("_lastUpdated", f"gt{day}")]) == []
    # Either value of a list; every repeated parameter.
    either = f"lt{day},le{day}"
    assert found(fhir, [("_id", "meridian-fhir"), ("_lastUpdated", either)]) == ["meridian-fhir"]
    both = [("_lastUpdated", f"ge{day}"), ("_lastUpdated", f"lt{day}")]
    assert found(fhir, [("_id", "meridian-fhir"), *both]) == []
