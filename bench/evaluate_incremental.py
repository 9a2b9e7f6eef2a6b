"""Benchmark: one member change saved and the household's new light ready (issue 3).

    .venv/bin/python bench/evaluate_incremental.py [--changes 300]

On the database DATABASE_URL names (SQLite var/lianbang.sqlite3 by default) holding the demo
district (`make demo` or `lianbang generate`). Prints p50/p95/max of `member_update` (validate,
save, history row, re-judge facts + rules + labels, light history) and, in the same process,
the same saves with the re-judgement switched off, to show what judging adds. Every change is
rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.db import connection, transaction

from lianbang.monitoring.models import HouseholdLight
from lianbang.monitoring.receivers import reevaluate_household
from lianbang.registry.models import Member
from lianbang.registry.services import member_update
from lianbang.registry.signals import household_changed


def change_for(member: Member, index: int) -> dict[str, object]:
    """A real change that is valid for any member: insurance flags flip."""
    if index % 2:
        return {"pension_insurance": not member.pension_insurance}
    return {"medical_insurance": not member.medical_insurance}


def timed_updates(members: list[Member]) -> list[float]:
    times = []
    for index, member in enumerate(members):
        with transaction.atomic():
            started = time.perf_counter()
            member_update(member=member, changes=change_for(member, index))
            HouseholdLight.objects.get(household_id=member.household_id)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=300)
    args = parser.parse_args()
    ids = list(
        Member.objects.filter(status="active", household__status="active").values_list("pk", flat=True)
    )
    if not ids:
        sys.exit("no members: generate the demo district first")
    chosen = random.Random(7).sample(ids, min(args.changes, len(ids)))
    members = list(Member.objects.filter(pk__in=chosen).select_related("household"))
    print(f"{connection.vendor}, {len(ids)} active members, {len(members)} changes")
    timed_updates(members[:20])  # warm caches and connections
    print(f"save + re-judge:      {summary(timed_updates(members))}")
    household_changed.disconnect(reevaluate_household)
    try:
        print(f"save only (no judge): {summary(timed_updates(members))}")
    finally:
        household_changed.connect(reevaluate_household)


if __name__ == "__main__":
    main()
