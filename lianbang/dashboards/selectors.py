"""Reads for the console: a node's figures, its children's, the trend (from the roll-ups).

Callers pass a unit they obtained through ``lianbang.accounts.scope`` (the API does); every
node read here lies inside that unit's subtree. When the roll-up lacks a node (never refreshed,
or created since), its figures are computed live over the smallest subtree holding it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from lianbang.care.selectors import schedules_in
from lianbang.dashboards.compute import compute as compute_live
from lianbang.dashboards.compute import income_medians, money
from lianbang.dashboards.models import MonthlyLights, NodeKind, Rollup, TrendMonth
from lianbang.dashboards.services import COUNT_FIELDS, lights_at, moment_at, month_end, past_months
from lianbang.org.models import Building, MicroGrid, Unit, path_prefix_q


@dataclass(frozen=True)
class NodeInfo:
    kind: str
    id: int
    name: str
    level: int | None = None
    level_label: str = ""


@dataclass(frozen=True)
class NodeFigures:
    node: NodeInfo
    counts: dict[str, int]
    income_total: Decimal
    median_per_capita: Decimal | None
    labels: dict[str, int]
    as_of: datetime | None


def unit_info(unit: Unit) -> NodeInfo:
    return NodeInfo(NodeKind.UNIT, unit.pk, unit.name, unit.level, unit.get_level_display())


def care_visits_overdue(unit: Unit, today: date) -> int:
    """The unit's overdue elderly care visits, as the care overview counts them: live (visits
    fall due every day, the roll-up is monthly), one count over the subtree."""
    return schedules_in(unit, today, overdue_only=True).count()


def children_figures(unit: Unit, by: str) -> tuple[NodeFigures, list[NodeFigures]]:
    """The unit's figures and those of each row of a drill-down step (see ``_children``): two
    queries whatever the number of rows (the nodes, then their roll-up rows and the unit's)."""
    kind, children, nodes = _children(unit, by)
    conditions = [Q(kind=NodeKind.UNIT, node_id=unit.pk), Q(kind=kind, node_id__in=children.values("pk"))]
    parent, *rows = _assemble(unit, [unit_info(unit), *nodes], _stored(conditions))
    return parent, rows


def _children(unit: Unit, by: str) -> tuple[str, QuerySet[Any], list[NodeInfo]]:
    """The rows of a drill-down step: child units (a floor group's: its micro-grids), or every
    building / micro-grid of the subtree; their kind, query and names."""
    if by == NodeKind.UNIT:
        units = unit.children.order_by("name")
        rows = [
            NodeInfo(NodeKind.UNIT, pk, name, level, str(Unit.Level(level).label))
            for pk, name, level in units.values_list("pk", "name", "level")
        ]
        if rows:
            return NodeKind.UNIT, units, rows
    children: QuerySet[Any]
    if by == NodeKind.BUILDING:
        kind = NodeKind.BUILDING
        children = Building.objects.filter(path_prefix_q(unit.path, "branch__path")).order_by("number")
    else:
        kind = NodeKind.GRID
        children = MicroGrid.objects.filter(path_prefix_q(unit.path, "unit__path")).order_by("code")
    return kind, children, [NodeInfo(kind, pk, name) for pk, name in children.values_list("pk", "name")]


def figures(unit: Unit, nodes: list[NodeInfo]) -> list[NodeFigures]:
    """The figures of ``nodes`` (all inside ``unit``'s subtree), from the roll-up; a node the
    roll-up lacks is computed live over the smallest subtree that holds it."""
    ids: dict[str, list[int]] = {}
    for node in nodes:
        ids.setdefault(node.kind, []).append(node.id)
    return _assemble(unit, nodes, _stored([Q(kind=kind, node_id__in=pks) for kind, pks in ids.items()]))


def _assemble(unit: Unit, nodes: list[NodeInfo], stored: dict[tuple[str, int], _Row]) -> list[NodeFigures]:
    missing = [node for node in nodes if (node.kind, node.id) not in stored]
    live = _live(unit, missing) if missing else {}
    return [
        _from_rollup(node, stored[(node.kind, node.id)])
        if (node.kind, node.id) in stored
        else live[(node.kind, node.id)]
        for node in nodes
    ]


# A roll-up row as read: the counts in COUNT_FIELDS order, then the columns below. Tuples, not
# model instances: a drill-down step reads hundreds of rows per request.
_Row = tuple[Any, ...]
_TAIL = ("income_total", "median_per_capita", "labels", "computed_at")


def _stored(conditions: list[Q]) -> dict[tuple[str, int], _Row]:
    """The roll-up rows matching any of ``conditions``, in one query: a UNION ALL, as an OR of
    a subquery would have PostgreSQL filter every row of the kind instead of probing the index."""
    first, *others = [
        Rollup.objects.filter(condition).values_list("kind", "node_id", *COUNT_FIELDS, *_TAIL)
        for condition in conditions
    ]
    rows = first.union(*others, all=True) if others else first
    return {(row[0], row[1]): row[2:] for row in rows}


def _from_rollup(node: NodeInfo, row: _Row) -> NodeFigures:
    counts = dict(zip(COUNT_FIELDS, row, strict=False))
    income_total, median, labels, computed_at = row[len(COUNT_FIELDS) :]
    return NodeFigures(node, counts, income_total, median, labels, computed_at)


def _live(unit: Unit, nodes: list[NodeInfo]) -> dict[tuple[str, int], NodeFigures]:
    moment = moment_at()
    by_scope: dict[int, tuple[Unit, list[NodeInfo]]] = {}
    whole = any(node.kind == NodeKind.UNIT and node.id == unit.pk for node in nodes)
    for node in nodes:
        scope = unit if whole else _narrowest(node, unit)
        by_scope.setdefault(scope.pk, (scope, []))[1].append(node)
    result = {}
    for scope, members in by_scope.values():
        tallies = compute_live(moment, scope)
        medians = income_medians(moment, scope)
        for node in members:
            key = (node.kind, node.id)
            result[key] = _from_tally(node, tallies.get(key, Counter()), medians.get(key))
    return result


def _narrowest(node: NodeInfo, unit: Unit) -> Unit:
    """The smallest unit whose subtree holds all of the node's households."""
    if node.kind == NodeKind.UNIT:
        return Unit.objects.get(pk=node.id)
    if node.kind == NodeKind.GRID:
        return Unit.objects.filter(grids__pk=node.id).first() or unit
    branch = Unit.objects.filter(buildings__pk=node.id).first()
    return branch if branch is not None and branch.path.startswith(unit.path) else unit


def _from_tally(node: NodeInfo, counts: Counter[Any], median: Decimal | None) -> NodeFigures:
    labels = {key.split(":", 1)[1]: n for key, n in counts.items() if key.startswith("label:")}
    return NodeFigures(
        node,
        {name: int(counts.get(name, 0)) for name in COUNT_FIELDS},
        money(counts.get("income_total", 0)),
        median,
        labels,
        None,
    )


# --- the trend ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: date
    end: datetime
    red: int
    yellow: int
    green: int
    partial: bool


def trend(unit: Unit, months: int, now: datetime | None = None) -> list[TrendPoint]:
    """The unit's lights at the end of each of the ``months`` − 1 past months, and now."""
    moment = moment_at(now)
    past = past_months(moment, months - 1)
    stored = _stored_months(unit, past)
    points = [_past_point(unit, month, month in stored, stored.get(month)) for month in past]
    (current,) = figures(unit, [unit_info(unit)])
    c = current.counts
    points.append(
        TrendPoint(
            moment.today.replace(day=1), current.as_of or moment.now, c["red"], c["yellow"], c["green"], True
        )
    )
    return points


_COLORS = ("red", "yellow", "green")


def _stored_months(unit: Unit, months: list[date]) -> dict[date, tuple[int, int, int] | None]:
    """The snapshotted months among ``months`` with the unit's row of each (None: the unit had
    no lit household then), in one query."""
    row = MonthlyLights.objects.filter(kind=NodeKind.UNIT, node_id=unit.pk, month=OuterRef("month"))
    found = (
        TrendMonth.objects.filter(month__in=months)
        .annotate(**{c: Subquery(row.values(c)[:1]) for c in _COLORS})
        .values_list("month", *_COLORS)
    )
    return {month: None if red is None else (red, yellow, green) for month, red, yellow, green in found}


def _past_point(unit: Unit, month: date, stored: bool, lights: tuple[int, int, int] | None) -> TrendPoint:
    end = month_end(month)
    if not stored:  # not snapshotted yet: derive it from the history now
        counts = lights_at(end, unit).get((NodeKind.UNIT, unit.pk), Counter())
        return TrendPoint(month, end, counts["red"], counts["yellow"], counts["green"], False)
    return TrendPoint(month, end, *(lights or (0, 0, 0)), False)
