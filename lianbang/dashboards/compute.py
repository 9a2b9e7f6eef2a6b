"""The dashboard figures, computed set-based for every node at once or for one subtree.

Each family of figures is one grouped query keyed by the households' *leaf*: their lowest
unit, building and micro-grid. The leaves (a few per micro-grid) are then added up the tree
in memory (``Tally``), so a district of 1,000,000 households costs a handful of scans, never a
query per unit. Medians do not add up: they come from one window query over the households'
per-capita incomes fanned out to their nodes (``income_medians``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from lianbang.cases.clock import month_start, months_before
from lianbang.cases.models import Case, CaseStep
from lianbang.cases.vocab import CaseKind
from lianbang.dashboards.models import NodeKind
from lianbang.monitoring.models import HouseholdLabel, LightChange
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import NOT_IN_SCHOOL, HouseholdStatus, LaborSkill, MemberStatus, Schooling

Node = tuple[str, int]  # (NodeKind, id)
Leaf = tuple[int, int | None, int | None]  # (unit id, building id, grid id)

ELDERLY_LABELS = (
    "living_alone_elderly",
    "empty_nest_elderly",
    "advanced_age",
    "left_behind_elderly",
    "disabled_elderly",
)
CHILDREN_LABELS = ("left_behind_child", "unattended_child", "preschool_child", "school_age_child")
LABOUR_SKILLS = (LaborSkill.ORDINARY, LaborSkill.SKILLED, LaborSkill.WEAK)
STABLE_MONTHS = 6  # DOMAIN §6: employed continuously for at least six months
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Moment:
    """When the figures are taken: ``now`` and the local day, month start and cut-offs."""

    now: datetime
    today: date

    @property
    def month_start(self) -> datetime:
        return month_start(self.now)

    def born_by(self, age: int) -> date:
        """The latest birth date of someone at least ``age`` full years old today."""
        try:
            return self.today.replace(year=self.today.year - age)
        except ValueError:  # 29 February in a year without one
            return date(self.today.year - age, 2, 28)

    @property
    def stable_since(self) -> date:
        return months_before(self.now, STABLE_MONTHS).date()


Tallies = dict[Node, Counter[str]]


def compute(moment: Moment, unit: Unit | None = None) -> Tallies:
    """Every figure of every node (or of the nodes inside ``unit``'s subtree) as counters."""
    ancestors = ancestor_map()
    tallies: Tallies = defaultdict(Counter)
    for rows in (
        _households(moment, unit),
        _members(moment, unit),
        _incomes(moment, unit),
        _labels(unit),
        _new_risks(moment, unit),
        _cases(moment, unit),
    ):
        for leaf, counts in rows:
            for node in nodes_of(leaf, ancestors):
                tallies[node].update(counts)
    return tallies


def ancestor_map() -> dict[int, list[int]]:
    """Each unit's id with those of all units above it (from the materialized paths)."""
    return {
        pk: [int(p) for p in path.strip("/").split("/")]
        for pk, path in Unit.objects.values_list("pk", "path")
    }


def nodes_of(leaf: Leaf, ancestors: dict[int, list[int]]) -> Iterable[Node]:
    unit_id, building_id, grid_id = leaf
    for pk in ancestors.get(unit_id, [unit_id]):
        yield (NodeKind.UNIT, pk)
    if building_id is not None:
        yield (NodeKind.BUILDING, building_id)
    if grid_id is not None:
        yield (NodeKind.GRID, grid_id)


LeafRows = Iterable[tuple[Leaf, dict[str, Any]]]
_H = ("unit_id", "building_id", "grid_id")
_MH = ("household__unit_id", "household__building_id", "household__grid_id")


def _grouped(rows: QuerySet[Any], keys: tuple[str, ...], **aggregates: Any) -> LeafRows:
    for row in rows.values(*keys).annotate(**aggregates).order_by():
        leaf = (row[keys[0]], row[keys[1]], row[keys[2]])
        yield leaf, {name: row[name] for name in aggregates if row[name]}


def active_households(unit: Unit | None, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}status": HouseholdStatus.ACTIVE})
    return condition & path_prefix_q(unit.path, f"{prefix}unit__path") if unit is not None else condition


def _households(moment: Moment, unit: Unit | None) -> LeafRows:
    return _grouped(
        Household.objects.filter(active_households(unit)),
        _H,
        households=Count("pk"),
        red=Count("pk", filter=Q(light__color="red")),
        yellow=Count("pk", filter=Q(light__color="yellow")),
        green=Count("pk", filter=Q(light__color="green")),
        unjudged=Count("pk", filter=Q(light__isnull=True)),
    )


def labour_q(moment: Moment) -> Q:
    """A labour member (DOMAIN §4): 16–64, able to work, not in school (status checked apart)."""
    return Q(
        birth_date__lte=moment.born_by(16),
        birth_date__gt=moment.born_by(65),
        labor_skill__in=LABOUR_SKILLS,
        schooling__in=NOT_IN_SCHOOL,
    )


EMPLOYED = ~Q(work_location="")


def _members(moment: Moment, unit: Unit | None) -> LeafRows:
    labour = labour_q(moment)
    school_age = Q(birth_date__lte=moment.born_by(6), birth_date__gt=moment.born_by(16))
    return _grouped(
        Member.objects.filter(active_households(unit, "household__"), status=MemberStatus.ACTIVE),
        _MH,
        people=Count("pk"),
        labour=Count("pk", filter=labour),
        employed=Count("pk", filter=labour & EMPLOYED),
        stable=Count("pk", filter=labour & EMPLOYED & Q(employed_since__lte=moment.stable_since)),
        elderly=Count("pk", filter=Q(birth_date__lte=moment.born_by(65))),
        aged_80_plus=Count("pk", filter=Q(birth_date__lte=moment.born_by(80))),
        children=Count("pk", filter=Q(birth_date__gt=moment.born_by(18))),
        school_age=Count("pk", filter=school_age),
        dropouts=Count("pk", filter=school_age & Q(schooling=Schooling.DROPOUT)),
        unattended=Count("pk", filter=Q(unattended_child=True)),
    )


def _labels(unit: Unit | None) -> LeafRows:
    rows = (
        HouseholdLabel.objects.filter(
            active_households(unit, "household__"), label__code__in=ELDERLY_LABELS + CHILDREN_LABELS
        )
        .values(*_MH, "label__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield (row[_MH[0]], row[_MH[1]], row[_MH[2]]), {f"label:{row['label__code']}": row["n"]}


def _new_risks(moment: Moment, unit: Unit | None) -> LeafRows:
    """Households whose light rose from green (or none) to yellow or red this month."""
    changes = LightChange.objects.filter(
        active_households(unit, "household__"),
        changed_at__gte=moment.month_start,
        changed_at__lte=moment.now,
        from_color__in=["", "green"],
        to_color__in=["yellow", "red"],
    )
    return _grouped(changes, _MH, new_risks=Count("household_id", distinct=True))


def _cases(moment: Moment, unit: Unit | None) -> LeafRows:
    """Risk cases (防返贫风险; other matters have their own board): open, overdue, eliminated."""
    cases = Case.objects.filter(kind=CaseKind.RISK)
    if unit is not None:
        cases = cases.filter(path_prefix_q(unit.path, "unit__path"))
    late = CaseStep.objects.filter(
        case_id=OuterRef("pk"), done_at__isnull=True, cancelled_at__isnull=True, due_at__lt=moment.now
    )
    open_ = Q(closed_at__isnull=True)
    eliminated = Q(state="eliminated", closed_at__gte=moment.month_start, closed_at__lte=moment.now)
    return _grouped(
        cases.filter(open_ | eliminated),
        ("unit_id", "household__building_id", "household__grid_id"),
        open_cases=Count("pk", filter=open_),
        overdue_cases=Count("pk", filter=open_ & Q(Exists(late))),
        eliminated=Count("pk", filter=eliminated),
    )


# --- income -------------------------------------------------------------------------------

# Each active household's current income record (greatest year up to this year, DOMAIN §4) with
# its 家庭纯收入 and size (the record's, else the active members). Portable SQL (SQLite and
# PostgreSQL); "* 1.0" keeps SQLite from dividing integers. Correlated lookups (one index probe
# per household on income (household, year) and member (household, status)) keep the plan
# sound even when the planner's statistics are stale, e.g. right after a bulk load.
_PER_CAPITA = """
pc AS (
  SELECT h.unit_id, h.building_id, h.grid_id,
         i.wage + i.business + i.property_income + i.transfer - i.business_expense AS net,
         COALESCE(NULLIF(i.household_size, 0), (
           SELECT COUNT(*) FROM registry_member m WHERE m.household_id = h.id AND m.status = 'active'
         )) AS size
  FROM registry_household h
  JOIN org_unit hu ON hu.id = h.unit_id
  JOIN registry_income i ON i.household_id = h.id AND i.year = (
    SELECT MAX(year) FROM registry_income last WHERE last.household_id = h.id AND last.year <= %s
  )
  WHERE h.status = 'active' AND hu.path LIKE %s
)"""

_LEAF_INCOME = f"""WITH {_PER_CAPITA}
SELECT unit_id, building_id, grid_id, COUNT(*), SUM(size), SUM(net)
FROM pc WHERE size > 0 GROUP BY unit_id, building_id, grid_id"""

_MEDIANS = f"""WITH RECURSIVE closure(unit_id, ancestor_id) AS (
  SELECT id, id FROM org_unit
  UNION ALL
  SELECT c.unit_id, u.parent_id FROM closure c JOIN org_unit u ON u.id = c.ancestor_id
  WHERE u.parent_id IS NOT NULL
), {_PER_CAPITA}, nodes AS (
  SELECT 'unit' AS kind, c.ancestor_id AS node_id, pc.net * 1.0 / pc.size AS v
  FROM pc JOIN closure c ON c.unit_id = pc.unit_id WHERE pc.size > 0
  UNION ALL
  SELECT 'building', building_id, net * 1.0 / size FROM pc WHERE size > 0 AND building_id IS NOT NULL
  UNION ALL
  SELECT 'grid', grid_id, net * 1.0 / size FROM pc WHERE size > 0 AND grid_id IS NOT NULL
), ranked AS (
  SELECT kind, node_id, v,
         ROW_NUMBER() OVER (PARTITION BY kind, node_id ORDER BY v) AS rn,
         COUNT(*) OVER (PARTITION BY kind, node_id) AS n
  FROM nodes
)
SELECT kind, node_id, AVG(v) FROM ranked WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2
GROUP BY kind, node_id"""


def _path_like(unit: Unit | None) -> str:
    return (unit.path if unit is not None else "/") + "%"


def _incomes(moment: Moment, unit: Unit | None) -> LeafRows:
    with connection.cursor() as cursor:
        cursor.execute(_LEAF_INCOME, [moment.today.year, _path_like(unit)])
        rows = cursor.fetchall()
    for unit_id, building_id, grid_id, households, people, total in rows:
        counts = {"income_households": households, "income_people": int(people), "income_total": money(total)}
        yield (unit_id, building_id, grid_id), counts


def income_medians(moment: Moment, unit: Unit | None = None) -> dict[Node, Decimal]:
    """The median 人均纯收入 of every node's households (mean of the middle two when even)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # sort the fanned-out incomes in memory
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(_MEDIANS, [moment.today.year, _path_like(unit)])
        rows = cursor.fetchall()
    return {(kind, int(node_id)): money(value) for kind, node_id, value in rows}


def money(value: Any) -> Decimal:
    """An amount rounded to the fen (SQLite hands back floats, PostgreSQL decimals)."""
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)
