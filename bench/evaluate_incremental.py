"""Benchmark: one member change saved and the household's new light ready (issue 3).

    .venv/bin/python bench/evaluate_incremental.py [--changes 300]

On the database DATABASE_URL names (SQLite var/lianbang.sqlite3 by default) holding the demo
district (`make demo` or `lianbang generate`). Prints p50/p95/max of `member_update` (validate,
save, history row, audit entry, re-judge facts + rules + labels, light history, alerts) and, in
the same process, the same saves with the re-judgement switched off, to show what judging adds.

Two ways of undoing the changes are measured:
  * kept: all changes of a run stay in one transaction that is rolled back at the end. Each
    save is then like a committed one: on PostgreSQL the judging statement stays prepared on
    the connection, as it does in a server process.
  * rolled back each: every change is rolled back at once. psycopg forgets its prepared
    statements on every ROLLBACK, so on PostgreSQL each save re-plans the judging statement
    (the cost a request pays after a failed transaction).
Nothing is left in the database.

The machine may be shared: the load average is printed, and so is the CPU time each save
took in this process (and, on PostgreSQL on this machine, in its server process), which
other programs' load does not inflate as it does the elapsed time.
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
os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept

import django

django.setup()

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

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


class Run:
    """Elapsed and CPU milliseconds of each save in a run."""

    def __init__(self) -> None:
        self.elapsed: list[float] = []
        self.cpu: list[float] = []
        self.server_cpu = 0.0


def timed_updates(members: list[Member], *, rollback_each: bool = False) -> Run:
    run = Run()
    server_before = server_cpu_ms()
    if rollback_each:
        for index, member in enumerate(members):
            with transaction.atomic():
                timed_update(run, member, index)
                transaction.set_rollback(True)
    else:
        with transaction.atomic():
            for index, member in enumerate(members):
                timed_update(run, member, index)
            transaction.set_rollback(True)
    run.server_cpu = (server_cpu_ms() - server_before) / len(members)
    return run


def timed_update(run: Run, member: Member, index: int) -> None:
    started, cpu = time.perf_counter(), time.thread_time()
    member_update(member=member, changes=change_for(member, index))
    HouseholdLight.objects.get(household_id=member.household_id)
    run.cpu.append((time.thread_time() - cpu) * 1000)
    run.elapsed.append((time.perf_counter() - started) * 1000)


def server_cpu_ms() -> float:
    """CPU time so far of this connection's PostgreSQL server process (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def queries_per_save(member: Member) -> int:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        timed_update(Run(), member, 0)
        transaction.set_rollback(True)
    return len(captured.captured_queries)


def summary(run: Run) -> str:
    elapsed, cpu = sorted(run.elapsed), sorted(run.cpu)
    server = f" + server {run.server_cpu:.1f} ms mean" if connection.vendor == "postgresql" else ""
    return (
        f"p50 {statistics.median(elapsed):.1f} ms, p95 {p95(elapsed):.1f} ms, max {elapsed[-1]:.1f} ms"
        f" | CPU p50 {statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms{server}"
    )


def p95(ordered: list[float]) -> float:
    return ordered[int(len(ordered) * 0.95) - 1]


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
    print(f"{connection.vendor}, {len(ids)} active members, {len(members)} changes; load {load()}")
    timed_updates(members[:20])  # warm caches and connections
    print(f"queries per save + re-judge: {queries_per_save(members[0])}")
    print(f"save + re-judge, kept:             {summary(timed_updates(members))}")
    print(f"save + re-judge, rolled back each: {summary(timed_updates(members, rollback_each=True))}")
    household_changed.disconnect(reevaluate_household)
    try:
        print(f"save only (no judge), kept:        {summary(timed_updates(members))}")
    finally:
        household_changed.connect(reevaluate_household)
    print(f"load {load()}")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
