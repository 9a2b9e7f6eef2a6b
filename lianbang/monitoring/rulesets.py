"""Rule sets: drafts are edited and tried, activation is checked, then everything is re-judged."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError, invalid
from lianbang.monitoring.conditions import validate_condition
from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.models import Color, EvaluationRun, Rule, RuleSet
from lianbang.monitoring.plan import RuleSpec
from lianbang.monitoring.selectors import active_rule_set, computed_label_specs, rule_specs
from lianbang.registry.models import Household

RULE_FIELDS = ("color", "risk_type", "name", "reason", "reason_en", "condition")


@transaction.atomic
def rule_set_draft(*, actor: User | None, name: str = "") -> RuleSet:
    """A new draft copied from the active rule set, with the next version number."""
    source = active_rule_set()
    latest = RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0
    draft = RuleSet.objects.create(
        version=latest + 1,
        name=name or f"草稿 v{latest + 1}",
        created_by=actor,
        parameters=dict(source.parameters) if source else {"recent_days": 90},
    )
    for rule in source.rules.all() if source else []:
        Rule.objects.create(
            rule_set=draft,
            code=rule.code,
            position=rule.position,
            **{f: getattr(rule, f) for f in RULE_FIELDS},
        )
    return draft


@transaction.atomic
def rule_save(*, rule_set: RuleSet, code: str, values: dict[str, Any]) -> Rule:
    """Create or change one rule of a draft; the condition is validated before it is kept."""
    _require_draft(rule_set)
    if values.get("color") not in (Color.RED, Color.YELLOW):
        raise invalid("color", values.get("color"), "灯色应为 red 或 yellow", "color must be red or yellow")
    validate_condition(values.get("condition"))
    rule, _ = Rule.objects.update_or_create(
        rule_set=rule_set,
        code=code,
        defaults={f: values.get(f, "") for f in RULE_FIELDS} | {"position": values.get("position", 99)},
    )
    return rule


def _require_draft(rule_set: RuleSet) -> None:
    if rule_set.status != RuleSet.Status.DRAFT:
        raise invalid(
            "rule_set",
            rule_set.version,
            "只能修改草稿规则集；请先新建草稿",
            "only a draft rule set can be changed; create a draft first",
        )


@transaction.atomic
def rule_set_activate(*, rule_set: RuleSet, actor: User | None, as_of: date | None = None) -> EvaluationRun:
    """Check every rule, prove the whole set runs, switch to it and queue a full re-judgement."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    _require_draft(rule_set)
    specs = rule_specs(rule_set)
    for index, spec in enumerate(specs):
        validate_condition(spec.condition, path=f"rules[{index}].condition")
    _dry_run(specs, rule_set.recent_days)
    RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).update(status=RuleSet.Status.RETIRED)
    rule_set.status, rule_set.activated_at = RuleSet.Status.ACTIVE, timezone.now()
    rule_set.save(update_fields=["status", "activated_at"])
    return schedule_bulk_evaluation(
        as_of=as_of or timezone.localdate(), rule_set=rule_set, cause=f"rule_set_v{rule_set.version}"
    )


def _dry_run(specs: list[RuleSpec], recent_days: int) -> None:
    """Run the complete plan on no household: any SQL the database refuses surfaces here."""
    plan = make_plan(
        as_of=timezone.localdate(),
        rules=specs,
        labels=computed_label_specs(),
        household_ids=[],
        recent_days=recent_days,
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(plan.select.text, plan.select.params)
            cursor.fetchall()
    except DatabaseError as exc:
        raise ApplicationError(
            "rule_set_broken", "规则集无法执行，未启用", "the rule set cannot run; it was not activated"
        ) from exc


def schedule_bulk_evaluation(*, as_of: date, rule_set: RuleSet, cause: str) -> EvaluationRun:
    """Queue a full re-judgement: run on commit when jobs are eager (the demo), else by the
    worker (``lianbang evaluate --queued``)."""
    from lianbang.monitoring.bulk import run_queued_evaluations

    run = EvaluationRun.objects.create(
        as_of=as_of, rule_set_version=rule_set.version, cause=cause, status=EvaluationRun.Status.QUEUED
    )
    if settings.LIANBANG_JOBS_EAGER:
        transaction.on_commit(run_queued_evaluations)
    return run


def rule_preview(*, condition: Any, as_of: date, sample: int = 20) -> tuple[int, list[str]]:
    """How many active households a draft condition would hit, and which (a sample)."""
    validate_condition(condition)
    plan = make_plan(
        as_of=as_of, rules=[RuleSpec("PREVIEW", Color.RED, condition)], labels=[], household_ids=None
    )
    hits = plan.select.wrap("SELECT household_id FROM ({}) preview WHERE r_0 = 1")
    with connection.cursor() as cursor:
        cursor.execute(hits.text, hits.params)
        ids = [row[0] for row in cursor.fetchall()]
    numbers = Household.objects.filter(pk__in=ids[:sample]).order_by("household_no")
    return len(ids), list(numbers.values_list("household_no", flat=True))
