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


def child_nodes(unit: Unit, by: str) -> list[NodeInfo]:
    """The rows of a drill-down step: child units (a floor group's: its micro-grids), or every
    building / micro-grid of the subtree."""
    if by == "unit":
        children = list(unit.children.order_by("name"))
        if children:
            return [unit_info(child) for child in children]
        by = "grid"
    if by == "building":
        buildings = Building.objects.filter(path_prefix_q(unit.path, "branch__path")).order_by("number")
        return [NodeInfo(NodeKind.BUILDING, b.pk, b.name) for b in buildings]
    grids = MicroGrid.objects.filter(path_prefix_q(unit.path, "unit__path")).order_by("code")
    return [NodeInfo(NodeKind.GRID, g.pk, g.name) for g in grids]


def figures(unit: Unit, nodes: list[NodeInfo]) -> list[NodeFigures]:
    """The figures of ``nodes`` (all inside ``unit``'s subtree), from the roll-up; a node the
    roll-up lacks is computed live over the smallest subtree that holds it."""
    stored = _stored(nodes)
    missing = [node for node in nodes if (node.kind, node.id) not in stored]
    live = _live(unit, missing) if missing else {}
    return [
        _from_rollup(node, stored[(node.kind, node.id)])
        if (node.kind, node.id) in stored
        else live[(node.kind, node.id)]
        for node in nodes
    ]


def _stored(nodes: list[NodeInfo]) -> dict[tuple[str, int], Rollup]:
    ids: dict[str, list[int]] = {}
    for node in nodes:
        ids.setdefault(node.kind, []).append(node.id)
    rows = Rollup.objects.none()
    for kind, pks in ids.items():
        rows |= Rollup.objects.filter(kind=kind, node_id__in=pks)
    return {(r.kind, r.node_id): r for r in rows}


def _from_rollup(node: NodeInfo, row: Rollup) -> NodeFigures:
    counts = {name: getattr(row, name) for name in COUNT_FIELDS}
    return NodeFigures(node, counts, row.income_total, row.median_per_capita, row.labels, row.computed_at)


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
    stored = set(TrendMonth.objects.filter(month__in=past).values_list("month", flat=True))
    rows = {
        r.month: r
        for r in MonthlyLights.objects.filter(kind=NodeKind.UNIT, node_id=unit.pk, month__in=stored)
    }
    points = [_past_point(unit, month, rows.get(month), month in stored) for month in past]
    (current,) = figures(unit, [unit_info(unit)])
    c = current.counts
    points.append(
        TrendPoint(
            moment.today.replace(day=1), current.as_of or moment.now, c["red"], c["yellow"], c["green"], True
        )
    )
    return points


def _past_point(unit: Unit, month: date, row: MonthlyLights | None, stored: bool) -> TrendPoint:
    end = month_end(month)
    if row is None and not stored:  # not snapshotted yet: derive it from the history now
        counts = lights_at(end, unit).get((NodeKind.UNIT, unit.pk), Counter())
        return TrendPoint(month, end, counts["red"], counts["yellow"], counts["green"], False)
    if row is None:
        return TrendPoint(month, end, 0, 0, 0, False)
    return TrendPoint(month, end, row.red, row.yellow, row.green, False)
