"""Benchmark: `lianbang evaluate --all` against its lower bound and the naive loop (issue 3).

Run on a generated district in PostgreSQL, e.g.

    createdb -h 127.0.0.1 -U postgres lb_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench
    .venv/bin/lianbang migrate && .venv/bin/lianbang generate --households 1000000
    .venv/bin/python bench/evaluate_bulk.py --as-of 2026-11-29 [--sample 10000]

It prints, in one process:
  (a) the hand-written SQL of bench/handwritten_lights.sql (one read-only statement);
  (r) the engine's own statement for the rules only, read only (the same work as (a));
  (e) the engine's set-based run with labels and every write, twice: from no stored lights
      (every light written), then again with --full over unchanged data (every household
      judged, nothing to write); its lights must equal (a) household by household;
  (b) a per-household Python loop over the ORM on a sample, extrapolated to all households;
  (n) the nightly runs without --full: the same day again, one day and seven days later (only
      the households whose judgement no longer holds are judged), then a full run on the last
      date, which must change nothing;
  (s) a rule changed: 收入临界 (Y_NEAR_LINE) widened from 1.1 to 1.2 times the line, the new
      rule set activated and its queued re-judgement run as the worker runs it, then the 1.1
      restored the same way (the active rules end as they began). Every household is judged
      again, by the rules alone: their labels still hold.
Before (n) and between the runs of (s) the light and label tables are vacuumed, as autovacuum
would after such writes on a production server (this machine's PostgreSQL runs without it, and
the dead row versions a million-row UPDATE leaves would slow every later scan of the lights).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.conf import settings
from django.db import connection

from lianbang.cases.receivers import alert_on_bulk_run
from lianbang.monitoring.bulk import BulkReport, _rule_color, households_evaluate_all, run_queued_evaluations
from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.facts import age_cutoff
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, LightChange
from lianbang.monitoring.rulesets import RULE_FIELDS, rule_save, rule_set_activate, rule_set_draft
from lianbang.monitoring.selectors import (
    evaluation_specs,
    line_fen,
)
from lianbang.monitoring.signals import lights_changed_in_bulk
from lianbang.monitoring.tests import reference
from lianbang.registry.models import Household


def handwritten(as_of: date) -> tuple[float, dict[int, str]]:
    sql = (ROOT / "bench" / "handwritten_lights.sql").read_text(encoding="utf-8")
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    line = line_fen("530113", as_of.year)
    params = {
        "year": as_of.year,
        "c16": age_cutoff(as_of, 16),
        "c65": age_cutoff(as_of, 65),
        "c6": age_cutoff(as_of, 6),
        "start": as_of.fromordinal(as_of.toordinal() - 90),
        "as_of": as_of,
        "line": (line or 0) / 100,
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, {int(pk): color for pk, color in rows}


def engine_read_only(as_of: date) -> tuple[float, dict[int, str]]:
    """The engine's statement for the rules only (no labels), colour computed in SQL: the same
    work as the hand-written statement, compiled from the rule set's JSON conditions."""
    specs = evaluation_specs()
    assert specs is not None
    started = time.perf_counter()
    plan = make_plan(
        as_of=as_of, rules=specs.rules, labels=[], household_ids=None, recent_days=specs.recent_days
    )
    select = plan.select.wrap(f"SELECT j.household_id, {_rule_color(plan).text} FROM ({{}}) j")
    with connection.cursor() as cursor:
        cursor.execute(select.text, select.params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, {int(pk): color for pk, color in rows}


def engine(as_of: date) -> tuple[float, float, dict[int, str]]:
    # TRUNCATE, not DELETE: millions of dead rows left in the tables and their indexes (nothing
    # vacuums them mid-run) would make the cold run slower than a first run really is.
    tables = [model._meta.db_table for model in (HouseholdLabel, LightChange, HouseholdLight)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    cold, first = timed(lambda: households_evaluate_all(as_of=as_of, cause="bench"))
    report("cold run (nothing stored)", first)
    warm, second = timed(lambda: households_evaluate_all(as_of=as_of, cause="bench", full=True))
    report("warm full run (--full, unchanged data)", second)
    lights = dict(HouseholdLight.objects.values_list("household_id", "color"))
    return cold, warm, lights


def vacuum() -> None:
    """What autovacuum does on a production server after a large write (this machine's server
    runs without it): dead row versions of the lights and label rows cleared, statistics
    renewed. Not timed as part of any run."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE monitoring_householdlight, monitoring_householdlabel, monitoring_lightchange"
        )
    print(f"    (vacuumed the lights, label rows and light changes: {time.perf_counter() - started:.1f} s)")


def nightly(as_of: date, lower: float) -> None:
    """The runs a district makes every night: the same day again, the next day, a week on;
    each judges only the households whose judgement no longer holds. The last is checked
    against a full run on the same date (nothing may change)."""
    for days in (0, 1, 7):
        day = as_of + timedelta(days=days)
        seconds, run = timed(lambda day=day: households_evaluate_all(as_of=day, cause="bench"))
        report(f"run as of {day} (+{days} d)", run)
        print(f"(n) +{days} d: {seconds:.2f} s ({seconds / lower:.2f}× a)")
    seconds, check = timed(lambda: households_evaluate_all(as_of=day, cause="bench", full=True))
    print(f"    full run as of {day} afterwards: {check.lights_changed} lights changed ({seconds:.2f} s)")


def rule_change(as_of: date, lower: float) -> None:
    settings.LIANBANG_JOBS_EAGER = False  # the run is queued, and run here as the worker would
    for index, band in enumerate(("1.2", "1.1")):
        if index:
            vacuum()
        draft = rule_set_draft(actor=None, name=f"bench: 收入临界 {band}")
        rule = draft.rules.get(code="Y_NEAR_LINE")
        values = {field: getattr(rule, field) for field in RULE_FIELDS} | {"position": rule.position}
        values["condition"] = near_line_band(rule.condition, band)
        rule_save(rule_set=draft, code=rule.code, values=values)
        rule_set_activate(rule_set=draft, actor=None, as_of=as_of)
        started = time.perf_counter()
        (run,) = run_queued_evaluations()
        seconds = time.perf_counter() - started
        report(f"rule set v{draft.version}, 收入临界 below {band}× the line", run)
        print(
            f"(s) v{draft.version}, 收入临界 {band}×: {seconds:.2f} s ({seconds / lower:.2f}× a), "
            f"{run.households_rules_only} by the rules alone"
        )


def near_line_band(condition: dict[str, Any], band: str) -> dict[str, Any]:
    """Y_NEAR_LINE's condition (at or above the line, below ``times`` of it) with another band."""
    changed = copy.deepcopy(condition)
    upper = changed["all"][1]["value"]
    assert upper["fact"] == "monitoring_line", condition
    upper["times"] = band
    return changed


def timed(run: Callable[[], BulkReport]) -> tuple[float, BulkReport]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def report(what: str, run: BulkReport) -> None:
    print(
        f"    {what}: {run.households} judged, {run.households_current} still current, "
        f"{run.lights_changed} lights changed, {run.seconds_judging:.2f} s finding and judging "
        f"+ {run.seconds_writing:.2f} s writing"
    )


def naive(as_of: date, sample: int) -> tuple[float, int]:
    ids = list(Household.objects.filter(status="active").values_list("pk", flat=True))
    chosen = random.Random(1).sample(ids, min(sample, len(ids)))
    started = time.perf_counter()
    for household in Household.objects.filter(pk__in=chosen).iterator(chunk_size=500):
        reference.color_of(reference.reference_rules(household, as_of))
    elapsed = time.perf_counter() - started
    return elapsed / len(chosen) * len(ids), len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 29))
    parser.add_argument("--sample", type=int, default=10000)
    parser.add_argument("--nightly-only", action="store_true", help="only (n), over the stored lights")
    parser.add_argument("--rule-change-only", action="store_true", help="only (s), over the stored lights")
    args = parser.parse_args()
    total = Household.objects.filter(status="active").count()
    print(f"{connection.vendor}, {total} active households, as of {args.as_of}")
    if connection.vendor != "postgresql":
        sys.exit("the hand-written lower bound is PostgreSQL SQL: set DATABASE_URL")
    # Cases turn light changes into alerts and cases, and the dashboards rebuild their roll-ups
    # after a run (bench/dashboard_api.py --refresh times that): neither is judging, so neither
    # is timed here.
    lights_changed_in_bulk.disconnect(alert_on_bulk_run)
    settings.LIANBANG_DASHBOARDS_REFRESH_ON_BULK = False
    lower, lower_lights = handwritten(args.as_of)
    print(f"(a) hand-written SQL (read only): {lower:.2f} s")
    if args.nightly_only:
        nightly(args.as_of, lower)
        return
    if args.rule_change_only:
        rule_change(args.as_of + timedelta(days=7), lower)
        return
    compiled, compiled_lights = engine_read_only(args.as_of)
    differ = sum(1 for pk, color in lower_lights.items() if compiled_lights.get(pk) != color)
    print(
        f"(r) engine statement, rules only, read only: {compiled:.2f} s "
        f"({compiled / lower:.2f}× a), {differ} differ"
    )
    cold, warm, lights = engine(args.as_of)
    print(
        f"(e) engine, set-based, with 137 labels and every write: cold {cold:.2f} s ({cold / lower:.2f}× a), "
        f"warm full {warm:.2f} s ({warm / lower:.2f}× a)"
    )
    mismatches = sum(1 for pk, color in lower_lights.items() if lights.get(pk) != color)
    print(f"    lights identical to (a): {mismatches == 0} ({mismatches} differ of {len(lower_lights)})")
    naive_total, sampled = naive(args.as_of, args.sample)
    print(
        f"(b) per-household ORM loop: {sampled} sampled, {naive_total:.1f} s extrapolated "
        f"(engine cold is {naive_total / cold:.0f}× faster)"
    )
    counts = {c: sum(1 for v in lights.values() if v == c) for c in ("green", "yellow", "red")}
    shares = ", ".join(f"{c} {n} ({n / max(total, 1):.1%})" for c, n in counts.items())
    print(f"    lights: {shares}")
    vacuum()
    nightly(args.as_of, lower)
    vacuum()
    rule_change(args.as_of + timedelta(days=7), lower)


if __name__ == "__main__":
    main()
