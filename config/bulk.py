"""`copy_create`: Django's `bulk_create` for the thousands of rows an import writes, through
PostgreSQL's COPY. A multi-row INSERT of 500 practitioners is one SQL text of some 15,000
quoted values that Django compiles and psycopg scans and quotes again on every batch; COPY
streams the same values as rows. Everything the database does on insert still happens
(defaults, constraints, triggers: COPY fires row triggers as INSERT does), and the objects
get their primary keys, drawn from the table's own sequence, as `bulk_create` gives them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault


def copy_create(objects: Sequence[Model]) -> None:
    """Insert these unsaved objects of one model, setting their primary keys."""
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # once: each look-up through the proxy costs
    meta = type(objects[0])._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        # Errors as Django's own (IntegrityError...), as they would be from an INSERT.
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            for instance in objects:
                copy.write_row([_value(field, instance, connection) for field in fields])
    for instance in objects:
        instance._state.adding = False
        instance._state.db = connection.alias


# Fields whose Python value psycopg writes as the column wants without Django's preparation
# (which for these only checks and converts what is already right): most of an import's
# values, and most of the time `copy_create` would otherwise spend.
AS_THEY_ARE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "UUIDField",
}


def _value(field, instance: Model, connection):
    if field.get_internal_type() in AS_THEY_ARE:
        value = getattr(instance, field.attname)
        return field.db_default if isinstance(value, DatabaseDefault) else value
    value = field.pre_save(instance, add=True)  # auto_now_add, auto_now, upload names
    if isinstance(value, DatabaseDefault):
        value = field.db_default
    return field.get_db_prep_save(value, connection)
