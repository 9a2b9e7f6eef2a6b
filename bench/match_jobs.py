"""Benchmark: matching every job seeker against every open job of the district (issue 10).

Run on the demo district (``make demo``, or ``lianbang generate`` then ``lianbang
demo_employment``), on SQLite or PostgreSQL:

    .venv/bin/python bench/match_jobs.py [--as-of 2026-11-29] [--limit 10] [--repeat 3]

It prints, in one process:
  (s) the set-based match: one SQL statement scores all seeker × open-job pairs and keeps
      each seeker's best ``--limit`` jobs (a window function);
  (n) the naive per-pair Python loop over the same seekers and jobs (all rows loaded first,
      then ``factors`` for every pair, sorted per seeker);
and checks that both produce the same ranked lists.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.db import connection

from lianbang.demo.calendar import EVALUATION_DATE
from lianbang.employment.matching import match, naive_match, open_jobs, seekers
from lianbang.registry.models import Member


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--as-of", type=date.fromisoformat, default=EVALUATION_DATE)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    people, jobs = seekers(Member.objects.all(), args.as_of), open_jobs(args.as_of)
    n_people, n_jobs = people.count(), jobs.count()
    print(
        f"database {connection.vendor}; {n_people:,} seekers × {n_jobs:,} open jobs"
        f" = {n_people * n_jobs:,} pairs"
    )

    set_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        found = match(people, jobs, today=args.as_of, limit=args.limit)
        set_times.append(time.perf_counter() - start)
    print(
        f"(s) set-based SQL:   best {min(set_times):7.3f} s over {args.repeat} runs"
        f" ({len(found):,} rows kept)"
    )

    start = time.perf_counter()
    people_rows, job_rows = list(people), list(jobs)
    loaded = time.perf_counter() - start
    naive = naive_match(people_rows, job_rows, today=args.as_of, limit=args.limit)
    naive_time = time.perf_counter() - start
    print(f"(n) per-pair Python: {naive_time:7.3f} s (of which loading rows {loaded:.3f} s)")
    print(f"    ratio n/s: {naive_time / min(set_times):.1f}×")

    by_sql: dict[int, list[tuple[int, int]]] = {}
    for row in found:
        by_sql.setdefault(row.member_id, []).append((row.score, row.posting_id))
    same = {k: v for k, v in naive.items() if v} == by_sql
    print(f"same ranked lists: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
