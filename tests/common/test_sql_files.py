"""The rule files are the truth: every trigger and SQL function in the database is declared in
one of the `<app>/sql/*.sql` files, and the database runs exactly what the files say."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from common.sql_files import RunSQLFile, checksum, rule_files, sql_file
from directory.models.location import LocationQuerySet
from ops.directory_version import TRIGGER as VERSION_TRIGGER

pytestmark = pytest.mark.django_db

FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\bAS \$\$(.*?)\$\$", re.DOTALL)
TRIGGER = re.compile(r"CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER (\w+)")

# The project's own functions: in the public schema, neither part of an extension nor made
# by the database for a type (a range type's constructors).
INSTALLED_FUNCTIONS = """
    SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
"""
INSTALLED_TRIGGERS = "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"


def declared(pattern: re.Pattern) -> list[tuple[str, ...]]:
    return [match for path in rule_files() for match in pattern.findall(path.read_text())]


def installed(query: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def test_the_rule_files_are_found():
    names = {path.relative_to(path.parents[2]).as_posix() for path in rule_files()}
    assert names == {
        "credentialing/sql/status_needs_event.sql",
        "credentialing/sql/verification_log.sql",
        "directory/sql/listing_rule.sql",
        "directory/sql/normalize.sql",
        "evidence/sql/authors_text.sql",
        "ops/sql/directory_version.sql",
    }


def test_every_function_runs_the_body_its_file_declares():
    functions = declared(FUNCTION)
    assert len({name for name, _ in functions}) == len(functions), "a function declared twice"
    assert installed(INSTALLED_FUNCTIONS) == dict(functions)


def test_every_trigger_is_declared_in_a_file_and_installed_as_written():
    before = installed(INSTALLED_TRIGGERS)
    # The directory version's trigger is the one exception: its function is in a file, and
    # ops.directory_version attaches it to every versioned table (tests/ops check each has it).
    rules = {name: definition for name, definition in before.items() if name != VERSION_TRIGGER}
    assert sorted(rules) == sorted(name for name in declared(TRIGGER))
    # Running every file again (each is written to be re-run) changes no trigger: what is
    # installed is what the files say, down to each WHEN clause and column list.
    with connection.cursor() as cursor:
        for path in rule_files():
            cursor.execute(path.read_text())
    assert installed(INSTALLED_TRIGGERS) == before
    assert installed(INSTALLED_FUNCTIONS) == dict(declared(FUNCTION))


def test_the_listing_rule_is_read_in_the_file_the_query_names():
    path = sql_file("directory", "listing_rule.sql")
    assert "directory/sql/listing_rule.sql" in LocationQuerySet.listable.__doc__
    assert "Location.objects.listable()" in path.read_text()


def test_the_last_migration_to_run_each_file_was_written_for_its_text():
    """A database migrated before a file changed gets the new text only from a new migration:
    editing a file without one fails here (a new test database would hide it, since its
    migrations read today's files)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    last = {
        operation.path: operation.checksum
        for migration, _ in plan
        for operation in migration.operations
        if isinstance(operation, RunSQLFile)
    }
    stale = {
        path.relative_to(path.parents[2]).as_posix(): checksum(path)
        for path in rule_files()
        if last.get(path) != checksum(path)
    }
    assert not stale, f"no migration runs these files as they read now: {stale}"
