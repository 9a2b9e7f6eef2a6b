"""Inserting many new rows at once, fast: ``COPY … FROM STDIN`` on PostgreSQL.

Django's ``bulk_create`` on PostgreSQL binds every column as one array parameter, which
psycopg turns into text element by element in Python (a regular expression per value) — for
the tens of thousands of rows of an import, most of the time of the save. COPY streams the
rows through psycopg's C dumpers instead. Primary keys are drawn from the table's sequence
first, so the instances get them as with ``bulk_create``. Elsewhere (SQLite) it is
``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Model

# Fields whose Python value psycopg dumps as the column's value (datetimes excluded: aware
# timestamps are bound by Django as they are too, but auto_now needs pre_save).
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.DecimalField,
    models.DateField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def insert_all(instances: Sequence[Model]) -> None:
    """INSERT the new instances (all of one model) and set their primary keys."""
    if not instances:
        return
    model = type(instances[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances)
        return
    _assign_keys(model, instances)
    fields = list(model._meta.concrete_fields)
    values = [_value_of(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # wrap_database_errors: a refused row raises Django's IntegrityError, as bulk_create would.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([value(instance) for value in values])
    for instance in instances:
        instance._state.adding, instance._state.db = False, connection.alias


class JsonText(str):
    """A JSON column's value already encoded (``insert_rows`` sends the text as it is)."""


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT new rows given as ``{attname: value}`` (every concrete field but the primary key,
    which the database draws), without building a model instance per row on PostgreSQL; for
    rows nobody reads back (an audit run). Elsewhere ``bulk_create`` of instances. A JSON
    column's value may be given encoded, as :class:`JsonText`."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**_decoded(row)) for row in rows])
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    names = [f.attname for f in fields]
    convert = [None if isinstance(f, PLAIN) else f for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        row[name] if field is None else _prepared(field, row[name])
                        for name, field in zip(names, convert, strict=True)
                    ]
                )


def _prepared(field: Any, value: Any) -> Any:
    if type(value) is JsonText:
        return str(value)  # jsonb parses the text: the value, not a JSON string of it
    return field.get_db_prep_save(value, connection)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if type(v) is JsonText else v for k, v in row.items()}


def _value_of(field: Any) -> Callable[[Model], Any]:
    """How to get the column's value: the attribute itself where psycopg takes it as it is (text,
    numbers, dates, keys), else what Django would bind (JSON; auto_now timestamps)."""
    if (
        isinstance(field, PLAIN)
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ):
        name = field.attname
        return lambda instance: getattr(instance, name)
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, True), connection)


def _assign_keys(model: type[Model], instances: Sequence[Model]) -> None:
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(instances)],
        )
        keys = [row[0] for row in cursor.fetchall()]
    for instance, key in zip(instances, keys, strict=True):
        instance.pk = key


def update_one_field(instances: Sequence[Model], name: str) -> None:
    """``bulk_update(instances, [name])`` for one field: on PostgreSQL one ``UPDATE … FROM
    unnest(keys, values)`` instead of a ``CASE WHEN`` with a branch per row (which Django
    builds and psycopg binds value by value in Python)."""
    if not instances:
        return
    model = type(instances[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(instances, [name])
        return
    field: Any = model._meta.get_field(name)
    pk: Any = model._meta.pk
    table, quote = model._meta.db_table, connection.ops.quote_name
    key_type, value_type = pk.rel_db_type(connection), field.db_type(connection)
    sql = (
        f"UPDATE {quote(table)} SET {quote(field.column)} = v.value"
        f" FROM unnest(%s::{key_type}[], %s::{value_type}[]) AS v(key, value)"
        f" WHERE {quote(table)}.{quote(pk.column)} = v.key"
    )
    keys = [instance.pk for instance in instances]
    values = [getattr(instance, field.attname) for instance in instances]
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys, values])
