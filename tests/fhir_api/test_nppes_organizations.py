"""Organisations from NPPES (entity type 2 with an acupuncture taxonomy) are Organizations:
read by `npi-<NPI>`, gone (410) once deactivated and the version job has run, versioned,
searched as the third part of an Organization search (after the issuers and the practices),
paged to the end, counted, and exported."""

from __future__ import annotations

import datetime
import io
import json
import urllib.parse

import pytest
from django.core.management import call_command

from credentialing.npi import with_check_digit
from directory.models import NppesOrganisation
from fhir_api.history import versions_record
from fhir_api.resources import resource_batches
from tests.factories import NppesOrganisationFactory
from tests.fhir_api.conftest import NOW, TODAY, clinic, fetch, page_to_end, search, validate

pytestmark = pytest.mark.django_db(transaction=True)

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NEEDLE = with_check_digit("160000101")
LOTUS = with_check_digit("160000102")
GONE = with_check_digit("160000103")
MASSAGE = with_check_digit("160000104")
ISSUER = "licensing-us-ca"


@pytest.fixture
def directory():
    """Two listed practitioners with a clinic each in California (two practices and the
    California licensing authority); two published NPPES organisations, one whose NPI is
    deactivated and one that no longer holds the acupuncture taxonomy."""
    clinic("ana", 37.77, -122.41)
    clinic("ben", 37.78, -122.42)
    NppesOrganisationFactory(npi=NEEDLE, legal_name="GOLDEN NEEDLE ACUPUNCTURE, INC.")
    NppesOrganisationFactory(
        npi=LOTUS,
        legal_name="LÓTUS HEALTH LLC",
        address_line_1="1 MAIN ST",
        address_line_2="",
        city="Portland",
        region="OR",
        postal_code="97204",
        phone="",
    )
    NppesOrganisationFactory(npi=GONE, deactivated_on=TODAY - datetime.timedelta(days=3))
    NppesOrganisationFactory(npi=MASSAGE, taxonomy_codes=[])


def ids(bundle: dict) -> set[str]:
    return {entry["resource"]["id"] for entry in bundle.get("entry", [])}


def nppes_ids(bundle: dict) -> set[str]:
    return {found for found in ids(bundle) if found.startswith("npi-")}


def test_an_nppes_organisation_is_read_as_nppes_describes_it(fhir, directory):
    answer = fhir(f"Organization/npi-{NEEDLE}")
    assert answer.status == 200
    resource = answer.body
    validate(resource)
    assert resource["meta"].pop("versionId")
    assert resource == {
        "resourceType": "Organization",
        "id": f"npi-{NEEDLE}",
        "meta": {
            "lastUpdated": NOW.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "profile": ["http://hl7.org/fhir/us/ndh/StructureDefinition/ndh-ndapi-Organization"],
        },
        "extension": [
            {
                "url": "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status",
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/us/ndh/CodeSystem/NdhVerificationStatusCS",
                            "code": "incomplete",
                            "display": "Incomplete",
                        }
                    ]
                },
            }
        ],
        "identifier": [
            {
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-identifier-status",
                        "valueCode": "active",
                    }
                ],
                "use": "official",
                "system": NPI_SYSTEM,
                "value": NEEDLE,
            }
        ],
        "active": True,
        "type": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/organization-type",
                        "code": "prov",
                        "display": "Healthcare Provider",
                    }
                ]
            }
        ],
        "name": "GOLDEN NEEDLE ACUPUNCTURE, INC.",
        "telecom": [{"system": "phone", "value": "510-555-0100", "use": "work"}],
        "address": [
            {
                "use": "work",
                "type": "physical",
                "line": ["410 14TH ST", "SUITE 200"],
                "city": "Oakland",
                "state": "CA",
                "postalCode": "94612-1234",
                "country": "US",
            }
        ],
    }
    lotus = fhir(f"Organization/npi-{LOTUS}").body
    assert "telecom" not in lotus and "partOf" not in lotus
    assert lotus["address"][0]["line"] == ["1 MAIN ST"]


def test_an_organisation_not_published_is_not_found(fhir, directory):
    for npi in (GONE, MASSAGE, with_check_digit("160000199")):
        assert fhir(f"Organization/npi-{npi}").status == 404
    assert fhir("Organization/npi-12345").status == 404


def test_a_deactivated_organisation_is_gone_once_the_version_job_has_run(fhir, directory):
    versions_record()
    current = fhir(f"Organization/npi-{NEEDLE}").body
    version = current["meta"]["versionId"]
    again = fhir(f"Organization/npi-{NEEDLE}/_history/{version}")
    assert (again.status, again.body) == (200, current)

    NppesOrganisation.objects.filter(npi=NEEDLE).update(deactivated_on=TODAY)
    assert fhir(f"Organization/npi-{NEEDLE}").status == 404  # until the job has run
    versions_record()
    assert fhir(f"Organization/npi-{NEEDLE}").status == 410
    assert fhir(f"Organization/npi-{NEEDLE}/_history/{version}").body == current
    history = search(fhir, f"Organization/npi-{NEEDLE}/_history")
    assert [entry["request"]["method"] for entry in history["entry"]] == ["DELETE", "PUT"]
    assert f"npi-{NEEDLE}" not in ids(search(fhir, "Organization?_count=50"))


def test_identifier_finds_the_npi_and_only_nppes_organisations_have_one(fhir, directory):
    def found(value: str) -> set[str]:
        return ids(search(fhir, "Organization?identifier=" + urllib.parse.quote(value)))

    assert found(f"{NPI_SYSTEM}|{NEEDLE}") == {f"npi-{NEEDLE}"}
    assert found(NEEDLE) == {f"npi-{NEEDLE}"}
    assert found(f"{NEEDLE},{LOTUS}") == {f"npi-{NEEDLE}", f"npi-{LOTUS}"}
    assert found(f"http://example.org/other|{NEEDLE}") == set()
    assert found(GONE) == set()
    assert found("licensing-us-ca") == set()
    not_needle = urllib.parse.quote(f"identifier ne {NEEDLE}")
    others = ids(search(fhir, f"Organization?_filter={not_needle}&_count=50"))
    assert f"npi-{NEEDLE}" not in others and {f"npi-{LOTUS}", ISSUER} <= others
    assert len(others) == 4  # the other NPPES organisation, two practices, the issuer


def test_name_address_and_the_other_parameters_reach_nppes_organisations(fhir, directory):
    def found(query: str) -> set[str]:
        return nppes_ids(search(fhir, f"Organization?{query}&_count=50"))

    both = {f"npi-{NEEDLE}", f"npi-{LOTUS}"}
    assert found("name=golden") == {f"npi-{NEEDLE}"}
    assert found("name=lotus") == {f"npi-{LOTUS}"}  # accents ignored
    assert found("name:contains=needle") == {f"npi-{NEEDLE}"}
    assert found("name:exact=GOLDEN%20NEEDLE%20ACUPUNCTURE,%20INC.") == set()  # a comma: two
    assert found("name:exact=" + urllib.parse.quote("LÓTUS HEALTH LLC")) == {f"npi-{LOTUS}"}
    assert found("address-city=port") == {f"npi-{LOTUS}"}
    assert found("address-state=CA") == {f"npi-{NEEDLE}"}
    assert found("address-postalcode=946") == {f"npi-{NEEDLE}"}
    assert found("address=suite") == {f"npi-{NEEDLE}"}
    assert found("address-country=US&address-use=work") == both
    assert found(f"_id=npi-{LOTUS},{ISSUER}") == {f"npi-{LOTUS}"}
    assert found("type=prov&active=true&verification-status=incomplete") == both
    assert found("type=other") == set()
    assert found("_lastUpdated=ge2000-01-01") == both
    assert found("_lastUpdated=lt2000-01-01") == set()
    assert found("endpoint=Endpoint/x-booking") == set()  # they cannot answer it: left out
    either = urllib.parse.quote('name sw "golden" or address-state eq OR')
    assert found(f"_filter={either}") == both
    assert found("_filter=" + urllib.parse.quote("not(address-state eq OR)")) == {f"npi-{NEEDLE}"}
    assert found("_filter=" + urllib.parse.quote("endpoint eq Endpoint/x-booking")) == set()


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_an_organization_search_pages_through_issuers_practices_and_nppes(fhir, directory, count):
    total = search(fhir, "Organization?_summary=count")["total"]
    seen, page = page_to_end(fhir, f"Organization?_count={count}")
    assert len(seen) == len(set(seen)) == total == 5
    assert seen[0] == ISSUER and seen[-2:] == [f"npi-{NEEDLE}", f"npi-{LOTUS}"]
    assert page["total"] == total
    assert search(fhir, "Organization?_count=0&name=golden")["total"] == 1


def test_includes_that_target_organization_leave_nppes_organisations_alone(fhir, directory):
    query = (
        "Organization?_revinclude=PractitionerRole:organization&_revinclude=Location:organization"
    )
    bundle = search(fhir, query + "&_include=Organization:endpoint&_count=50")
    matches = [e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    assert {f"npi-{NEEDLE}", f"npi-{LOTUS}"} <= set(matches)
    qualified = search(fhir, "Organization?_revinclude=Practitioner:qualification-issuer")
    assert {f"npi-{NEEDLE}", f"npi-{LOTUS}"} <= ids(qualified)


def test_the_capability_statement_describes_the_identifier_search(fhir, directory):
    statement = fhir("metadata").body
    [organization] = [r for r in statement["rest"][0]["resource"] if r["type"] == "Organization"]
    parameters = {p["name"]: p for p in organization["searchParam"]}
    assert parameters["identifier"]["type"] == "token"
    assert NPI_SYSTEM in parameters["identifier"]["documentation"]


def test_the_export_writes_published_nppes_organisations(fhir, directory, settings, tmp_path):
    settings.FHIR_EXPORT_ROOT = tmp_path
    kick_off = fhir("$export?_type=Organization", headers={"Prefer": "respond-async"})
    assert kick_off.status == 202
    call_command("fhir_export", stdout=io.StringIO())
    manifest = fetch(kick_off.headers["content-location"]).body
    [output] = manifest["output"]
    lines = (tmp_path / _export_path(output["url"])).read_text().splitlines()
    exported = [json.loads(line) for line in lines]
    for resource in exported:
        validate(resource)
    found = {resource["id"] for resource in exported}
    assert found >= {f"npi-{NEEDLE}", f"npi-{LOTUS}", ISSUER}
    assert f"npi-{GONE}" not in found and f"npi-{MASSAGE}" not in found
    later = NOW + datetime.timedelta(seconds=1)
    since = {r["id"] for batch in resource_batches("Organization", since=later) for r in batch}
    assert not {f"npi-{NEEDLE}", f"npi-{LOTUS}"} & since


def _export_path(url: str) -> str:
    """The file's place under FHIR_EXPORT_ROOT: <export>/<type>.ndjson."""
    export, name = url.rsplit("/", 2)[-2:]
    return f"{export}/{name}"
