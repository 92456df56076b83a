"""Deploying with two roles, as docs/deploying.md describes and docker-compose.yml does: the
schema's owner migrates (MIGRATE_DATABASE_URL) and grants; the app's role (DATABASE_URL) runs
the application but cannot alter a table, disable the log's triggers or truncate, update or
delete the log. Everything runs in a database of its own, as separate processes."""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import errors

from tests.ops.processes import database_url, run


@pytest.fixture
def deployment() -> Iterator[tuple[str, str]]:
    """A fresh database (per-run name) and an app role with no privileges yet."""
    suffix = secrets.token_hex(4)
    database, role = f"meridian_roles_{suffix}", f"meridian_app_{suffix}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield database, role
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def as_role(role: str, database: str) -> str:
    settings = connection.settings_dict
    host = quote(str(settings["HOST"]), safe="")
    return f"postgres://{quote(role)}@{host}:{settings['PORT'] or 5432}/{database}"


def succeeded(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# What the app does every day, through its own services, as the app's role.
APP_WORK = textwrap.dedent(
    """
    import datetime
    from credentialing.models import CredentialStatus, License, VerificationEvent
    from credentialing.rules import Actor, credential_transition
    from directory.models import Practitioner
    practitioner = Practitioner.objects.create(first_name="Mei", last_name="Chen", slug="mei")
    license = License(
        practitioner=practitioner, country="US", region="CA", license_type="L.Ac.",
        number="AC1", issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2099, 1, 1),
    )
    system = Actor.process("roles test")
    credential_transition(credential=license, to_status=CredentialStatus.PENDING, by=system)
    credential_transition(
        credential=license, to_status=CredentialStatus.VERIFIED, by=system, source="board"
    )
    print(License.objects.get().status, VerificationEvent.objects.count())
    """
)

REFUSED = [
    # (statement, the error PostgreSQL answers with)
    ("TRUNCATE directory_verificationevent", "permission denied for table"),
    ("UPDATE directory_verificationevent SET reason = 'rewritten'", "permission denied for table"),
    ("DELETE FROM directory_verificationevent", "permission denied for table"),
    (
        "ALTER TABLE directory_verificationevent "
        "DISABLE TRIGGER directory_verificationevent_append_only",
        "must be owner of table",
    ),
    ("ALTER TABLE directory_verificationevent DISABLE TRIGGER ALL", "must be owner of table"),
    (
        "DROP TRIGGER directory_verificationevent_no_truncate ON directory_verificationevent",
        "must be owner of relation",
    ),
    ("ALTER TABLE directory_license ADD COLUMN forged boolean", "must be owner of table"),
    ("DROP TABLE directory_verificationevent", "must be owner of table"),
    ("TRUNCATE directory_license CASCADE", "permission denied for table"),
    ("CREATE TABLE shadow (id int)", "permission denied for schema public"),
    ("SET session_replication_role = replica", "permission denied to set parameter"),
]


@pytest.mark.django_db
@pytest.mark.process  # migrate, grant and the app's commands, as separate processes
def test_the_app_role_runs_the_app_but_cannot_rewrite_the_log_or_the_schema(deployment):
    database, role = deployment
    owner_url, app_url = database_url(database), as_role(role, database)
    two_roles = {"DATABASE_URL": app_url, "MIGRATE_DATABASE_URL": owner_url}

    # The owner migrates and grants, though DATABASE_URL names the app's role.
    succeeded(run("manage.py", "migrate", "--no-input", **two_roles))
    granted = succeeded(run("manage.py", "grant_app_privileges", **two_roles))
    assert f"Granted '{role}'" in granted
    with psycopg.connect(owner_url) as owner:
        owners = owner.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        assert owners == [(connection.settings_dict["USER"],)]

    # The app's role does the app's work: rows in, a status change with its event.
    out = succeeded(run("manage.py", "shell", "-c", APP_WORK, **two_roles))
    assert out.splitlines()[-1].split() == ["verified", "2"]

    with psycopg.connect(app_url, autocommit=True) as app:
        log = app.execute("SELECT id, from_status, to_status FROM directory_verificationevent")
        before = log.fetchall()
        assert [row[1:] for row in before] == [("", "pending"), ("pending", "verified")]
        for statement, message in REFUSED:
            with pytest.raises(errors.InsufficientPrivilege, match=message):
                app.execute(statement)
        after = app.execute("SELECT id, from_status, to_status FROM directory_verificationevent")
        assert after.fetchall() == before


def test_granting_needs_two_roles(settings):
    settings.MIGRATE_DATABASE_URL = ""
    with pytest.raises(CommandError, match="MIGRATE_DATABASE_URL is not set"):
        call_command("grant_app_privileges")


@pytest.mark.django_db
def test_granting_refuses_to_grant_the_owner_to_itself(settings):
    settings.MIGRATE_DATABASE_URL = settings.DATABASE_URL = database_url()
    with pytest.raises(CommandError, match="must name a role other than the owner"):
        call_command("grant_app_privileges")
