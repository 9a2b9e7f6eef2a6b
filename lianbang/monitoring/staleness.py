"""Which households a bulk run must judge again, and which it may leave as they are.

A stored judgement (light, fired rules, computed labels) was reached on ``judged_on`` with the
conditions, rule-set version, window and monitoring lines that ``judged_key`` fingerprints.
Every write through the registry services judges its household again at once (the incremental
path), so a stored judgement only goes out of date when

- the key changed (another rule set, a label edited or switched off, a monitoring line edited),
- the evaluation date moved into another year (the income year and the line's year follow it),
- its computed labels are unknown (``labels`` is NULL once a label it held is switched off),
- or a date-dependent comparison in the statement flips between ``judged_on`` and the new date.

The last is exact, not a guess: each date-dependent comparison in the compiled statement is
``column <op> f(D)`` for one of a few columns (a member's birth date and employment start, an
event's date). If no row of the household has that column between ``f(judged_on)`` and
``f(D)``, every such comparison gives the same answer on both dates, and so does the whole
statement. :func:`date_windows` lists those intervals; a test compiles the statement on two
dates and checks that every parameter that moved is one of them.

The same tests, applied to the labels' half of the key and the labels' own windows, tell which
of the stale households still hold their computed labels (:func:`split_stale_table`): after a
rule set is switched those are judged by the rules alone.

A light without a date and key of its own holds the judgement of the baseline
(``JudgementBaseline``): a run that judged every active household moves that one row and writes
only the lights it changed (:class:`Stamp`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from lianbang.monitoring.facts import FACTS, age_cutoff, months_cutoff
from lianbang.monitoring.models import JudgementBaseline
from lianbang.monitoring.plan import LabelSpec, RuleSpec
from lianbang.monitoring.sql import Sql, analyze_temporary, combine, count_rows

STALE_TABLE = "monitoring_stale"
# What a bulk run splits the stale households into (:func:`split_stale_table`).
STALE_LABELS_TABLE = "monitoring_stale_labels"
STALE_RULES_TABLE = "monitoring_stale_rules"

# The member columns date-dependent comparisons read, by the fact's span column.
_MEMBER_COLUMNS = {"m.birth_date": "birth_date", "m.employed_since": "employed_since"}
# 劳动力 (labour member) is 16 to 64 at D: the engine always counts labour members.
_LABOUR_AGES = (16, 65)


@dataclass(frozen=True)
class Window:
    """Rows whose ``column`` lies in (low, high] may compare differently on the two dates."""

    table: str  # "member" or "event"
    column: str
    low: date
    high: date


def judgement_key(
    *,
    version: int,
    recent_days: int,
    keys: tuple[str, str],
    line_rows: tuple[tuple[str, ...], ...] | None = None,
) -> str:
    """The fingerprint of everything a judgement depends on besides the household's data and
    the date: the rule-set version, the recent window, the rule and label conditions (with the
    label ids) and every monitoring line (``line_rows`` when the caller has read them, as
    ``selectors.household_inputs`` does; read here otherwise).

    Two halves: the rules' (version, window, rule conditions, lines), then the labels' (window,
    label conditions, lines; :func:`labels_part`). A new rule set leaves the labels' half as it
    was, and a bulk run then judges the rules again but keeps the labels it had."""
    lines = _lines_rows() if line_rows is None else line_rows
    rules_key, labels_key = keys
    return _fingerprint("rules", version, recent_days, rules_key, lines) + _fingerprint(
        "labels", recent_days, labels_key, lines
    )


def labels_part(key: str) -> str:
    """The labels' half of a :func:`judgement_key`."""
    return key[_HALF:]


_HALF = 16


@dataclass(frozen=True)
class Stamp:
    """The date and key a light ``l``'s stored judgement was reached with, in SQL: its own, or
    the baseline's when it keeps none (``judged_on`` and ``judged_key`` NULL)."""

    day: Sql
    key: Sql

    @property
    def labels_key(self) -> Sql:
        """The labels' half of the key (SUBSTR counts from 1 on both databases)."""
        return self.key.wrap(f"SUBSTR({{}}, {_HALF + 1})")

    @property
    def rules_key(self) -> Sql:
        return self.key.wrap(f"SUBSTR({{}}, 1, {_HALF})")


BASELINE = 1  # the baseline's one row


def light_stamp() -> Stamp:
    """How the lights' stamps read now (once per run, before it moves the baseline). Without a
    baseline a light without a stamp of its own
    has the empty key, which matches no judgement: it is judged again."""
    baseline = JudgementBaseline.objects.filter(pk=BASELINE).first()
    day, key = (baseline.judged_on, baseline.judged_key) if baseline else (None, "")
    return Stamp(day=Sql("COALESCE(l.judged_on, %s)", (day,)), key=Sql("COALESCE(l.judged_key, %s)", (key,)))


def baseline_move(*, judged_on: date, judged_key: str) -> None:
    """A run judged every active household as of ``judged_on`` with ``judged_key``: the lights
    it left without a stamp of their own hold that judgement now."""
    JudgementBaseline.objects.update_or_create(
        pk=BASELINE, defaults={"judged_on": judged_on, "judged_key": judged_key}
    )


@functools.lru_cache(maxsize=16)
def _fingerprint(*parts: object) -> str:
    """Cached: the incremental path asks on every save, with the same (cached) condition texts."""
    text = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:_HALF]


def _lines_rows() -> tuple[tuple[str, ...], ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT region_prefix, year, amount FROM monitoring_monitoringline ORDER BY region_prefix, year",
            (),
        )
        return key_rows(cursor.fetchall())


def key_rows(rows: Iterable[Sequence[Any]]) -> tuple[tuple[str, ...], ...]:
    """Monitoring-line rows (prefix, year, amount as the database gives it) as the key takes
    them: both paths must write them the same way for their keys to agree."""
    return tuple(tuple(str(value) for value in row) for row in rows)


def date_windows(
    rules: list[RuleSpec], labels: list[LabelSpec], recent_days: int, before: date, after: date
) -> list[Window]:
    """The intervals of :class:`Window` between two evaluation dates of the same year."""
    if before == after:
        return []
    windows = [
        *_age_and_months_windows(rules, labels, before, after),
        _window("member", "employed_since", before, after),
        _window("event", "date", before, after),
        _window("event", "date", before - timedelta(days=recent_days), after - timedelta(days=recent_days)),
    ]
    return sorted(set(windows), key=lambda w: (w.table, w.column, w.low))


def _window(table: str, column: str, one: date, other: date) -> Window:
    return Window(table, column, min(one, other), max(one, other))


def _age_and_months_windows(
    rules: list[RuleSpec], labels: list[LabelSpec], before: date, after: date
) -> Iterator[Window]:
    counts = {("m.birth_date", n) for n in _LABOUR_AGES}
    for condition in [spec.condition for spec in rules] + [spec.condition for spec in labels]:
        counts |= set(_span_counts(condition))
    cutoffs = {"m.birth_date": age_cutoff, "m.employed_since": months_cutoff}
    for column, count in counts:
        # ``> n`` compiles to the cut-off of n + 1, ``<= n`` too: both are covered.
        for n in (count, count + 1):
            cutoff = cutoffs[column]
            yield _window("member", _MEMBER_COLUMNS[column], cutoff(before, n), cutoff(after, n))


def _span_counts(node: Any) -> Iterator[tuple[str, int]]:
    """Every (span column, literal) a condition compares a span fact (age, months employed)
    with, wherever it sits in the condition."""
    if isinstance(node, list):
        for item in node:
            yield from _span_counts(item)
        return
    if not isinstance(node, dict):
        return
    fact = FACTS.get(node["fact"]) if isinstance(node.get("fact"), str) else None
    if fact is not None and fact.span is not None and isinstance(node.get("value"), int):
        yield fact.span.column, int(node["value"])
    for value in node.values():
        if isinstance(value, dict | list):
            yield from _span_counts(value)


def create_stale_table(
    cursor: CursorWrapper,
    *,
    stamp: Stamp,
    key: str,
    as_of: date,
    rules: list[RuleSpec],
    labels: list[LabelSpec],
    recent_days: int,
) -> int:
    """The active households to judge again, in the temporary table ``monitoring_stale``;
    returns how many."""
    drop_stale_table(cursor)
    windows = _windows_by_day(cursor, stamp.key, stamp.day, key, as_of, rules, labels, recent_days)
    statement = _stale_select(stamp.key, stamp.day, key, as_of, windows)
    _create(cursor, STALE_TABLE, statement)
    return _count(cursor, STALE_TABLE)


def split_stale_table(
    cursor: CursorWrapper, *, stamp: Stamp, key: str, as_of: date, labels: list[LabelSpec], recent_days: int
) -> tuple[int, int]:
    """Split ``monitoring_stale`` in two: ``monitoring_stale_labels``, the households whose
    computed labels must be judged again too, and ``monitoring_stale_rules``, those whose
    labels provably still hold (the labels' half of the key is theirs and no row of theirs lies
    in a window of the labels' own date-dependent comparisons), for which the rules alone are
    judged again: a new rule set, or a date that crossed a window only a rule reads. Returns
    the two counts."""
    labels_key = labels_part(key)
    windows = _windows_by_day(cursor, stamp.labels_key, stamp.day, labels_key, as_of, [], labels, recent_days)
    stale_labels = _stale_select(stamp.labels_key, stamp.day, labels_key, as_of, windows)
    _create(
        cursor,
        STALE_LABELS_TABLE,
        stale_labels.wrap(
            f"SELECT s.household_id FROM {STALE_TABLE} s WHERE s.household_id IN "
            "(SELECT u.household_id FROM ({}) u)"
        ),
    )
    _create(
        cursor,
        STALE_RULES_TABLE,
        Sql(f"SELECT household_id FROM {STALE_TABLE} EXCEPT SELECT household_id FROM {STALE_LABELS_TABLE}"),
    )
    return _count(cursor, STALE_LABELS_TABLE), _count(cursor, STALE_RULES_TABLE)


def rules_alone_moved(cursor: CursorWrapper, *, stamp: Stamp, key: str) -> bool:
    """Whether some light was judged under another rules' half of the key but this labels'
    half (a rule set was switched): only then can :func:`split_stale_table` find households to
    judge by the rules alone, and only then is it worth its pass over the rows."""
    probe = combine(
        "SELECT 1 FROM monitoring_householdlight l WHERE {} <> {} AND {} = {} LIMIT 1",
        stamp.rules_key,
        Sql.value(key[:_HALF]),
        stamp.labels_key,
        Sql.value(labels_part(key)),
    )
    cursor.execute(probe.text, probe.params)
    return cursor.fetchone() is not None


def drop_stale_table(cursor: CursorWrapper) -> None:
    for table in (STALE_TABLE, STALE_LABELS_TABLE, STALE_RULES_TABLE):
        cursor.execute(f"DROP TABLE IF EXISTS {table}", ())


def _windows_by_day(
    cursor: CursorWrapper,
    key_sql: Sql,
    day_sql: Sql,
    key: str,
    as_of: date,
    rules: list[RuleSpec],
    labels: list[LabelSpec],
    recent_days: int,
) -> dict[date, list[Window]]:
    """The windows of each day the judgements of this key (``key_sql`` of the light ``l``)
    and year were reached on (``day_sql``), leaving out the days without any."""
    windows = {
        day: date_windows(rules, labels, recent_days, day, as_of)
        for day in _judged_days(cursor, key_sql, day_sql, key, as_of)
    }
    return {day: found for day, found in windows.items() if found}


def _create(cursor: CursorWrapper, table: str, statement: Sql) -> None:
    cursor.execute(statement.wrap(f"CREATE TEMPORARY TABLE {table} AS {{}}").text, statement.params)
    analyze_temporary(cursor, table)


def _count(cursor: CursorWrapper, table: str) -> int:
    return count_rows(cursor, f"SELECT COUNT(*) FROM {table}")


def _stale_select(
    key_sql: Sql, day_sql: Sql, key: str, as_of: date, windows: dict[date, list[Window]]
) -> Sql:
    """Stale: never judged, its labels unknown (a label was switched off), judged with another
    key (``key_sql`` of the light ``l``: the whole key or its labels' half) or in another year
    (``day_sql``), or a row of the household with a date-dependent column inside one of its
    judgement day's windows. Set-based selects joined by UNION (an EXISTS under an OR would run
    once per household); the windows are literals, grouped by judgement day."""
    first, last = _year_bounds(as_of)
    select = combine(
        "SELECT h.id AS household_id FROM registry_household h "
        "LEFT JOIN monitoring_householdlight l ON l.household_id = h.id "
        "WHERE h.status = 'active' AND (l.household_id IS NULL OR l.labels IS NULL "
        "OR {} <> {} OR {} IS NULL OR {} < {} OR {} > {})",
        key_sql,
        Sql.value(key),
        day_sql,
        day_sql,
        Sql.value(first),
        day_sql,
        Sql.value(last),
    )
    for table, source in (("member", "registry_member"), ("event", "registry_event")):
        rows_in = _rows_in_windows(windows, table, day_sql)
        if rows_in is not None:
            select += combine(
                f" UNION SELECT r.household_id FROM {source} r "
                "JOIN monitoring_householdlight l ON l.household_id = r.household_id "
                "JOIN registry_household h ON h.id = r.household_id AND h.status = 'active' "
                "WHERE {} = {} AND ({})",
                key_sql,
                Sql.value(key),
                rows_in,
            )
    return select


def _rows_in_windows(windows: dict[date, list[Window]], table: str, day_sql: Sql) -> Sql | None:
    """A row ``r`` of ``table`` inside a window of its household's judgement day."""
    per_day = []
    for day, found in sorted(windows.items()):
        tests = [
            combine(f"(r.{w.column} > {{}} AND r.{w.column} <= {{}})", Sql.value(w.low), Sql.value(w.high))
            for w in found
            if w.table == table
        ]
        if tests:
            per_day.append(combine("({} = {} AND ({}))", day_sql, Sql.value(day), Sql.join(" OR ", tests)))
    return Sql.join(" OR ", per_day) if per_day else None


def _judged_days(cursor: CursorWrapper, key_sql: Sql, day_sql: Sql, key: str, as_of: date) -> list[date]:
    """The dates the current judgements of this key and year were reached on."""
    first, last = _year_bounds(as_of)
    select = combine(
        "SELECT DISTINCT {} FROM monitoring_householdlight l WHERE {} = {} AND {} >= {} AND {} <= {}",
        day_sql,
        key_sql,
        Sql.value(key),
        day_sql,
        Sql.value(first),
        day_sql,
        Sql.value(last),
    )
    cursor.execute(select.text, select.params)
    return [_as_date(row[0]) for row in cursor.fetchall()]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _year_bounds(as_of: date) -> tuple[date, date]:
    return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
