"""Reads for the console: a node's figures, its children's, the trend (from the roll-ups).

Callers pass a unit they obtained through ``lianbang.accounts.scope`` (the API does); every
node read here lies inside that unit's subtree. When the roll-up lacks a node (never refreshed,
or created since), its figures are computed live over the unit's subtree instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

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
    """The figures of ``nodes`` (all inside ``unit``'s subtree), from the roll-up or live."""
    keys = Q()
    for node in nodes:
        keys |= Q(kind=node.kind, node_id=node.id)
    stored = {(r.kind, r.node_id): r for r in Rollup.objects.filter(keys)} if nodes else {}
    if len(stored) == len(nodes):
        return [_from_rollup(node, stored[(node.kind, node.id)]) for node in nodes]
    return _live(unit, nodes)


def _from_rollup(node: NodeInfo, row: Rollup) -> NodeFigures:
    counts = {name: getattr(row, name) for name in COUNT_FIELDS}
    return NodeFigures(node, counts, row.income_total, row.median_per_capita, row.labels, row.computed_at)


def _live(unit: Unit, nodes: list[NodeInfo]) -> list[NodeFigures]:
    moment = moment_at()
    tallies = compute_live(moment, unit)
    medians = income_medians(moment, unit)
    result = []
    for node in nodes:
        counts: Counter[Any] = tallies.get((node.kind, node.id), Counter())
        labels = {key.split(":", 1)[1]: n for key, n in counts.items() if key.startswith("label:")}
        result.append(
            NodeFigures(
                node,
                {name: int(counts.get(name, 0)) for name in COUNT_FIELDS},
                money(counts.get("income_total", 0)),
                medians.get((node.kind, node.id)),
                labels,
                None,
            )
        )
    return result


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
