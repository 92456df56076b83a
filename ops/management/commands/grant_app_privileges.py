from __future__ import annotations

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

# The one table the app may add to but never change: the verification log.
APPEND_ONLY_TABLES = ["directory_verificationevent"]


class Command(BaseCommand):
    help = (
        "Give the app's role (the user of DATABASE_URL) exactly what the web processes and jobs "
        "need: SELECT, INSERT, UPDATE, DELETE on the tables, only SELECT and INSERT on the "
        "verification log, no TRUNCATE, no ownership (so no ALTER TABLE, no DISABLE TRIGGER). "
        "Run it as the schema's owner (MIGRATE_DATABASE_URL) after every migrate and restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-role",
            action="store_true",
            help="Create the app's role, with DATABASE_URL's password, if it does not exist.",
        )

    def handle(self, *args, create_role: bool, **options) -> None:
        if not settings.MIGRATE_DATABASE_URL:
            raise CommandError(
                "MIGRATE_DATABASE_URL is not set: the app and its migrations share one role, "
                "so there is nothing to grant."
            )
        app = dj_database_url.parse(settings.DATABASE_URL)
        role = app["USER"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (owner,) = cursor.fetchone()
        if not role or role == owner:
            raise CommandError(
                f"DATABASE_URL must name a role other than the owner {owner!r} "
                "(MIGRATE_DATABASE_URL)."
            )
        name = sql.Identifier(role)
        statements = []
        if create_role:
            statements.append(
                sql.SQL(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {}) THEN "
                    "CREATE ROLE {} LOGIN PASSWORD {}; END IF; END $$"
                ).format(sql.Literal(role), name, sql.Literal(app["PASSWORD"] or None))
            )
        statements += [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {}").format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            *(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(table), name
                )
                for table in APPEND_ONLY_TABLES
            ),
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.as_string(cursor.connection))
        self.stdout.write(
            f"Granted {role!r} reading and writing rows in the tables owned by {owner!r}; "
            f"the verification log: SELECT and INSERT only."
        )
