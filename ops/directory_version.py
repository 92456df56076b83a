"""The directory's version number: which tables move it, and attaching its trigger."""

from __future__ import annotations

from pathlib import Path

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Every table of these apps feeds a public page, the API or FHIR: who is listed (credentials,
# decisions, exclusions, imports) and what is shown (profiles, clinics, evidence).
VERSIONED_APPS = ("directory", "credentialing", "evidence")
TRIGGER = "directory_version_bump"
FUNCTION_SQL = Path(__file__).parent / "sql" / "directory_version.sql"


def versioned_tables(apps: Apps) -> list[str]:
    """The tables (many-to-many ones included) of VERSIONED_APPS that migrations manage."""
    return sorted(
        {
            model._meta.db_table
            for label in VERSIONED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def attach_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """(Re)create the function and put one statement-level trigger on every versioned table.
    Idempotent: a later migration that adds a table runs it again."""
    schema_editor.execute(FUNCTION_SQL.read_text())
    for table in versioned_tables(apps):
        quoted = schema_editor.quote_name(table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ops_directory_version_bump()"
        )


def detach_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in versioned_tables(apps):
        quoted = schema_editor.quote_name(table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ops_directory_version_bump()")
