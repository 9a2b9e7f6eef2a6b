"""The one SELECT that judges households: facts, rules and labels in a single grouped pass.

The same statement serves one household (the incremental path, filtered by id) and all of
them (the bulk path, wrapped in a set-based write).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from lianbang.monitoring.conditions import Aggregates, Compiler
from lianbang.monitoring.facts import FACTS, Context, income_columns
from lianbang.monitoring.sql import Sql, combine


@dataclass(frozen=True)
class RuleSpec:
    code: str
    color: str
    condition: dict[str, Any]


@dataclass(frozen=True)
class LabelSpec:
    label_id: int
    code: str
    condition: dict[str, Any]


@dataclass(frozen=True)
class InTable:
    """Judge the households listed in this temporary table (column ``household_id``)."""

    table: str


Households = list[Any] | InTable | None


@dataclass(frozen=True)
class Plan:
    select: Sql
    rules: list[RuleSpec]
    labels: list[LabelSpec]

    def rule_column(self, index: int) -> str:
        return f"r_{index}"


def build_plan(
    ctx: Context,
    rules: list[RuleSpec],
    labels: list[LabelSpec] | None,
    lines: dict[str, int],
    household_ids: list[int] | InTable | None = None,
    keys: tuple[str, str] | None = None,
) -> Plan:
    """``keys`` (see :func:`spec_keys`) saves serialising the conditions again when the caller
    keeps them. For a list of ids the statement is built once per shape and only the ids change.

    ``labels`` None: no label is judged and the ``labels`` column is NULL, the households keep
    the labels they have (a bulk run's rules-only pass)."""
    judged = labels or []
    rules_key, labels_key = keys or (spec_keys(rules, judged))
    if labels is None:
        labels_key = _LABELS_KEPT
    if isinstance(household_ids, list) and household_ids:
        template = _template(ctx, rules_key, labels_key, tuple(sorted(lines.items())), len(household_ids))
        params = tuple(household_ids[p.index] if isinstance(p, _Slot) else p for p in template.params)
        return Plan(Sql(template.text, params), rules, judged)
    return Plan(_select(ctx, rules_key, labels_key, lines, household_ids), rules, judged)


# The labels key of a plan that judges no labels and keeps the stored ones (JSON null).
_LABELS_KEPT = "null"


def spec_keys(rules: list[RuleSpec], labels: list[LabelSpec]) -> tuple[str, str]:
    """The conditions as text (the compiled statement's cache key); labels with their ids,
    which the statement writes into its ``labels`` column."""
    labels_key = json.dumps(
        [[label.label_id, label.condition] for label in labels], sort_keys=True, ensure_ascii=False
    )
    return _key(rules), labels_key


@dataclass(frozen=True)
class _Slot:
    """Where the n-th household id goes in a cached statement's parameters."""

    index: int


@functools.lru_cache(maxsize=32)
def _template(
    ctx: Context, rules_key: str, labels_key: str, lines: tuple[tuple[str, int], ...], count: int
) -> Sql:
    slots: list[Any] = [_Slot(i) for i in range(count)]
    return _select(ctx, rules_key, labels_key, dict(lines), slots)


def _select(
    ctx: Context, rules_key: str, labels_key: str, lines: dict[str, int], household_ids: Households
) -> Sql:
    compiled = _compiled(ctx, rules_key, labels_key)
    select = Sql.join(",\n  ", compiled.columns).wrap("SELECT\n  {}\nFROM registry_household h")
    select = select + _joins(ctx, compiled.aggregates, lines, household_ids)
    return select + _where(household_ids)


@dataclass(frozen=True)
class _Compiled:
    columns: list[Sql]
    aggregates: Aggregates


def _key(rules: list[RuleSpec]) -> str:
    return json.dumps([rule.condition for rule in rules], sort_keys=True, ensure_ascii=False)


@functools.lru_cache(maxsize=16)
def _compiled(ctx: Context, rules_key: str, labels_key: str) -> _Compiled:
    """Conditions compiled once per rule set, label set and evaluation date, not per household."""
    compiler = Compiler(ctx)
    rules, labels = json.loads(rules_key), json.loads(labels_key)
    columns = [
        Sql("h.id AS household_id"),
        Sql("h.region_code AS region_code"),
        Sql("CASE WHEN ci.id IS NULL THEN 1 ELSE 0 END AS income_missing"),
        *[_flag(compiler.compile(condition), f"r_{i}") for i, condition in enumerate(rules)],
        _labels_held(
            None
            if labels is None
            else [(int(label_id), compiler.compile(condition)) for label_id, condition in labels],
            ctx.vendor,
        ),
    ]
    return _Compiled(columns, compiler.aggregates)


def _flag(condition: Sql, name: str) -> Sql:
    return condition.wrap(f"CASE WHEN {{}} THEN 1 ELSE 0 END AS {name}")


def _labels_held(labels: list[tuple[int, Sql]] | None, vendor: str) -> Sql:
    """The ids of the labels that hold, as JSON array text in label order (``[3,17]``): one
    narrow column a bulk run stores and compares, instead of one flag column per label. The
    ids are integers from the label table, written into the text.

    PostgreSQL collects them in one array per household (``array_to_string`` skips the NULLs
    of the labels that do not hold) rather than a chain of ``||``, which builds a new string at
    every one of the ~140 steps; SQLite has neither arrays nor ``concat_ws`` (before 3.44).
    ``None``: the labels are kept, not judged (NULL)."""
    if labels is None:
        return Sql("CAST(NULL AS TEXT) AS labels")
    if not labels:
        return Sql("'[]' AS labels")
    if vendor == "postgresql":
        held = [condition.wrap(f"CASE WHEN {{}} THEN {label_id:d} END") for label_id, condition in labels]
        return Sql.join(", ", held).wrap("('[' || array_to_string(ARRAY[{}], ',') || ']') AS labels")
    pieces = [
        condition.wrap(f"CASE WHEN {{}} THEN ',{label_id:d}' ELSE '' END") for label_id, condition in labels
    ]
    return Sql.join(" || ", pieces).wrap("('[' || SUBSTR({}, 2) || ']') AS labels")


def _ids_filter(column: str, household_ids: Households) -> Sql:
    if household_ids is None:
        return Sql("")
    if isinstance(household_ids, InTable):
        return Sql(f" AND {column} IN (SELECT household_id FROM {household_ids.table})")
    if not household_ids:
        return Sql(" AND 1 = 0")
    marks = Sql.join(", ", [Sql.value(i) for i in household_ids])
    return marks.wrap(f" AND {column} IN ({{}})")


def _joins(ctx: Context, aggregates: Aggregates, lines: dict[str, int], household_ids: Households) -> Sql:
    current_year = combine(
        "\nLEFT JOIN (SELECT household_id, MAX(year) AS year FROM registry_income "
        "WHERE year <= {}{} GROUP BY household_id) cy ON cy.household_id = h.id",
        Sql.value(ctx.as_of.year),
        _ids_filter("household_id", household_ids),
    )
    records = _income_records(ctx, household_ids)
    incomes = combine(
        "\nLEFT JOIN {} ci ON ci.household_id = h.id AND ci.year = cy.year"
        "\nLEFT JOIN {} pi ON pi.household_id = h.id AND pi.year = cy.year - 1",
        records,
        records,
    )
    return (
        current_year
        + incomes
        + _member_join(ctx, aggregates, household_ids)
        + _event_join(ctx, aggregates, household_ids)
        + _line_join(lines)
    )


def _income_records(ctx: Context, household_ids: Households) -> Sql:
    """Income records with their amounts in fen. On PostgreSQL ``OFFSET 0`` keeps the planner
    from folding the subquery into the outer statement, which would compute the amounts again
    in every condition that reads them."""
    fence = " OFFSET 0" if ctx.vendor == "postgresql" else ""
    return combine(
        "(SELECT {} FROM registry_income i WHERE 1 = 1{}" + fence + ")",
        income_columns(ctx),
        _ids_filter("i.household_id", household_ids),
    )


def _member_join(ctx: Context, aggregates: Aggregates, household_ids: Households) -> Sql:
    labour = FACTS["labour"].sql(ctx)
    fixed = [
        Sql("SUM(CASE WHEN m.status = 'active' THEN 1 ELSE 0 END) AS active_members"),
        labour.wrap("SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS labour_members"),
        labour.wrap(
            "SUM(CASE WHEN {} AND m.work_location <> '' THEN 1 ELSE 0 END) AS employed_labour_members"
        ),
    ]
    extra = [_aggregate(key, name) for key, name in aggregates.member.items()] + aggregates.bit_words()
    body = Sql.join(", ", fixed + extra)
    return combine(
        "\nLEFT JOIN (SELECT m.household_id, {} FROM registry_member m WHERE 1 = 1{} "
        "GROUP BY m.household_id) ma ON ma.household_id = h.id",
        body,
        _ids_filter("m.household_id", household_ids),
    )


def _event_join(ctx: Context, aggregates: Aggregates, household_ids: Households) -> Sql:
    if not aggregates.event:
        return Sql("")
    body = Sql.join(", ", [_aggregate(key, name) for key, name in aggregates.event.items()])
    # Anything dated after the evaluation date is ignored (DOMAIN §4).
    return combine(
        "\nLEFT JOIN (SELECT e.household_id, {} FROM registry_event e "
        "LEFT JOIN registry_member em ON em.id = e.member_id WHERE e.date <= {}{} "
        "GROUP BY e.household_id) ea ON ea.household_id = h.id",
        body,
        Sql.value(ctx.as_of),
        _ids_filter("e.household_id", household_ids),
    )


def _aggregate(key: Sql, name: str) -> Sql:
    function, condition = key.text.split("|", 1)
    return Sql(f"{function}(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}", key.params)


def _line_join(lines: dict[str, int]) -> Sql:
    """The monitoring line (fen) of each region present; typed so PostgreSQL can multiply it."""
    rows = [
        combine(
            "SELECT {} AS region_code, CAST({} AS BIGINT) AS amount_fen", Sql.value(region), Sql.value(fen)
        )
        for region, fen in sorted(lines.items())
    ]
    if not rows:
        rows = [Sql("SELECT '' AS region_code, CAST(NULL AS BIGINT) AS amount_fen")]
    return Sql.join(" UNION ALL ", rows).wrap("\nLEFT JOIN ({}) lines ON lines.region_code = h.region_code")


def _where(household_ids: Households) -> Sql:
    return Sql("\nWHERE h.status = 'active'") + _ids_filter("h.id", household_ids)
