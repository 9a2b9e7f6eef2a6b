"""Parameterised SQL fragments. Fragments come from code; every value travels as a parameter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True)
class Sql:
    text: str
    params: tuple[Any, ...] = field(default=())

    @staticmethod
    def value(value: Any) -> Sql:
        return Sql("%s", (value,))

    @staticmethod
    def join(separator: str, parts: list[Sql]) -> Sql:
        return Sql(separator.join(p.text for p in parts), tuple(x for p in parts for x in p.params))

    def wrap(self, template: str) -> Sql:
        """``template`` with ``{}`` where this fragment goes, e.g. ``"NOT ({})"``."""
        return Sql(template.format(self.text), self.params)

    def __add__(self, other: Sql) -> Sql:
        return Sql(self.text + other.text, self.params + other.params)


def combine(template: str, *parts: Sql) -> Sql:
    """``template`` with one ``{}`` per part, in order."""
    return Sql(template.format(*(p.text for p in parts)), tuple(x for p in parts for x in p.params))


def fen(column: Sql, vendor: str) -> Sql:
    """A decimal amount in yuan as whole fen (分), so that all money arithmetic is exact integers.

    SQLite keeps decimals with NUMERIC affinity (a binary float for fractions); rounding to
    fen removes that error before any comparison is made.
    """
    integer = "BIGINT" if vendor == "postgresql" else "INTEGER"
    return column.wrap(f"CAST(ROUND(({{}}) * 100) AS {integer})")


def years_before(day: Sql, years: int, vendor: str) -> Sql:
    """The date ``years`` full years before ``day``, Feb 29 falling back to Feb 28.

    That is the cutoff for ages in full years (周岁): born on or before it means aged ≥ years.
    """
    if vendor == "postgresql":
        return combine("(CAST({} AS date) - make_interval(years => {}))", day, Sql.value(years))
    shift = Sql.value(f"-{years} years")
    shifted = combine("date({}, {})", day, shift)
    # SQLite rolls 2024-02-29 − 1 year over to 2023-03-01; the age rule wants 2023-02-28.
    return combine(
        "(CASE WHEN strftime('%%m-%%d', {}) = '02-29' AND strftime('%%m-%%d', {}) = '03-01' "
        "THEN date({}, '-1 day') ELSE {} END)",
        day,
        shifted,
        shifted,
        shifted,
    )


def count_rows(cursor: CursorWrapper, text: str) -> int:
    """The one number ``text`` (a ``SELECT COUNT(*) …`` without parameters) gives."""
    cursor.execute(text, ())
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def analyze_temporary(cursor: CursorWrapper, table: str) -> None:
    """Temporary tables are never analysed automatically; without statistics PostgreSQL plans
    the joins on them blind."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}", ())
