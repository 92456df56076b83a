"""`copy_rows`: Django's `bulk_create` for the thousands of rows an import writes, through
PostgreSQL's COPY, from plain rows rather than model objects. A multi-row INSERT of 500
practitioners is one SQL text of some 15,000 quoted values that Django compiles and psycopg
scans and quotes again on every batch; COPY streams the same values as rows. And a model
object costs more to make than the row it stands for (its `__init__` visits every field),
so an import that only inserts hands over the values themselves.

Everything the database does on insert still happens (defaults, constraints, triggers: COPY
fires row triggers as INSERT does), and the rows get their primary keys, drawn from the
table's own sequence, returned in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import NOT_PROVIDED, Field, Model
from django.utils import timezone


def copy_rows(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert `rows` of `model`, each a mapping of field attnames (`practitioner_id`, not
    `practitioner`) to values, every row with the same names; the primary keys of the new
    rows, in order. A field a row leaves out gets what `Model.save` would give it: its
    default (a callable one called for each row), the time for auto_now fields, or the
    database's own default."""
    if not rows:
        return []
    connection = connections[DEFAULT_DB_ALIAS]  # once: each look-up through the proxy costs
    meta = model._meta
    given = list(rows[0])
    fields = {field.attname: field for field in meta.concrete_fields if not field.generated}
    if unknown := [name for name in given if name not in fields or name == meta.pk.attname]:
        raise ValueError(f"{model.__name__} rows cannot set {', '.join(unknown)}")
    filled = _filled(fields, given, connection)
    prepared = [
        (index, fields[name])
        for index, name in enumerate(given)
        if fields[name].get_internal_type() not in PLAIN
    ]
    quote = connection.ops.quote_name
    names = [*given, *(field.attname for field, _ in filled), meta.pk.attname]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        columns = ", ".join(quote(fields[name].column) for name in names)
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        # Errors as Django's own (IntegrityError...), as they would be from an INSERT.
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            for row, key in zip(rows, keys, strict=True):
                values = [row[name] for name in given]
                for index, field in prepared:
                    values[index] = field.get_db_prep_save(values[index], connection)
                values.extend(make() for _, make in filled)
                values.append(key)
                copy.write_row(values)
    return keys


def _filled(
    fields: dict[str, Field[Any, Any]], given: list[str], connection: BaseDatabaseWrapper
) -> list[tuple[Field[Any, Any], Callable[[], Any]]]:
    """(field, what makes its value, ready for the database) for each field the rows leave
    out that Django would fill; the rest (a database default) the database fills."""
    now = timezone.now()
    filled: list[tuple[Field[Any, Any], Callable[[], Any]]] = []
    for name, field in fields.items():
        if name in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = field.get_db_prep_save(now, connection)
        elif field.has_default() and callable(field.default):
            if field.get_internal_type() in PLAIN:
                filled.append((field, field.default))
            else:
                filled.append((field, partial(_prepared, field, connection)))
            continue
        elif field.has_default() or field.db_default is NOT_PROVIDED:
            value = field.get_db_prep_save(field.get_default(), connection)
        else:
            continue
        filled.append((field, partial(_constant, value)))
    return filled


def _prepared(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Any:
    return field.get_db_prep_save(field.default(), connection)


def _constant(value: Any) -> Any:
    return value


# Fields whose Python value psycopg writes as the column wants without Django's preparation
# (which for these only checks and converts what is already right): most of an import's
# values, and most of the time preparing them would otherwise take.
PLAIN = {
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
