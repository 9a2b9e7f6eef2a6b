"""Reads the engine needs: the active rule set, computed labels and monitoring lines."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.db import connection

from lianbang.monitoring.models import Label, MonitoringLine, RuleSet
from lianbang.monitoring.plan import LabelSpec, RuleSpec, spec_keys
from lianbang.monitoring.sql import Sql, fen
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

_STAMP = (
    "SELECT r.id, r.version, (SELECT COUNT(*) FROM monitoring_label), "
    "(SELECT MAX(updated_at) FROM monitoring_label) "
    "FROM monitoring_ruleset r WHERE r.status = %s ORDER BY r.id LIMIT 1"
)


def evaluation_specs() -> EvaluationSpecs | None:
    """The active rules and computed labels, re-read only when they changed.

    An active rule set never changes (only drafts are edited) and every label edit moves
    ``Label.updated_at``, so one small query tells whether the cache still holds."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP, (RuleSet.Status.ACTIVE.value,))
        key = cursor.fetchone()
    if key is None:
        return None
    if key not in _specs_cache:
        active = RuleSet.objects.prefetch_related("rules").get(pk=key[0])
        _specs_cache.clear()
        _specs_cache[key] = EvaluationSpecs(
            active.version, active.recent_days, rule_specs(active), computed_label_specs()
        )
    return _specs_cache[key]


def computed_label_specs() -> list[LabelSpec]:
    labels = Label.objects.filter(kind=Label.Kind.COMPUTED, active=True).order_by("pk")
    return [LabelSpec(lb.pk, lb.code, lb.condition or {}) for lb in labels]


def line_fen(region_code: str, year: int) -> int | None:
    """监测线 in fen: the longest matching region prefix, its entry for ``year`` or the latest
    earlier one."""
    candidates = MonitoringLine.objects.filter(year__lte=year).order_by("-year")
    best: MonitoringLine | None = None
    for line in candidates:
        if region_code.startswith(line.region_prefix) and (
            best is None or len(line.region_prefix) > len(best.region_prefix)
        ):
            best = line
    return None if best is None else int(best.amount * 100)


def lines_for(region_codes: set[str], as_of: date) -> dict[str, int]:
    found = {code: line_fen(code, as_of.year) for code in region_codes}
    return {code: fen for code, fen in found.items() if fen is not None}


def lines_of_households(household_ids: list[int], as_of: date) -> dict[str, int]:
    """What ``lines_for(region_codes_of(household_ids), as_of)`` gives, in one query: the
    households' region codes with every line of the year or earlier, matched here."""
    amount = fen(Sql("ml.amount"), connection.vendor).text
    marks = ", ".join(["%s"] * len(household_ids))
    query = (
        f"SELECT DISTINCT h.region_code, ml.region_prefix, ml.year, {amount} "
        "FROM registry_household h LEFT JOIN monitoring_monitoringline ml ON ml.year <= %s "
        f"WHERE h.id IN ({marks})"
    )
    best: dict[str, tuple[int, int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, (as_of.year, *household_ids))
        for region, prefix, year, amount_fen in cursor.fetchall():
            if prefix is None or not region.startswith(prefix):
                continue
            rank = (len(prefix), year, int(amount_fen))
            if region not in best or rank[:2] > best[region][:2]:
                best[region] = rank
    return {region: rank[2] for region, rank in best.items()}


def region_codes_of(household_ids: list[int] | None) -> set[str]:
    rows = (
        Household.objects.all() if household_ids is None else Household.objects.filter(pk__in=household_ids)
    )
    return set(rows.values_list("region_code", flat=True).distinct())
