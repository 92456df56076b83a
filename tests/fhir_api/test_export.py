"""Bulk export end to end: kick-off over HTTP, the export job in its own process as the
scheduler runs it, status polling, NDJSON files whose every line validates, cancel, _since, and
the rate limit on kick-offs."""

from __future__ import annotations

import datetime
import io
import json
import urllib.request

import pytest

from tests.factories import CertificationFactory
from tests.fhir_api.conftest import NOW, TODAY, clinic, fetch, validate
from tests.ops import processes

pytestmark = pytest.mark.django_db(transaction=True)

ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


@pytest.fixture
def export_root(settings, tmp_path):
    settings.FHIR_EXPORT_ROOT = tmp_path
    return tmp_path


def run_export_job(export_root) -> None:
    """The export job in a process of its own, as the scheduler starts it (`manage.py
    fhir_export`; tests/ops/test_jobs.py runs it through run_jobs), on the suite's today,
    which the licenses in force are dated from: the job's process would otherwise keep the
    machine's clock."""
    result = processes.run(
        "-m",
        "tests.ops.on_test_today",
        "manage.py",
        "fhir_export",
        FHIR_EXPORT_ROOT=str(export_root),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.process  # the export job runs in a process of its own
def test_export_is_queued_written_by_the_job_and_served_as_ndjson(fhir, export_root):
    chen, _ = clinic("mei-chen", 37.77, -122.41)
    CertificationFactory(practitioner=chen)
    clinic("lan-nguyen", 37.78, -122.42)

    refused = fhir("$export")
    assert refused.status == 400 and "respond-async" in refused.diagnostics()
    kick_off = fhir("$export?_type=Practitioner,VerificationResult,Location", headers=ASYNC)
    assert kick_off.status == 202
    status_url = kick_off.headers["content-location"]
    assert "/fhir/$export-status/" in status_url

    waiting = fetch(status_url)
    assert waiting.status == 202 and waiting.headers["x-progress"] == "queued"
    assert list(export_root.iterdir()) == []  # nothing is written inside the request

    run_export_job(export_root)

    done = fetch(status_url)
    assert done.status == 200
    manifest = done.body
    assert manifest["requiresAccessToken"] is False
    assert manifest["request"].endswith(
        "/fhir/$export?_type=Practitioner,VerificationResult,Location"
    )
    counts = {output["type"]: output["count"] for output in manifest["output"]}
    assert counts == {"Practitioner": 2, "VerificationResult": 3, "Location": 2}
    for output in manifest["output"]:
        with urllib.request.urlopen(output["url"]) as response:
            assert response.headers["Content-Type"] == "application/fhir+ndjson"
            lines = response.read().decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == output["type"]
            validate(resource)

    assert fetch(status_url, method="DELETE").status == 202
    assert fetch(status_url).status == 404
    assert fetch(manifest["output"][0]["url"]).status == 404


@pytest.mark.process  # the export job runs in a process of its own
def test_export_since_and_cancel_before_it_runs(fhir, export_root, time_machine):
    clinic("old", 37.77, -122.41)
    later = TODAY + datetime.timedelta(days=5)
    time_machine.move_to(datetime.datetime.combine(later, NOW.timetz()), tick=False)
    clinic("new", 37.77, -122.41)

    between = TODAY + datetime.timedelta(days=3)
    since = fhir(f"$export?_type=Practitioner&_since={between}T00:00:00Z", headers=ASYNC)
    cancelled = fhir("$export", headers=ASYNC)
    assert fetch(cancelled.headers["content-location"], method="DELETE").status == 202
    run_export_job(export_root)

    manifest = fetch(since.headers["content-location"]).body
    (output,) = manifest["output"]
    with urllib.request.urlopen(output["url"]) as response:
        (line,) = response.read().decode().splitlines()
    assert json.loads(line)["id"] == "new"
    assert fetch(cancelled.headers["content-location"]).status == 404
    assert sorted(path.name for path in export_root.iterdir()) == [
        since.headers["content-location"].rsplit("/", 1)[1]
    ]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("_type=Patient", "_type"),
        ("_since=yesterday", "_since"),
        ("_since=gt2026-01-01", "_since"),
        ("_outputFormat=text/csv", "_outputFormat"),
        ("_typeFilter=Practitioner%3Fname%3Dx", "_typeFilter"),
    ],
)
def test_bad_export_parameters_answer_400(fhir, export_root, query, parameter):
    answer = fhir(f"$export?{query}", headers=ASYNC)
    assert answer.status == 400
    validate(answer.body)
    assert answer.diagnostics().startswith(f"{parameter}:")


def test_export_kick_offs_are_rate_limited(fhir, export_root, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "fhir_export": "2/hour"}
    assert [fhir("$export", headers=ASYNC).status for _ in range(3)] == [202, 202, 429]
    assert fhir("Practitioner").status == 200  # searches have their own limit


def test_finished_exports_are_deleted_after_the_configured_hours(
    export_root, settings, time_machine
):
    from django.core.management import call_command

    from fhir_api.export import export_directory
    from fhir_api.models import Export, ExportStatus

    settings.FHIR_EXPORT_KEEP_HOURS = 2
    old, recent = (
        Export.objects.create(
            types=["Practitioner"],
            request_url="http://testserver/fhir/$export",
            status=ExportStatus.COMPLETE,
            finished_at=NOW - datetime.timedelta(hours=hours),
        )
        for hours in (3, 1)
    )
    for export in (old, recent):
        export_directory(export).mkdir(parents=True)
        (export_directory(export) / "Practitioner.ndjson").write_text("{}\n")

    output = io.StringIO()
    call_command("fhir_export", stdout=output)
    assert output.getvalue() == "Wrote 0 export(s); 0 cancelled, 1 expired deleted.\n"

    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]
    assert [path.name for path in export_root.iterdir()] == [str(recent.pk)]
