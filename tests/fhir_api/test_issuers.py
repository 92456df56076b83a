"""Licensing authorities and certifying bodies are Organizations a practitioner's
qualification refers to: read, searched among the practices, and linked both ways by
qualification-issuer, from the rulebook only (fhir_api.issuers)."""

from __future__ import annotations

import datetime
import urllib.parse

import pytest

from fhir_api.history import versions_record
from fhir_api.issuers import ISSUERS_SINCE
from fhir_api.resources import resource_batches
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
)
from tests.fhir_api.conftest import TODAY, page_to_end, search, validate

pytestmark = pytest.mark.django_db(transaction=True)

ISSUERS = {"certifying-nccaom", "licensing-us-ca", "licensing-us-ny"}


@pytest.fixture
def board():
    """Three practitioners licensed in California, one in New York; one NCCAOM certification
    in force, one expired, one from a body outside the vocabulary; a clinic each, in the
    state of the license (the listing rule)."""
    ana = PractitionerFactory(slug="ana")
    LicenseFactory(practitioner=ana)
    CertificationFactory(practitioner=ana)
    ben = PractitionerFactory(slug="ben")
    LicenseFactory(practitioner=ben, region="NY")
    cy = PractitionerFactory(slug="cy")
    LicenseFactory(practitioner=cy)
    CertificationFactory(practitioner=cy, expires_on=TODAY - datetime.timedelta(days=1))
    dee = PractitionerFactory(slug="dee")
    LicenseFactory(practitioner=dee)
    CertificationFactory(practitioner=dee, body="Herbal Board")
    for practitioner, name in [(ana, "Mission Clinic"), (cy, "Bay Clinic"), (dee, "Sunset Clinic")]:
        LocationFactory(practitioner=practitioner, clinic_name=name)
    LocationFactory(practitioner=ben, clinic_name="Hudson Clinic", city="Albany", region="NY")


def ids(bundle: dict, mode: str = "match", kind: str = "") -> set[str]:
    return {
        entry["resource"]["id"]
        for entry in bundle.get("entry", [])
        if entry["search"]["mode"] == mode
        and (not kind or entry["resource"]["resourceType"] == kind)
    }


def test_an_issuer_is_read_with_the_name_and_look_up_the_site_shows(fhir, board):
    california = fhir("Organization/licensing-us-ca").body
    validate(california)
    assert california["name"] == "California Acupuncture Board (DCA license search)"
    assert california["telecom"] == [
        {"system": "url", "value": "https://search.dca.ca.gov/", "use": "work"}
    ]
    assert california["address"] == [{"state": "CA", "country": "US"}]
    assert california["type"][0]["coding"][0]["code"] == "other"
    assert california["meta"]["profile"] == [
        "http://hl7.org/fhir/us/ndh/StructureDefinition/ndh-ndapi-Organization"
    ]
    nccaom = fhir("Organization/certifying-nccaom").body
    validate(nccaom)
    assert nccaom["name"].startswith("NCCAOM (National Certification Commission")
    assert "address" not in nccaom
    # A known board no listed practitioner holds a license from is not listed.
    assert fhir("Organization/licensing-us-al").status == 404
    assert fhir("Organization/certifying-aborm").status == 404


def test_a_qualification_refers_to_its_issuer_where_one_is_published(fhir, board):
    dee = fhir("Practitioner/dee").body
    validate(dee)
    issuers = {q["code"]["text"]: q["issuer"] for q in dee["qualification"]}
    assert issuers["L.Ac. license (California, United States)"] == {
        "reference": "Organization/licensing-us-ca",
        "display": "California Acupuncture Board (DCA license search)",
    }
    assert issuers["Herbal Board Dipl. Ac."] == {"display": "Herbal Board"}


def test_qualification_issuer_finds_the_holders_of_credentials_in_force(fhir, board):
    def holders(issuer: str) -> set[str]:
        return ids(search(fhir, f"Practitioner?qualification-issuer=Organization/{issuer}"))

    assert holders("licensing-us-ca") == {"ana", "cy", "dee"}
    assert holders("licensing-us-ny") == {"ben"}
    assert holders("certifying-nccaom") == {"ana"}  # cy's has expired
    assert holders("licensing-us-al") == set()
    both = "Organization/licensing-us-ny,Organization/certifying-nccaom"
    assert ids(search(fhir, f"Practitioner?qualification-issuer={both}")) == {"ana", "ben"}
    assert fhir("Practitioner?qualification-issuer=Location/licensing-us-ca").status == 400


def test_include_brings_the_issuers_of_the_page(fhir, board):
    bundle = search(fhir, "Practitioner?_id=ana,ben&_include=Practitioner:qualification-issuer")
    assert ids(bundle) == {"ana", "ben"}
    assert ids(bundle, "include", "Organization") == ISSUERS


def test_revinclude_is_bounded_and_says_where_the_rest_are(fhir, board):
    query = "Organization?_id=licensing-us-ca&_revinclude=Practitioner:qualification-issuer"
    everyone = search(fhir, query)
    assert ids(everyone) == {"licensing-us-ca"}
    assert ids(everyone, "include", "Practitioner") == {"ana", "cy", "dee"}
    assert not [e for e in everyone["entry"] if e["search"]["mode"] == "outcome"]

    cut = search(fhir, query + "&_count=2")
    assert len(ids(cut, "include", "Practitioner")) == 2
    outcomes = [e["resource"] for e in cut["entry"] if e["search"]["mode"] == "outcome"]
    assert len(outcomes) == 1
    assert outcomes[0]["issue"][0]["severity"] == "information"
    assert (
        "Practitioner?qualification-issuer=Organization/licensing-us-ca"
        in outcomes[0]["issue"][0]["diagnostics"]
    )


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_organizations_page_through_issuers_then_practices(fhir, board, count):
    total = search(fhir, "Organization?_count=0")["total"]
    seen, page = page_to_end(fhir, f"Organization?_count={count}")
    assert len(seen) == len(set(seen)) == total == 7
    assert set(seen) >= ISSUERS
    assert page["total"] == total


def test_issuers_answer_name_type_and_place(fhir, board):
    def found(query: str) -> set[str]:
        return ids(search(fhir, f"Organization?{query}"))

    assert found("name=california") == {"licensing-us-ca"}
    assert found("name:contains=acupuncture") == {"licensing-us-ca", "certifying-nccaom"}
    assert found("name:exact=california") == set()
    other = urllib.parse.quote("http://terminology.hl7.org/CodeSystem/organization-type|other")
    assert found(f"type={other}") == ISSUERS
    assert found("type=prov") & ISSUERS == set()
    assert found("address-state=NY") & ISSUERS == {"licensing-us-ny"}
    assert found("address-country=US") & ISSUERS == {"licensing-us-ca", "licensing-us-ny"}
    assert found("_id=certifying-nccaom,licensing-us-ny") == {
        "certifying-nccaom",
        "licensing-us-ny",
    }
    assert found("_lastUpdated=ge2000-01-01") >= ISSUERS
    assert found("_lastUpdated=lt2000-01-01") == set()
    assert search(fhir, "Organization?type=other&_count=0")["total"] == 3


def test_a_parameter_issuers_cannot_answer_leaves_them_out(fhir, board):
    clinics = ids(search(fhir, "Organization?address-city=San"))
    assert len(clinics) == 3
    assert clinics & ISSUERS == set()
    either = 'name co "clinic" or address-city sw "San"'
    filtered = ids(search(fhir, "Organization?_filter=" + urllib.parse.quote(either)))
    assert filtered & ISSUERS == set()
    assert len(filtered) == 4


def test_a_filter_over_what_issuers_answer_is_evaluated_on_them(fhir, board):
    def filtered(expression: str) -> set[str]:
        found = search(fhir, "Organization?_filter=" + urllib.parse.quote(expression))
        return ids(found) & ISSUERS

    assert filtered('name sw "california" or _id eq certifying-nccaom') == {
        "licensing-us-ca",
        "certifying-nccaom",
    }
    assert filtered("type eq other and not(address-state eq NY)") == {
        "licensing-us-ca",
        "certifying-nccaom",
    }
    assert filtered("address-country ne US") == {"certifying-nccaom"}
    assert filtered('name co "acupuncture" and _lastUpdated lt 2000-01-01') == set()
    total = search(fhir, "Organization?_count=0&_filter=" + urllib.parse.quote("type eq other"))
    assert total["total"] == 3


def test_issuers_have_versions_like_every_published_organization(fhir, board):
    versions_record()
    current = fhir("Organization/licensing-us-ny").body
    again = fhir(f"Organization/licensing-us-ny/_history/{current['meta']['versionId']}")
    assert again.status == 200
    assert again.body == current
    history = search(fhir, "Organization/_history")
    assert {entry["resource"]["id"] for entry in history["entry"]} >= ISSUERS


def test_the_export_writes_issuers_with_the_practices(board):
    def exported(**since) -> set[str]:
        return {r["id"] for batch in resource_batches("Organization", **since) for r in batch}

    assert exported() >= ISSUERS
    assert exported(since=ISSUERS_SINCE) >= ISSUERS
    later = ISSUERS_SINCE + datetime.timedelta(seconds=1)
    assert exported(since=later) & ISSUERS == set()
