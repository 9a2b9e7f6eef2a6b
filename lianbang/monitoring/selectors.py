"""Reads the engine needs: the active rule set, computed labels and monitoring lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max

from lianbang.monitoring.models import Label, MonitoringLine, RuleSet
from lianbang.monitoring.plan import LabelSpec, RuleSpec
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


_specs_cache: dict[tuple[object, ...], EvaluationSpecs] = {}


def evaluation_specs() -> EvaluationSpecs | None:
    """The active rules and computed labels, re-read only when they changed.

    An active rule set never changes (only drafts are edited) and every label edit moves
    ``Label.updated_at``, so one small aggregate query tells whether the cache still holds."""
    rule_set = RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).values("pk", "version").first()
    if rule_set is None:
        return None
    stamp = Label.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
    key = (rule_set["pk"], rule_set["version"], stamp["n"], stamp["latest"])
    if key not in _specs_cache:
        active = RuleSet.objects.prefetch_related("rules").get(pk=rule_set["pk"])
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


def region_codes_of(household_ids: list[int] | None) -> set[str]:
    rows = (
        Household.objects.all() if household_ids is None else Household.objects.filter(pk__in=household_ids)
    )
    return set(rows.values_list("region_code", flat=True).distinct())
