"""Writes of the dashboards app: rebuilding the roll-ups and the monthly light snapshots."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lianbang.cases.clock import current, months_before
from lianbang.dashboards.compute import (
    Moment,
    Node,
    Tallies,
    ancestor_map,
    compute,
    income_medians,
    nodes_of,
)
from lianbang.dashboards.models import MonthlyLights, NodeKind, Rollup, TrendMonth
from lianbang.monitoring.models import LightChange
from lianbang.org.models import Building, MicroGrid, Unit, path_prefix_q
from lianbang.registry.models import Household
from lianbang.registry.vocab import HouseholdStatus

TREND_MONTHS = 12
BATCH = 2000
COUNT_FIELDS = [
    f.name
    for f in Rollup._meta.get_fields()
    if f.get_internal_type() == "PositiveIntegerField"  # type: ignore[union-attr]
]


@dataclass(frozen=True)
class RefreshReport:
    nodes: int
    months_added: list[str]
    seconds: float

    def summary(self) -> str:
        added = "、".join(self.months_added) or "无"
        return f"看板汇总：{self.nodes} 个节点，新增月末快照 {added}，用时 {self.seconds:.1f} 秒"


def moment_at(now: datetime | None = None) -> Moment:
    moment = current(now)
    return Moment(moment, timezone.localtime(moment).date())


def all_nodes() -> list[Node]:
    units = [(NodeKind.UNIT.value, pk) for pk in Unit.objects.values_list("pk", flat=True)]
    buildings = [(NodeKind.BUILDING.value, pk) for pk in Building.objects.values_list("pk", flat=True)]
    grids = [(NodeKind.GRID.value, pk) for pk in MicroGrid.objects.values_list("pk", flat=True)]
    return units + buildings + grids


def rollup_refresh(*, now: datetime | None = None, trend_months: int = TREND_MONTHS) -> RefreshReport:
    """Recompute every node's figures and replace the roll-up in one transaction; then store
    the end-of-month lights of past months not stored yet."""
    started = timezone.now()
    moment = moment_at(now)
    tallies = compute(moment)
    medians = income_medians(moment)
    rows = [
        rollup_row(node, tallies.get(node, Counter()), medians.get(node), moment.now) for node in all_nodes()
    ]
    with transaction.atomic():
        _lock(Rollup)
        Rollup.objects.all().delete()
        Rollup.objects.bulk_create(rows, batch_size=BATCH)
    added = trend_fill(moment, trend_months)
    return RefreshReport(len(rows), added, (timezone.now() - started).total_seconds())


def rollup_row(node: Node, counts: Counter[str], median: Any, at: datetime) -> Rollup:
    labels = {key.split(":", 1)[1]: n for key, n in counts.items() if key.startswith("label:")}
    return Rollup(
        kind=node[0],
        node_id=node[1],
        income_total=counts.get("income_total", 0),
        median_per_capita=median,
        labels=labels,
        computed_at=at,
        **{name: counts.get(name, 0) for name in COUNT_FIELDS},
    )


def _lock(model: type[Rollup] | type[MonthlyLights]) -> None:
    """Two refreshes at once (a bulk run's and the schedule's) take turns: the second waits and
    then replaces what the first wrote. Readers are never blocked (PostgreSQL; SQLite
    serialises writers anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")


# --- the trend ------------------------------------------------------------------------------


def month_end(month: date) -> datetime:
    """The end of ``month`` (its first day): local midnight of the next month's first day."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(following, time.min))


def past_months(moment: Moment, count: int) -> list[date]:
    """The ``count`` months before the current one, oldest first (first days)."""
    first = moment.today.replace(day=1)
    return [
        months_before(timezone.make_aware(datetime.combine(first, time.min)), n).date()
        for n in range(count, 0, -1)
    ]


def registered_at(end: datetime, prefix: str = "") -> Q:
    """Households on the register at ``end``: active now, or left on or after that day."""
    day = timezone.localtime(end).date()
    return Q(**{f"{prefix}status": HouseholdStatus.ACTIVE}) | Q(**{f"{prefix}status_date__gte": day})


def lights_at(end: datetime, unit: Unit | None = None) -> Tallies:
    """Red / yellow / green households of every node at ``end``, from the light history: each
    household's last change before ``end`` (one indexed probe per household)."""
    last = LightChange.objects.filter(household_id=OuterRef("pk"), changed_at__lt=end).order_by(
        "-changed_at", "-pk"
    )
    households: QuerySet[Household] = Household.objects.filter(registered_at(end))
    if unit is not None:
        households = households.filter(path_prefix_q(unit.path, "unit__path"))
    rows = (
        households.annotate(color=Subquery(last.values("to_color")[:1]))
        .filter(color__isnull=False)
        .values("unit_id", "building_id", "grid_id", "color")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ancestors = ancestor_map()
    tallies: Tallies = {}
    for row in rows:
        for node in nodes_of((row["unit_id"], row["building_id"], row["grid_id"]), ancestors):
            tallies.setdefault(node, Counter())[row["color"]] += row["n"]
    return tallies


def trend_fill(moment: Moment, months: int) -> list[str]:
    """Store the end-of-month lights of the past months not stored yet (a past month's end never
    changes: the light history is append-only)."""
    stored = set(TrendMonth.objects.values_list("month", flat=True))
    added = []
    for month in past_months(moment, months):
        if month not in stored:
            end = month_end(month)
            # Before the first judgement there is nothing to count (skips a scan per month).
            history = LightChange.objects.filter(changed_at__lt=end).exists()
            _store_month(month, lights_at(end) if history else {})
            added.append(f"{month:%Y-%m}")
    return added


def _store_month(month: date, tallies: Tallies) -> None:
    rows = [
        MonthlyLights(
            kind=kind, node_id=pk, month=month, **{c: counts.get(c, 0) for c in ("red", "yellow", "green")}
        )
        for (kind, pk), counts in tallies.items()
    ]
    with transaction.atomic():
        _lock(MonthlyLights)
        MonthlyLights.objects.filter(month=month).delete()
        MonthlyLights.objects.bulk_create(rows, batch_size=BATCH)
        TrendMonth.objects.update_or_create(month=month, defaults={"computed_at": timezone.now()})
