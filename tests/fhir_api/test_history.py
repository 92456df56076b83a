"""Versions and what left the listing: the NPI as an identifier a client can search by, the
version job recording a version whenever what a client sees changes, vread and _history
(instance and type, with _since and paging), 410 for every resource that left, and the
`deleted` list of a `_since` export. Driven through fhirpy where a client library can."""

from __future__ import annotations

import datetime
import json
import urllib.request

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from fhir_api.history import versions_record
from tests.fhir_api.conftest import NOW, TODAY, clinic, fetch, validate
from tests.fhir_api.test_export import ASYNC, export_root, run_export_job  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"


def test_fhirpy_finds_a_practitioner_by_npi(live_server):
    clinic("jun-chen", 37.77, -122.41, npi="1234567893")
    clinic("lan-nguyen", 37.78, -122.42)
    client = SyncFHIRClient(f"{live_server.url}/fhir")
    found = client.resources("Practitioner").search(identifier=f"{NPI_SYSTEM}|1234567893")
    (only,) = found.fetch_all()
    assert only.id == "jun-chen"
    npi = next(
        dict(identifier) for identifier in only.identifier if identifier.system == NPI_SYSTEM
    )
    assert npi["value"] == "1234567893" and npi["extension"][0]["valueCode"] == "active"
    assert client.resources("Practitioner").search(identifier="1234567893").count() == 1
    assert client.resources("Practitioner").search(identifier=f"{NPI_SYSTEM}|jun-chen").count() == 0


def test_history_vread_and_tombstones(fhir, time_machine):
    practitioner, _ = clinic("jun-chen", 37.77, -122.41)
    clinic("lan-nguyen", 37.78, -122.42)
    first = fhir("Practitioner/jun-chen").body
    # Two of each type, the directory's own Endpoint (no clinic has a booking page) and
    # the board that licensed both, an issuer Organization.
    assert versions_record().new == 14

    time_machine.move_to(NOW + datetime.timedelta(hours=1), tick=False)
    practitioner.first_name = "Junior"
    practitioner.save()
    second = fhir("Practitioner/jun-chen").body
    assert second["meta"]["versionId"] != first["meta"]["versionId"]
    # Before the job runs again, the new version is already readable and heads the history.
    assert fhir(f"Practitioner/jun-chen/_history/{second['meta']['versionId']}").body == second
    report = versions_record()
    assert (report.changed, report.unchanged) == (4, 10), report

    old = fhir(f"Practitioner/jun-chen/_history/{first['meta']['versionId']}")
    assert old.status == 200 and old.body == first
    assert fhir("Practitioner/jun-chen/_history/0000000000000000").status == 404
    instance = fhir("Practitioner/jun-chen/_history").body
    check_history(instance)
    assert [e["resource"]["meta"]["versionId"] for e in instance["entry"]] == [
        second["meta"]["versionId"],
        first["meta"]["versionId"],
    ]
    assert instance["total"] == 2

    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    practitioner.published = False
    practitioner.save()
    assert versions_record().left == 6
    for path in ["Practitioner/jun-chen", f"Location/{role_id(fhir)}"]:
        assert fhir(path).status == 410
    instance = fhir("Practitioner/jun-chen/_history").body
    check_history(instance)
    assert [e["request"]["method"] for e in instance["entry"]] == ["DELETE", "PUT", "PUT"]

    since = (NOW + datetime.timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    pages, url = [], f"Practitioner/_history?_since={since}&_count=1"
    while url:
        page = fhir(url).body
        check_history(page)
        pages.append(page)
        links = {link["relation"]: link["url"] for link in page["link"]}
        url = links["next"].split("/fhir/", 1)[1] if "next" in links else ""
    methods = [entry["request"]["method"] for page in pages for entry in page["entry"]]
    assert methods == ["DELETE", "PUT"]  # the tombstone, then the renamed version
    assert pages[-1]["total"] == 2


def role_id(fhir) -> str:
    """The id of jun-chen's clinic, from the recorded history of Location."""
    page = fhir("Location/_history?_count=50").body
    return next(
        entry["request"]["url"].split("/")[1]
        for entry in page["entry"]
        if entry["request"]["url"].startswith("Location/jun-chen-")
    )


def check_history(bundle: dict) -> None:
    """A history Bundle both independent models accept."""
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "history"
    validate(bundle)


def test_a_since_export_lists_who_left_and_fhirpy_reads_410(live_server, export_root):  # noqa: F811
    practitioner, _ = clinic("jun-chen", 37.77, -122.41)
    clinic("lan-nguyen", 37.78, -122.42)
    versions_record()
    practitioner.published = False
    practitioner.save()

    base = f"{live_server.url}/fhir/"
    since = f"{TODAY.isoformat()}T00:00:00Z"
    kick_off = fetch(
        f"{base}$export?_type=Practitioner,PractitionerRole&_since={since}", headers=ASYNC
    )
    run_export_job(export_root)
    manifest = fetch(kick_off.headers["content-location"]).body
    (deleted,) = manifest["deleted"]
    assert deleted["type"] == "Bundle" and deleted["count"] == 2
    with urllib.request.urlopen(deleted["url"]) as response:
        bundles = [json.loads(line) for line in response.read().decode().splitlines()]
    requests = []
    for bundle in bundles:
        validate(bundle)
        assert bundle["type"] == "transaction"
        requests += [entry["request"] for entry in bundle["entry"]]
    assert requests[0] == {"method": "DELETE", "url": "Practitioner/jun-chen"}
    assert requests[1]["method"] == "DELETE"
    assert requests[1]["url"].startswith("PractitionerRole/jun-chen-")

    client = SyncFHIRClient(base.rstrip("/"))
    with pytest.raises((OperationOutcome, ResourceNotFound)) as raised:
        client.reference("Practitioner", "jun-chen").to_resource()
    assert "no longer listed" in str(raised.value)
    assert fetch(f"{base}{requests[1]['url']}").status == 410
