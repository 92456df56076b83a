"""The drop folder: `manage.py import_drop_folder` (run by `run_jobs`) imports the NPPES,
LEIE and roster files put in IMPORT_DROP_DIR, each once by its SHA-256; a refused file is
recorded as failed, changes nothing, and is not tried again until it changes."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from credentialing.models import CredentialStatus, License, VerificationEvent
from credentialing.npi import with_check_digit
from credentialing.source_models import ExclusionMatch, ImportedFile
from directory.models import Practitioner
from tests.factories import today
from tests.ops import processes
from tests.public_record.files import (
    ACUPUNCTURIST,
    leie_row,
    nppes_row,
    write_generic_roster,
    write_leie,
    write_nppes,
)

pytestmark = pytest.mark.django_db


MEI, OTHER = with_check_digit("100000001"), with_check_digit("100000009")


def run(folder) -> str:
    out = io.StringIO()
    call_command("import_drop_folder", folder=folder, stdout=out)
    return out.getvalue()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(folder):
    """One file of each kind: NPPES brings Mei Chen with a pending license, the board's
    roster then verifies it; the LEIE names someone else."""
    for name in ("nppes", "leie", "roster/generic-csv"):
        (folder / name).mkdir(parents=True)
    row = nppes_row(
        MEI,
        last="CHEN",
        first="MEI",
        city="SAN FRANCISCO",
        state="CA",
        postal="94110",
        slots={1: (ACUPUNCTURIST, "AC12345", "CA")},
    )
    expires = (today() + datetime.timedelta(days=400)).isoformat()
    return {
        "nppes": write_nppes(folder / "nppes", [row]),
        "leie": write_leie(folder / "leie", [leie_row(last="DOE", first="JOHN", npi=OTHER)]),
        "roster": write_generic_roster(
            folder / "roster" / "generic-csv",
            [["US-CA", "AC12345", "Chen", "Mei", "Active", "2015-03-01", expires, ""]],
        ),
    }


def test_each_kind_is_imported_once_and_known_files_are_skipped(tmp_path):
    files = fill(tmp_path)

    output = run(tmp_path).splitlines()

    assert [line.split(":")[0] for line in output[:3]] == [
        f"imported nppes/{files['nppes'].name}",
        "imported leie/UPDATED.csv",
        "imported roster/generic-csv/roster.csv",
    ]
    assert output[-1] == f"Drop folder {tmp_path}: 3 imported, 0 skipped, 0 failed."
    assert sorted(ImportedFile.objects.values_list("source", "name", "checksum", "failure")) == [
        ("exclusions", "UPDATED.csv", sha256(files["leie"]), ""),
        ("nppes", files["nppes"].name, sha256(files["nppes"]), ""),
        ("roster", "roster.csv", sha256(files["roster"]), ""),
    ]
    license = License.objects.get(practitioner=Practitioner.objects.get(npi=MEI))
    assert (license.number, license.status) == ("AC12345", CredentialStatus.VERIFIED)
    assert license.expires_on == today() + datetime.timedelta(days=400)
    events = VerificationEvent.objects.count()

    # Again, and the same roster under another name: nothing is read twice.
    shutil.copy(files["roster"], tmp_path / "roster" / "generic-csv" / "roster-copy.csv")
    output = run(tmp_path).splitlines()

    assert len(output) == 5
    assert all(line.startswith("skipped ") for line in output[:4])
    assert "roster-copy.csv: already imported on " in output[2]
    assert output[-1] == f"Drop folder {tmp_path}: 0 imported, 4 skipped, 0 failed."
    assert ImportedFile.objects.count() == 3
    assert VerificationEvent.objects.count() == events


def test_a_refused_file_is_recorded_changes_nothing_and_waits_until_it_changes(tmp_path):
    (tmp_path / "leie").mkdir()
    bad = tmp_path / "leie" / "UPDATED.csv"
    bad.write_text("this is not the exclusion list\n1,2,3\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"0 imported, 0 skipped, 1 failed\.$"):
        run(tmp_path)

    record = ImportedFile.objects.get()
    assert (record.source, record.name, record.checksum) == (
        "exclusions",
        "UPDATED.csv",
        sha256(bad),
    )
    assert record.failure.startswith("UPDATED.csv")
    assert record.file_date == today()
    assert not ExclusionMatch.objects.exists()

    assert "skipped leie/UPDATED.csv: already refused on " in run(tmp_path)  # not retried
    assert ImportedFile.objects.count() == 1

    write_leie(tmp_path / "leie", [leie_row(last="DOE", first="JOHN", npi=OTHER)])  # fixed
    assert "imported leie/UPDATED.csv: LEIE file of " in run(tmp_path)
    assert ImportedFile.objects.filter(failure="").count() == 1


def test_a_file_that_fails_is_recorded_once_and_the_files_after_it_are_imported(tmp_path):
    folder = tmp_path / "roster" / "generic-csv"
    folder.mkdir(parents=True)
    expires = (today() + datetime.timedelta(days=400)).isoformat()
    active = ["US-CA", "AC12345", "Chen", "Mei", "Active", "2015-03-01", expires]
    # A public action of 200,000 characters: more than Python's csv reader took by default.
    huge = write_generic_roster(folder, [[*active, "x" * 200_000]], name="1-roster.csv")
    write_generic_roster(folder, [[*active, ""]], name="2-roster.csv")

    with pytest.raises(CommandError, match=r"1 imported, 0 skipped, 1 failed\.$"):
        run(tmp_path)
    failed = ImportedFile.objects.get(checksum=sha256(huge))
    assert failed.failure == (
        "1-roster.csv: line 2: board action longer than 300 characters. Nothing was changed."
    )
    assert ImportedFile.objects.filter(name="2-roster.csv", failure="").count() == 1

    output = run(tmp_path).splitlines()
    assert output[0].startswith("skipped roster/generic-csv/1-roster.csv: already refused on ")
    assert output[-1] == f"Drop folder {tmp_path}: 0 imported, 2 skipped, 0 failed."
    assert ImportedFile.objects.count() == 2


def test_an_unknown_roster_layout_is_refused_like_a_bad_file(tmp_path):
    (tmp_path / "roster" / "no-such-board").mkdir(parents=True)
    (tmp_path / "roster" / "no-such-board" / "roster.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 failed"):
        run(tmp_path)
    assert "No roster layout “no-such-board”" in ImportedFile.objects.get().failure


def test_files_still_being_written_and_stray_files_are_left_alone(tmp_path):
    (tmp_path / "leie").mkdir()
    write_leie(tmp_path / "leie", [leie_row(last="DOE", npi=OTHER)], name="UPDATED.csv.part")
    write_leie(tmp_path / "leie", [leie_row(last="DOE", npi=OTHER)], name=".UPDATED.csv")
    write_leie(tmp_path, [leie_row(last="DOE", npi=OTHER)])  # not in a kind's folder
    (tmp_path / "roster").mkdir()
    (tmp_path / "roster" / "roster.csv").write_text("no layout folder\n", encoding="utf-8")

    assert run(tmp_path) == f"Drop folder {tmp_path}: 0 imported, 0 skipped, 0 failed.\n"
    assert not ImportedFile.objects.exists()


def test_the_folder_comes_from_the_setting_and_is_off_without_it(tmp_path, settings):
    settings.IMPORT_DROP_DIR = ""
    out = io.StringIO()
    call_command("import_drop_folder", stdout=out)
    assert out.getvalue() == "The drop folder is off (IMPORT_DROP_DIR is not set).\n"
    settings.IMPORT_DROP_DIR = str(tmp_path / "missing")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_drop_folder")
    settings.IMPORT_DROP_DIR = str(tmp_path)
    fill(tmp_path)
    call_command("import_drop_folder", stdout=io.StringIO())
    assert ImportedFile.objects.count() == 3


@pytest.mark.django_db(transaction=True)  # the scheduler's job sees committed data only
@pytest.mark.process  # run_jobs and the import, each a process of its own
def test_the_scheduler_runs_the_drop_folder_import(tmp_path):
    files = fill(tmp_path)

    result = processes.run(
        "manage.py",
        "run_jobs",
        "--once",
        "--only",
        "import_drop_folder",
        LOG_FORMAT="json",
        IMPORT_DROP_DIR=str(tmp_path),
        GEOCODER="",
    )

    assert result.returncode == 0, result.stderr
    [finished] = [
        entry for entry in map(json.loads, result.stderr.splitlines()) if "exit_code" in entry
    ]
    assert finished["output"].endswith("3 imported, 0 skipped, 0 failed.")
    assert set(ImportedFile.objects.values_list("checksum", flat=True)) == {
        sha256(path) for path in files.values()
    }
