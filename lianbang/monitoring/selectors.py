"""Reads the engine needs: the active rule set, computed labels and monitoring lines."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from lianbang.monitoring.models import Label, MonitoringLine, RuleSet
from lianbang.monitoring.plan import LabelSpec, RuleSpec, spec_keys
from lianbang.monitoring.sql import Sql, fen
from lianbang.monitoring.staleness import key_rows
from lianbang.registry.models import Household


def active_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).prefetch_related("rules").first()


def rule_specs(rule_set: RuleSet) -> list[RuleSpec]:
    return [RuleSpec(r.code, r.color, r.condition) for r in rule_set.rules.all()]


@dataclass(frozen=True)
class EvaluationSpecs:
    version: int
    recent_days: int
    rules: list[RuleSpec]
    labels: list[LabelSpec]

    @functools.cached_property
    def keys(self) -> tuple[str, str]:
        """The conditions serialised once, for the plan cache."""
        return spec_keys(self.rules, self.labels)


_specs_cache: dict[tuple[object, ...], EvaluationSpecs] = {}

_ACTIVE_STAMP = (
    "SELECT r.id, r.version, (SELECT COUNT(*) FROM monitoring_label) AS labels, "
    "(SELECT MAX(updated_at) FROM monitoring_label) AS labels_at "
    "FROM monitoring_ruleset r WHERE r.status = %s ORDER BY r.id LIMIT 1"
)


def evaluation_specs() -> EvaluationSpecs | None:
    """The active rules and computed labels, re-read only when they changed.

    An active rule set never changes (only drafts are edited) and every label edit moves
    ``Label.updated_at``, so one small query tells whether the cache still holds."""
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_STAMP, (RuleSet.Status.ACTIVE.value,))
        stamp = cursor.fetchone()
    return None if stamp is None else _specs_of(tuple(stamp))


def _specs_of(stamp: tuple[Any, ...]) -> EvaluationSpecs:
    """The specs ``stamp`` (rule set id, version, label count and last label edit) names."""
    if stamp not in _specs_cache:
        active = RuleSet.objects.prefetch_related("rules").get(pk=stamp[0])
        _specs_cache.clear()
        _specs_cache[stamp] = EvaluationSpecs(
            active.version, active.recent_days, rule_specs(active), computed_label_specs()
        )
    return _specs_cache[stamp]


@dataclass(frozen=True)
class HouseholdInputs:
    """What judging one household needs besides its own rows."""

    specs: EvaluationSpecs
    lines: dict[str, int]  # the household's region code: its monitoring line in fen
    line_rows: tuple[tuple[str, ...], ...]  # every monitoring line, for the judgement key


def household_inputs(household_id: int, as_of: date) -> HouseholdInputs | None:
    """:func:`evaluation_specs`, the household's monitoring line and every line's row in one
    query (each save re-judges its household, and every round trip counts there); None when no
    rule set is active or the household does not exist."""
    amount = fen(Sql("ml.amount"), connection.vendor).text
    query = (
        f"SELECT s.id, s.version, s.labels, s.labels_at, h.region_code, "
        f"ml.region_prefix, ml.year, ml.amount, {amount} "
        f"FROM ({_ACTIVE_STAMP}) s CROSS JOIN registry_household h "
        "LEFT JOIN monitoring_monitoringline ml ON 1 = 1 "
        "WHERE h.id = %s ORDER BY ml.region_prefix, ml.year"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, (RuleSet.Status.ACTIVE.value, household_id))
        rows = cursor.fetchall()
    if not rows:
        return None
    region = str(rows[0][4])
    listed = [row[5:] for row in rows if row[5] is not None]
    return HouseholdInputs(
        _specs_of(tuple(rows[0][:4])),
        _best_line(region, [(str(p), int(y), int(f)) for p, y, _, f in listed], as_of.year),
        key_rows(row[:3] for row in listed),
    )


def _best_line(region: str, lines: list[tuple[str, int, int]], year: int) -> dict[str, int]:
    """``{region: fen}`` of the longest matching prefix's line for ``year`` or the latest
    earlier one (``{}`` if none matches)."""
    matching = [line for line in lines if line[1] <= year and region.startswith(line[0])]
    if not matching:
        return {}
    best = max(matching, key=lambda line: (len(line[0]), line[1]))
    return {region: best[2]}


def computed_label_specs() -> list[LabelSpec]:
    labels = Label.objects.filter(kind=Label.Kind.COMPUTED, active=True).order_by("pk")
    return [LabelSpec(lb.pk, lb.code, lb.condition or {}) for lb in labels]


def line_fen(region_code: str, year: int) -> int | None:
    """监测线 in fen: the longest matching region prefix, its entry for ``year`` or the latest
    earlier one."""
    lines = MonitoringLine.objects.filter(year__lte=year).values_list("region_prefix", "year", "amount")
    best = _best_line(region_code, [(prefix, y, int(amount * 100)) for prefix, y, amount in lines], year)
    return best.get(region_code)


def lines_for(region_codes: set[str], as_of: date) -> dict[str, int]:
    found = {code: line_fen(code, as_of.year) for code in region_codes}
    return {code: fen for code, fen in found.items() if fen is not None}


def region_codes_of(household_ids: list[int] | None) -> set[str]:
    rows = (
        Household.objects.all() if household_ids is None else Household.objects.filter(pk__in=household_ids)
    )
    return set(rows.values_list("region_code", flat=True).distinct())
