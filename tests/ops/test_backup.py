"""Backups: `manage.py backup` and `manage.py restore`, run as an operator runs them (each
in its own process, against real PostgreSQL with pg_dump/pg_restore), round-trip the
database, the private documents and the photos exactly; bad input gets a clear refusal."""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import subprocess
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from credentialing.models import License
from directory import photos
from directory.models import Practitioner
from ops import backups
from tests.factories import (
    LicenseFactory,
    PractitionerFactory,
    phone_photo,
    photo_upload,
    png_bytes,
    restore_vocabulary,
    upload,
)
from tests.ops import processes

MANIFEST = {
    "format": 1,
    "created_at": "2026-01-01T03:30:00+00:00",
    "database": "meridian",
    "server_version": "18.6",
    "pg_dump": "pg_dump (PostgreSQL) 18.6",
    "tables": {},
}


def run(*args: str, database: str, private: Path, photos: Path) -> subprocess.CompletedProcess:
    return processes.run(
        *args, database=database, PRIVATE_MEDIA_ROOT=str(private), PHOTO_ROOT=str(photos)
    )


def fingerprint(database: str) -> dict:
    nowhere = Path("/nonexistent")
    result = run("-m", "tests.ops.fingerprint", database=database, private=nowhere, photos=nowhere)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def file_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_database():
    """An empty database beside the test database (a name of this run's own: the server may
    be shared), dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored_{secrets.token_hex(4)}"
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        yield name
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)  # pg_dump, in another process, sees committed data
@pytest.mark.process  # backup, restore and pg_dump run as the deployment runs them
def test_a_backup_restores_into_a_fresh_database_exactly(
    tmp_path, private_files, photo_files, fresh_database
):
    restore_vocabulary()
    call_command("load_demo", count=40, verbosity=0)  # the gazetteer is loaded already
    for number, document in enumerate([upload(), upload("scan.png", png_bytes())]):
        LicenseFactory(practitioner=PractitionerFactory(), number=f"DOC{number}", document=document)
    # Demo practitioners have photos, stored as uploads are; one more from a real upload.
    uploaded = PractitionerFactory()
    photos.practitioner_photo_set(
        practitioner=uploaded, photo=photos.photo_prepare(photo_upload(phone_photo()))
    )
    keys = set(Practitioner.objects.exclude(photo="").values_list("photo", flat=True))
    photo_names = {name for key in keys for name in photos.file_names(key).values()}
    assert set(file_digests(photo_files)) == photo_names and len(keys) > 10
    source = connection.settings_dict["NAME"]
    archive = tmp_path / "meridian.tar"

    made = run(
        "manage.py", "backup", "--output", str(archive),
        database=source, private=private_files, photos=photo_files,
    )  # fmt: skip

    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().splitlines()[-1].startswith(f"Backup written to {archive} (")
    assert "2 private document(s)" in made.stdout
    assert f"{len(photo_names)} photo file(s)" in made.stdout
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds private documents

    restored_files, restored_photos = tmp_path / "restored-private", tmp_path / "restored-photos"

    def restore_into_fresh(*options: str) -> subprocess.CompletedProcess:
        return run(
            "manage.py", "restore", str(archive), *options,
            database=fresh_database, private=restored_files, photos=restored_photos,
        )  # fmt: skip

    # A photo folder in use is enough to refuse, even into an empty database.
    restored_photos.mkdir()
    (restored_photos / "stray.webp").write_bytes(b"RIFF\0\0\0\0WEBP")
    refused = restore_into_fresh()
    assert refused.returncode == 1
    assert f"Refusing to restore: {restored_photos} holds 1 file(s)." in refused.stderr
    (restored_photos / "stray.webp").unlink()

    restored = restore_into_fresh()

    assert restored.returncode == 0, restored.stderr
    assert (
        "the same counts as the backup), 2 private document(s) and "
        f"{len(photo_names)} photo file(s)." in restored.stdout
    )
    before, after = fingerprint(source), fingerprint(fresh_database)
    assert after == before  # every table's row contents included, not only its counts
    assert set(before["rows"]) == set(before["tables"])
    assert before["rows"]["directory_verificationevent"][0] > 30
    # Not two empty databases that agree: demo data, our trigger and functions, searches.
    assert before["tables"]["directory_practitioner"] == 43
    assert before["tables"]["directory_place"] > 100_000
    assert ["directory_verificationevent", "directory_verificationevent_append_only"] in before[
        "triggers"
    ]
    assert {name for name, _ in before["extensions"]} >= {"cube", "earthdistance", "pg_trgm"}
    assert sum(len(result["hits"]) for result in before["searches"]) > 20
    assert file_digests(restored_files) == file_digests(private_files)
    assert len(file_digests(private_files)) == 2
    assert {license.document.name for license in License.objects.exclude(document="")} == set(
        file_digests(private_files)
    )
    # Every photo byte for byte, the uploaded one included, under the names the rows hold
    # (the rows came back identical: the fingerprints agree).
    assert file_digests(restored_photos) == file_digests(photo_files)
    assert (restored_photos / f"{uploaded.photo}-288.webp").read_bytes() == (
        photo_files / f"{uploaded.photo}-288.webp"
    ).read_bytes()

    # Safe by default: nothing is restored over data that is there.
    again = restore_into_fresh()
    assert again.returncode == 1
    assert f"Refusing to restore: database {fresh_database} holds" in again.stderr
    assert f"{restored_files} holds 2 file(s)" in again.stderr
    assert f"{restored_photos} holds {len(photo_names)} file(s)" in again.stderr
    assert "pass --force to replace what is there" in again.stderr

    # Change the restored copy the way counts cannot see: same rows, other contents.
    with psycopg.connect(processes.database_url(fresh_database), autocommit=True) as changed:
        changed.execute("UPDATE directory_practitioner SET bio = bio || ' (changed)'")
        changed.execute("UPDATE evidence_study SET title = upper(title)")
    (restored_files / "stray.pdf").write_bytes(b"%PDF-1.4 not in the backup")
    (restored_files / next(iter(file_digests(private_files)))).write_bytes(b"%PDF-1.4 other")
    (restored_photos / f"{uploaded.photo}-96.webp").write_bytes(b"RIFF\0\0\0\0WEBPother")
    drifted = fingerprint(fresh_database)
    assert drifted["tables"] == before["tables"]
    assert drifted["rows"]["directory_practitioner"] != before["rows"]["directory_practitioner"]
    assert drifted["rows"]["evidence_study"] != before["rows"]["evidence_study"]
    forced = restore_into_fresh("--force")
    assert forced.returncode == 0, forced.stderr
    assert f"Replaced 3 file(s) in {restored_files}." in forced.stdout
    assert f"Replaced {len(photo_names)} file(s) in {restored_photos}." in forced.stdout
    assert file_digests(restored_files) == file_digests(private_files)
    assert file_digests(restored_photos) == file_digests(photo_files)
    assert fingerprint(fresh_database) == before


@pytest.mark.django_db
def test_backup_refuses_documents_and_photos_in_one_directory(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "files"
    settings.PHOTO_ROOT = tmp_path / "files" / "photos"
    with pytest.raises(CommandError, match=re.escape("PHOTO_ROOT (") + ".* lies inside "):
        call_command("backup", "--output", str(tmp_path / "meridian.tar"))
    assert not (tmp_path / "meridian.tar").exists()


@pytest.mark.django_db
def test_the_tools_match_the_server_major_version():
    major = connection.pg_version // 10000
    tools = backups.pg_tools(major)
    assert f"(PostgreSQL) {major}." in tools.version
    assert tools.pg_restore.parent == tools.pg_dump.parent


def test_a_missing_tool_version_says_what_was_found_and_what_to_do(monkeypatch):
    wheel = backups.tool_directories(18)[0]
    monkeypatch.setenv("PG_BIN_DIR", str(wheel))
    with pytest.raises(backups.BackupError) as refused:
        backups.pg_tools(17)
    message = str(refused.value)
    assert message.startswith(f"No pg_dump and pg_restore of PostgreSQL 17 found; only {wheel} (")
    assert "postgresql-client-17" in message and "PG_BIN_DIR" in message


@pytest.mark.django_db
def test_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "meridian.tar"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="already exists; backups never overwrite a file"):
        call_command("backup", "--output", str(existing))
    assert existing.read_bytes() == b"an older backup"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an archive at all", "is not a Meridian backup (not a tar archive)"),
        (None, "No backup archive at"),
    ],
)
def test_restore_refuses_what_is_not_a_backup(tmp_path, content, message):
    path = tmp_path / "backup.tar"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("restore", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("manifest", "extra", "message"),
    [
        (
            MANIFEST,
            "private/../../etc/cron.d/evil",
            "holds an unexpected entry 'private/../../etc/cron.d/evil'; not restored",
        ),
        (MANIFEST, "/etc/passwd", "holds an unexpected entry '/etc/passwd'"),
        (MANIFEST, "photos/../private/x.pdf", "holds an unexpected entry 'photos/../private"),
        (MANIFEST, "static/app.js", "holds an unexpected entry 'static/app.js'"),
        ({**MANIFEST, "format": 2}, "", "has backup format 2; expected 1"),
        ({"format": 1}, "", "has a damaged manifest (missing created_at, database, pg_dump"),
        ([1, 2], "", "has backup format None; expected 1"),
    ],
)
def test_restore_refuses_a_damaged_or_unsafe_archive(tmp_path, manifest, extra, message):
    path = tmp_path / "suspect.tar"
    entries = [("manifest.json", json.dumps(manifest).encode()), ("database.dump", b"PGDMP")]
    if extra:
        entries.append((extra, b"* * * * * root true"))
    with tarfile.open(path, "w") as archive:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("restore", str(path))
    assert connection.introspection.table_names()  # nothing was touched


def test_commands_name_an_unknown_database_alias(tmp_path):
    with pytest.raises(CommandError, match="No database 'elsewhere' in DATABASES"):
        call_command("backup", "--database", "elsewhere")
    with pytest.raises(CommandError, match="No database 'elsewhere' in DATABASES"):
        call_command("restore", str(tmp_path / "x.tar"), "--database", "elsewhere")
