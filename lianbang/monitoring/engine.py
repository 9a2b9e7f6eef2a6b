"""Judging households: run the plan, turn rows into lights, keep the history."""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from lianbang.monitoring.facts import Context
from lianbang.monitoring.models import (
    COLOR_RANK,
    Color,
    HouseholdLabel,
    HouseholdLight,
    Label,
    LightChange,
    RuleSet,
)
from lianbang.monitoring.plan import InTable, LabelSpec, Plan, RuleSpec, build_plan
from lianbang.monitoring.selectors import household_inputs, lines_for, region_codes_of
from lianbang.monitoring.signals import light_changed
from lianbang.monitoring.staleness import judgement_key


@dataclass(frozen=True)
class Judgement:
    household_id: int
    region_code: str
    color: str
    rules: list[str]
    labels: list[int]
    income_missing: bool


def context_for(as_of: date, rule_set: RuleSet | None) -> Context:
    days = rule_set.recent_days if rule_set else 90
    return Context(as_of=as_of, recent_days=days, vendor=connection.vendor)


def make_plan(
    *,
    as_of: date,
    rules: list[RuleSpec],
    labels: list[LabelSpec] | None,
    household_ids: list[int] | InTable | None,
    recent_days: int = 90,
) -> Plan:
    """``labels`` None: the rules alone are judged (``plan.build_plan``)."""
    ctx = Context(as_of=as_of, recent_days=recent_days, vendor=connection.vendor)
    listed = household_ids if isinstance(household_ids, list) else None
    lines = lines_for(region_codes_of(listed), as_of)
    return build_plan(ctx, rules, labels, lines, household_ids)


def judge(plan: Plan) -> list[Judgement]:
    return [_judgement(plan, row) for row in _rows(plan)]


def _rows(plan: Plan) -> list[tuple[object, ...]]:
    """The plan's rows. On PostgreSQL the statement is prepared once per connection: planning
    this wide statement costs several times more than running it for one household."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        raw = connection.connection
        # Django's client-side cursors never prepare; this server-side one may (psycopg
        # refuses to prepare while the threshold is None, as Django leaves it). A raw cursor
        # takes the statement as PostgreSQL numbers its parameters: psycopg converts only
        # short statements once and this one (~100 kB) at every execution otherwise.
        if raw.prepare_threshold is None:
            raw.prepare_threshold = 5
        with psycopg.RawCursor(raw) as cursor:
            cursor.execute(numbered_placeholders(plan.select.text), plan.select.params, prepare=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(plan.select.text, plan.select.params)
        return cursor.fetchall()


@functools.lru_cache(maxsize=16)
def numbered_placeholders(text: str) -> str:
    """``text`` with PostgreSQL's ``$1, $2, …`` in place of the ``%s`` placeholders, and a
    literal ``%`` for each ``%%``, left to right."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", text)


_PLACEHOLDER = re.compile(r"%%|%s")


def _judgement(plan: Plan, row: tuple[object, ...]) -> Judgement:
    household_id, region_code, income_missing, *rule_flags, labels_held = row
    fired = [rule for rule, flag in zip(plan.rules, rule_flags, strict=True) if flag]
    labels = [int(label_id) for label_id in json.loads(str(labels_held))]
    return Judgement(
        int(str(household_id)),
        str(region_code),
        color_of(fired),
        [r.code for r in fired],
        labels,
        bool(income_missing),
    )


def color_of(fired: list[RuleSpec]) -> str:
    colors = {rule.color for rule in fired}
    if Color.RED in colors:
        return Color.RED
    return Color.YELLOW if Color.YELLOW in colors else Color.GREEN


def higher(a: str, b: str) -> str:
    return a if COLOR_RANK[Color(a)] >= COLOR_RANK[Color(b)] else b


@transaction.atomic(savepoint=False)
def household_evaluate(*, household_id: int, cause: str, as_of: date | None = None) -> HouseholdLight | None:
    """Re-judge one household now (the incremental path); None if no rule set is active.

    No savepoint of its own: it runs inside the registry write that called it, and a failure
    here fails that write."""
    day = as_of or timezone.localdate()
    inputs = household_inputs(household_id, day)
    if inputs is None:
        return None
    specs = inputs.specs
    ctx = Context(as_of=day, recent_days=specs.recent_days, vendor=connection.vendor)
    plan = build_plan(ctx, specs.rules, specs.labels, inputs.lines, [household_id], keys=specs.keys)
    judgements = judge(plan)
    if not judgements:
        return None
    key = judgement_key(
        version=specs.version, recent_days=specs.recent_days, keys=specs.keys, line_rows=inputs.line_rows
    )
    return apply_judgement(judgements[0], specs.version, day, cause, key)


def apply_judgement(
    judgement: Judgement, version: int, as_of: date, cause: str, key: str = ""
) -> HouseholdLight:
    """Store a judgement; a change of colour or of the rules fired is kept as a LightChange.
    ``key`` (``staleness.judgement_key``) and ``as_of`` are kept as what the judgement vouches
    for, so that a bulk run need not reach it again."""
    light = HouseholdLight.objects.select_for_update().filter(household_id=judgement.household_id).first()
    floor = light.floor_color if light else Color.GREEN
    color = higher(judgement.color, floor)
    # The light row keeps the label list of the last judgement (None once a label it held was
    # switched off): the label rows are compared only when the list moved, as in a bulk run.
    labels_moved = light is None or light.labels != judgement.labels
    changed = light is None or light.color != color or light.rules != judgement.rules
    change = None
    if changed:
        change = LightChange.objects.create(
            household_id=judgement.household_id,
            from_color=light.color if light else "",
            to_color=color,
            rules=judgement.rules,
            previous_rules=light.rules if light else [],
            rule_set_version=version,
            as_of=as_of,
            cause=cause,
            changed_at=timezone.now(),
            region_code=judgement.region_code,
        )
    if changed or light is None or _details_differ(light, judgement):
        creating = light is None
        light = light or HouseholdLight(household_id=judgement.household_id, floor_color=floor)
        light.color, light.rules, light.labels = color, judgement.rules, judgement.labels
        light.income_missing = judgement.income_missing
        light.rule_set_version, light.as_of, light.since = version, as_of, timezone.now()
        light.region_code = judgement.region_code
        light.judged_on, light.judged_key = as_of, key
        light.save(force_insert=creating)
    elif (light.judged_on, light.judged_key) != (as_of, key):
        HouseholdLight.objects.filter(household_id=light.household_id).update(judged_on=as_of, judged_key=key)
        light.judged_on, light.judged_key = as_of, key
    if labels_moved:
        _sync_labels(judgement)
    if change is not None:
        light_changed.send(sender=LightChange, change=change)
    return light


def _details_differ(light: HouseholdLight, judgement: Judgement) -> bool:
    """What the light row keeps besides its colour and rules."""
    return light.income_missing != judgement.income_missing or light.labels != judgement.labels


@transaction.atomic
def light_floor_set(*, household_id: int, color: str, cause: str) -> HouseholdLight | None:
    """Hold a household's light at ``color`` or above (an open assistance case), or release it
    (``green``); the household is re-judged at once, so a release can lower the light."""
    updated = HouseholdLight.objects.filter(household_id=household_id).update(floor_color=color)
    if not updated:
        household_evaluate(household_id=household_id, cause=cause)
        HouseholdLight.objects.filter(household_id=household_id).update(floor_color=color)
    return household_evaluate(household_id=household_id, cause=cause)


def _sync_labels(judgement: Judgement) -> None:
    """Computed labels follow the data; manual ones (set by a person) are left alone."""
    held = _computed_labels_held(judgement.household_id)
    wanted = set(judgement.labels)
    if held - wanted:
        HouseholdLabel.objects.filter(
            household_id=judgement.household_id, label_id__in=held - wanted
        ).delete()
    if wanted - held:
        HouseholdLabel.objects.bulk_create(
            [
                HouseholdLabel(
                    household_id=judgement.household_id, label_id=label_id, region_code=judgement.region_code
                )
                for label_id in sorted(wanted - held)
            ]
        )


_HELD = (
    "SELECT hl.label_id FROM monitoring_householdlabel hl "
    "JOIN monitoring_label l ON l.id = hl.label_id WHERE hl.household_id = %s AND l.kind = %s"
)


def _computed_labels_held(household_id: int) -> set[int]:
    """Plain SQL: every incremental judgement asks it."""
    with connection.cursor() as cursor:
        cursor.execute(_HELD, (household_id, Label.Kind.COMPUTED.value))
        return {int(row[0]) for row in cursor.fetchall()}
