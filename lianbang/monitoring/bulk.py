"""Re-judging every household set-based: the plan's SELECT into a temporary table, then a
handful of INSERT … SELECT / UPDATE … FROM statements. No Python loop over households."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.models import EvaluationRun, RuleSet
from lianbang.monitoring.plan import InTable, LabelSpec, Plan, RuleSpec, spec_keys
from lianbang.monitoring.selectors import active_rule_set, computed_label_specs, rule_specs
from lianbang.monitoring.signals import lights_changed_in_bulk
from lianbang.monitoring.sql import Sql, analyze_temporary, combine, count_rows
from lianbang.monitoring.staleness import (
    STALE_LABELS_TABLE,
    STALE_RULES_TABLE,
    STALE_TABLE,
    Stamp,
    baseline_move,
    create_stale_table,
    drop_stale_table,
    judgement_key,
    light_stamp,
    rules_alone_moved,
    split_stale_table,
)


@dataclass(frozen=True)
class BulkReport:
    households: int
    lights_changed: int
    seconds_judging: float
    seconds_writing: float
    # Active households whose stored judgement still holds on the date, left as they are.
    households_current: int = 0
    # Of the households judged, those whose labels still held: their rules alone were judged.
    households_rules_only: int = 0


def households_evaluate_all(*, as_of: date, cause: str = "bulk", full: bool = False) -> BulkReport:
    """Bring every active household's judgement up to ``as_of`` with the active rule set; keep
    the changes. Households whose stored judgement provably still holds are not judged again
    (lianbang.monitoring.staleness) unless ``full``."""
    rule_set = active_rule_set()
    if rule_set is None:
        return BulkReport(0, 0, 0.0, 0.0)
    run = EvaluationRun.objects.create(as_of=as_of, rule_set_version=rule_set.version, cause=cause)
    return _run(run, rule_set, full)


# The households judged per statement: each id is bound six times (households, members,
# events, the income years and the two income records), well under PostgreSQL's 65,535
# parameters.
SOME_CHUNK = 5000


@transaction.atomic
def households_evaluate_some(*, household_ids: list[int], as_of: date, cause: str) -> int:
    """Judge these households with the monitoring engine's set-based bulk evaluation and keep
    the changes (lights, light history, computed labels); alerts are raised as after a bulk
    run (``lights_changed_in_bulk``, once for all). Returns the number of lights changed.

    The statements of :func:`households_evaluate_all`, with the plan restricted to these
    households (an import judges only the households its file names)."""
    rule_set = active_rule_set()
    if rule_set is None or not household_ids:
        return 0
    now = timezone.now()
    changed = 0
    ids = sorted(household_ids)
    rules, labels = rule_specs(rule_set), computed_label_specs()
    judged = Judged(rule_set.version, as_of, _key(rule_set, rules, labels))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), SOME_CHUNK):
            chunk = ids[start : start + SOME_CHUNK]
            plan = make_plan(
                as_of=as_of,
                rules=rules,
                labels=labels,
                household_ids=chunk,
                recent_days=rule_set.recent_days,
            )
            _create_judgements(cursor, [plan])
            changed += _write_lights(cursor, judged, cause, now)
            _write_labels(cursor, plan)
            _drop_temporaries(cursor)
    lights_changed_in_bulk.send(sender=EvaluationRun, changed_at=now, cause=cause)
    return changed


def run_queued_evaluations() -> list[BulkReport]:
    """Run the queued full re-judgements, oldest first; each is claimed once."""
    reports = []
    for run in EvaluationRun.objects.filter(status=EvaluationRun.Status.QUEUED).order_by("pk"):
        claimed = EvaluationRun.objects.filter(pk=run.pk, status=EvaluationRun.Status.QUEUED).update(
            status=EvaluationRun.Status.RUNNING
        )
        rule_set = active_rule_set()
        if claimed and rule_set is not None:
            reports.append(_run(run, rule_set))
    return reports


def _run(run: EvaluationRun, rule_set: RuleSet, full: bool = False) -> BulkReport:
    try:
        report = _evaluate_all(rule_set, run.as_of, run.cause, full)
    except Exception as exc:
        EvaluationRun.objects.filter(pk=run.pk).update(
            status=EvaluationRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=EvaluationRun.Status.DONE,
        households=report.households,
        lights_changed=report.lights_changed,
        rule_set_version=rule_set.version,
        finished_at=timezone.now(),
    )
    return report


@dataclass(frozen=True)
class Judged:
    """What a bulk write stamps on the lights it keeps: the rule-set version, the evaluation
    date and the judgement key (``staleness.judgement_key``). A run that judges every active
    household (``everyone``) stamps no light: it moves the baseline, and the lights it writes
    or that kept a stamp of their own are left without one."""

    version: int
    as_of: date
    key: str
    everyone: bool = False

    @property
    def stamp(self) -> tuple[date | None, str | None]:
        """The date and key the written lights keep."""
        return (None, None) if self.everyone else (self.as_of, self.key)


def _key(rule_set: RuleSet, rules: list[RuleSpec], labels: list[LabelSpec]) -> str:
    return judgement_key(
        version=rule_set.version, recent_days=rule_set.recent_days, keys=spec_keys(rules, labels)
    )


@transaction.atomic
def _evaluate_all(rule_set: RuleSet, as_of: date, cause: str, full: bool = False) -> BulkReport:
    rules, labels = rule_specs(rule_set), computed_label_specs()
    judged = Judged(rule_set.version, as_of, _key(rule_set, rules, labels))
    started = time.perf_counter()
    households = changed = current = 0
    now = timezone.now()
    with connection.cursor() as cursor:
        stale = None
        active = count_rows(cursor, _ACTIVE)
        stamp = light_stamp()
        if not full:
            stale = create_stale_table(
                cursor,
                stamp=stamp,
                key=judged.key,
                as_of=as_of,
                rules=rules,
                labels=labels,
                recent_days=rule_set.recent_days,
            )
            current = active - stale
        plans, rules_only = _plans(cursor, judged, stamp, rules, labels, rule_set.recent_days, stale, active)
        if stale is None or stale == active:
            judged = replace(judged, everyone=True)
            baseline_move(judged_on=as_of, judged_key=judged.key)
        timed = time.perf_counter()  # finding the stale households counts as judging
        if plans:  # everyone (a full run) or the stale ones
            _create_judgements(cursor, plans)
            timed = time.perf_counter()
            households = count_rows(cursor, "SELECT COUNT(*) FROM monitoring_new")
            changed = _write_lights(cursor, judged, cause, now)
            _write_labels(cursor, plans[0])
        _drop_temporaries(cursor)
        drop_stale_table(cursor)
    lights_changed_in_bulk.send(sender=EvaluationRun, changed_at=now, cause=cause)
    return BulkReport(households, changed, timed - started, time.perf_counter() - timed, current, rules_only)


_ACTIVE = "SELECT COUNT(*) FROM registry_household WHERE status = 'active'"


def _plans(
    cursor: CursorWrapper,
    judged: Judged,
    stamp: Stamp,
    rules: list[RuleSpec],
    labels: list[LabelSpec],
    recent_days: int,
    stale: int | None,
    active: int,
) -> tuple[list[Plan], int]:
    """What to judge: everyone (``stale`` is None: a full run), or the ``stale`` households of
    ``active``; when some lights were judged under other rules but the same labels (a new rule
    set), those whose labels still hold are judged by the rules alone
    (``staleness.split_stale_table``). The plan that judges labels, if any, comes first; with
    the number judged by the rules alone."""

    def plan(scope: InTable | None, count: int, *, with_labels: bool = True) -> Plan:
        return make_plan(
            as_of=judged.as_of,
            rules=rules,
            labels=labels if with_labels else None,
            # Every active household: no filter to apply (it costs a semi-join in every pass).
            household_ids=None if count == active else scope,
            recent_days=recent_days,
        )

    if stale == 0:
        return [], 0
    if stale is None:
        return [plan(None, active)], 0
    if not rules_alone_moved(cursor, stamp=stamp, key=judged.key):
        return [plan(InTable(STALE_TABLE), stale)], 0
    with_labels, rules_only = split_stale_table(
        cursor, stamp=stamp, key=judged.key, as_of=judged.as_of, labels=labels, recent_days=recent_days
    )
    plans = [plan(InTable(STALE_LABELS_TABLE), with_labels)] if with_labels else []
    if rules_only:
        plans.append(plan(InTable(STALE_RULES_TABLE), rules_only, with_labels=False))
    return plans, rules_only


# Rows go in in the order of their keys. The judging joins leave households in hash order, and
# inserting a million lights or sixteen million label rows in that order touches the index
# pages at random (and checks the foreign keys at random): the first run over an empty store
# wrote its label rows in 136 s instead of 182 s and committed in 244 s instead of 303 s
# (1 M households, docs/rules.md).
_IN_KEY_ORDER = "ORDER BY n.household_id"


def _moment(value: datetime) -> object:
    """A timestamp bound the way the ORM binds it, so ORM lookups on it match (SQLite text)."""
    return connection.ops.adapt_datetimefield_value(value)


def _execute(cursor: CursorWrapper, sql: Sql) -> None:
    cursor.execute(sql.text, sql.params)


def _drop_temporaries(cursor: CursorWrapper) -> None:
    for table in ("monitoring_eval", "monitoring_new", "monitoring_new_labels"):
        cursor.execute(f"DROP TABLE IF EXISTS {table}", ())


def _create_judgements(cursor: CursorWrapper, plans: list[Plan]) -> None:
    """The plans' rows (the same columns; a plan that keeps the labels has NULL for them) in
    ``monitoring_eval``, and beside each what its light holds now in ``monitoring_new``."""
    _drop_temporaries(cursor)
    first, *others = plans
    _execute(cursor, first.select.wrap("CREATE TEMPORARY TABLE monitoring_eval AS {}"))
    for plan in others:
        _execute(cursor, plan.select.wrap("INSERT INTO monitoring_eval {}"))
    rule_color = _rule_color(first)
    compared = combine(
        "SELECT j.household_id, j.region_code, "
        "j.income_missing, CASE "
        "WHEN hl.floor_color = 'red' OR {} = 'red' THEN 'red' "
        "WHEN hl.floor_color = 'yellow' OR {} = 'yellow' THEN 'yellow' ELSE 'green' END AS color, "
        "{} AS rules_json, hl.color AS old_color, hl.rules AS old_rules, "
        "hl.income_missing AS old_income_missing, hl.judged_on AS old_judged_on, "
        "hl.judged_key AS old_judged_key, "
        "COALESCE(j.labels, CAST(hl.labels AS TEXT)) AS labels_json, "
        "CASE WHEN j.labels IS NULL THEN 0 "
        f"WHEN hl.labels IS NULL OR {_json('hl.labels')} <> {_json('j.labels')} "
        "THEN 1 ELSE 0 END AS labels_differ "
        "FROM monitoring_eval j LEFT JOIN monitoring_householdlight hl "
        "ON hl.household_id = j.household_id",
        rule_color,
        rule_color,
        _rules_json(first),
    )
    # Whether the light moved, decided once here rather than in each write that asks.
    rules_differ = f"{_json('c.old_rules')} <> {_json('c.rules_json')}"
    final = compared.wrap(
        "CREATE TEMPORARY TABLE monitoring_new AS SELECT c.*, CASE WHEN c.old_color IS NULL "
        f"OR c.old_color <> c.color OR {rules_differ} THEN 1 ELSE 0 END AS light_differs FROM ({{}}) c"
    )
    _execute(cursor, final)
    analyze_temporary(cursor, "monitoring_new")


def _rule_color(plan: Plan) -> Sql:
    def any_of(color: str) -> str:
        flags = [f"j.{plan.rule_column(i)} = 1" for i, r in enumerate(plan.rules) if r.color == color]
        return " OR ".join(flags) or "1 = 0"

    return Sql(
        f"(CASE WHEN {any_of('red')} THEN 'red' WHEN {any_of('yellow')} THEN 'yellow' ELSE 'green' END)"
    )


def _rules_json(plan: Plan) -> Sql:
    """The fired rule codes as a JSON array text, in rule order; codes travel as parameters."""
    if not plan.rules:
        return Sql("'[]'")
    pieces = [
        combine(f"CASE WHEN j.{plan.rule_column(i)} = 1 THEN {{}} ELSE '' END", Sql.value(f',"{rule.code}"'))
        for i, rule in enumerate(plan.rules)
    ]
    joined = Sql.join(" || ", pieces)
    return combine("('[' || SUBSTR({}, 2) || ']')", joined)


def _json(expression: str) -> str:
    return f"CAST({expression} AS jsonb)" if connection.vendor == "postgresql" else f"json({expression})"


def _write_lights(cursor: CursorWrapper, judged: Judged, cause: str, now: datetime) -> int:
    previous = _json("COALESCE(n.old_rules, '[]')")
    changes = combine(
        "INSERT INTO monitoring_lightchange (household_id, from_color, to_color, rules, "
        "previous_rules, rule_set_version, as_of, cause, changed_at, region_code) "
        f"SELECT n.household_id, COALESCE(n.old_color, ''), n.color, {_json('n.rules_json')}, "
        f"{previous}, {{}}, {{}}, {{}}, {{}}, n.region_code "
        f"FROM monitoring_new n WHERE n.light_differs = 1 {_IN_KEY_ORDER}",
        Sql.value(judged.version),
        Sql.value(judged.as_of),
        Sql.value(cause),
        Sql.value(_moment(now)),
    )
    _execute(cursor, changes)
    changed = cursor.rowcount
    _update_lights(cursor, judged, now)
    _insert_lights(cursor, judged, now)
    _mark_judged(cursor, judged)
    return changed


def _rewritten() -> str:
    """The judgements whose light row is written in full (the stamp with it): a light that
    moved, its income-missing flag or its label list."""
    missing_changed = "(n.old_income_missing <> (n.income_missing = 1))"
    if connection.vendor == "sqlite":
        missing_changed = "(n.old_income_missing <> n.income_missing)"
    return f"(n.light_differs = 1 OR {missing_changed} OR n.labels_differ = 1)"


def _update_lights(cursor: CursorWrapper, judged: Judged, now: datetime) -> None:
    update = combine(
        "UPDATE monitoring_householdlight SET color = n.color, "
        f"rules = {_json('n.rules_json')}, income_missing = (n.income_missing = 1), "
        f"labels = {_json('n.labels_json')}, "
        "rule_set_version = {}, as_of = {}, since = {}, judged_on = {}, judged_key = {} "
        "FROM monitoring_new n WHERE monitoring_householdlight.household_id = n.household_id "
        f"AND n.old_color IS NOT NULL AND {_rewritten()}",
        Sql.value(judged.version),
        Sql.value(judged.as_of),
        Sql.value(_moment(now)),
        *map(Sql.value, judged.stamp),
    )
    _execute(cursor, update)


def _insert_lights(cursor: CursorWrapper, judged: Judged, now: datetime) -> None:
    insert = combine(
        "INSERT INTO monitoring_householdlight (household_id, color, rules, income_missing, labels, "
        "floor_color, rule_set_version, as_of, since, region_code, judged_on, judged_key) "
        f"SELECT n.household_id, n.color, {_json('n.rules_json')}, (n.income_missing = 1), "
        f"{_json('n.labels_json')}, "
        "'green', {}, {}, {}, n.region_code, {}, {} FROM monitoring_new n WHERE n.old_color IS NULL "
        + _IN_KEY_ORDER,
        Sql.value(judged.version),
        Sql.value(judged.as_of),
        Sql.value(_moment(now)),
        *map(Sql.value, judged.stamp),
    )
    _execute(cursor, insert)


def _distinct() -> str:
    """NULL-safe "differs": a stamp may be NULL on either side."""
    return "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"


def _mark_judged(cursor: CursorWrapper, judged: Judged) -> None:
    """The lights judged again and found unchanged now vouch for this date and key too: with
    a stamp of their own, or (a run over everyone) with none, holding the baseline's.

    The test reads the stamps ``monitoring_new`` copied, whose statistics are fresh, not the
    light table's: after a run over everyone the latter say no light has a stamp, and
    PostgreSQL then planned a nested loop over the million judgements for each light with one
    (still running after six minutes on 1 M households)."""
    on, key = judged.stamp
    mark = combine(
        "UPDATE monitoring_householdlight SET judged_on = {}, judged_key = {} "
        "FROM monitoring_new n WHERE monitoring_householdlight.household_id = n.household_id "
        f"AND n.old_color IS NOT NULL AND NOT {_rewritten()} "
        f"AND (n.old_judged_on {_distinct()} {{}} OR n.old_judged_key {_distinct()} {{}})",
        Sql.value(on),
        Sql.value(key),
        Sql.value(on),
        Sql.value(key),
    )
    _execute(cursor, mark)


def _write_labels(cursor: CursorWrapper, plan: Plan) -> None:
    """Computed labels follow the judgement: add the new ones, remove those that no longer hold.

    Only the households whose labels differ from the set their light row keeps are touched;
    for them the label rows themselves are compared, so a row that went astray is mended too."""
    if not plan.labels or not count_rows(
        cursor, "SELECT COUNT(*) FROM monitoring_new WHERE labels_differ = 1"
    ):
        return
    _execute(cursor, Sql(_NEW_LABELS.format(elements=_label_elements())))
    analyze_temporary(cursor, "monitoring_new_labels")
    ids = Sql.join(", ", [Sql.value(label.label_id) for label in plan.labels])
    _execute(
        cursor,
        ids.wrap(
            "DELETE FROM monitoring_householdlabel WHERE label_id IN ({}) "
            "AND household_id IN (SELECT household_id FROM monitoring_new WHERE labels_differ = 1) "
            "AND NOT EXISTS (SELECT 1 FROM monitoring_new_labels n WHERE "
            "n.household_id = monitoring_householdlabel.household_id "
            "AND n.label_id = monitoring_householdlabel.label_id)"
        ),
    )
    _execute(
        cursor,
        Sql.value(_moment(timezone.now())).wrap(
            "INSERT INTO monitoring_householdlabel (household_id, label_id, set_at, region_code) "
            "SELECT n.household_id, n.label_id, {}, n.region_code FROM monitoring_new_labels n "
            "WHERE NOT EXISTS (SELECT 1 FROM monitoring_householdlabel x "
            "WHERE x.household_id = n.household_id AND x.label_id = n.label_id) "
            f"{_IN_KEY_ORDER}, n.label_id"
        ),
    )


_NEW_LABELS = (
    "CREATE TEMPORARY TABLE monitoring_new_labels AS "
    "SELECT n.household_id, n.region_code, CAST(e.value AS BIGINT) AS label_id "
    "FROM monitoring_new n {elements} WHERE n.labels_differ = 1"
)


def _label_elements() -> str:
    """The label ids of ``n.labels_json``, one row each."""
    if connection.vendor == "postgresql":
        return "CROSS JOIN LATERAL jsonb_array_elements_text(CAST(n.labels_json AS jsonb)) AS e(value)"
    return "JOIN json_each(n.labels_json) AS e"
