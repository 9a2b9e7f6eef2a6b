"""Benchmark: write a synthetic district of N households, and compare with per-row saves.

Run against a throw-away PostgreSQL database (SQLite works too, without COPY):

    createdb -h 127.0.0.1 -U postgres lb_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench \\
        .venv/bin/python bench/generate_district.py --households 1000000
    dropdb -h 127.0.0.1 -U postgres lb_bench

The script migrates the database itself (``migrate``; skip with ``--skip-migrate`` for a
database migrated beforehand); it must hold no households. Without ``--households`` it writes
20,000. DEBUG is off unless set, so that Django does not keep every statement in memory.

It prints, for one process:

1. the naive way on a small sample (``--naive-sample`` households, default 200): every row
   with its own ``Model.save()``, rolled back afterwards, and the time that would take for N;
2. the real run (``lianbang generate``'s service: bulk_create, or COPY on PostgreSQL):
   wall time, time in the pure generator, rows and rows per second per table and in total;
3. peak memory: ``ru_maxrss`` of the process, and with ``--tracemalloc`` the peak of Python
   allocations (tracemalloc slows the run down two to three times).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")
os.environ.setdefault("DEBUG", "0")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from lianbang.demo.generator import DEFAULT_SEED
from lianbang.demo.services import GenerationReport, district_generate

CHUNK_TABLES = ("registry.Household", "registry.Member", "registry.Income", "registry.Event")


class _RolledBack(Exception):
    pass


def main() -> None:
    args = _arguments()
    if not args.skip_migrate:
        call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    naive = _naive_sample(args.seed, args.naive_sample)
    if args.tracemalloc:
        tracemalloc.start()
    report = district_generate(seed=args.seed, households=args.households, method=args.method)
    traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    _print_run(report)
    _print_memory(traced)
    _print_comparison(naive, report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--method", choices=["auto", "bulk", "copy"], default="auto")
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--skip-migrate", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    return parser.parse_args()


def _naive_sample(seed: int, households: int) -> GenerationReport:
    """A small district saved row by row, inside a transaction that is rolled back."""
    reports: list[GenerationReport] = []
    try:
        with transaction.atomic():
            reports.append(district_generate(seed=seed, households=households, method="naive"))
            raise _RolledBack
    except _RolledBack:
        pass
    return reports[0]


def _rate(rows: int, seconds: float) -> float:
    return rows / seconds if seconds > 0 else float("inf")


def _print_run(report: GenerationReport) -> None:
    stats = report.stats
    total = sum(stats.rows.values())
    print(f"\n{report.households:,} households, seed {report.seed}, method {report.method}")
    print(f"  {'table':<22} {'rows':>11} {'seconds':>9} {'rows/s':>10}")
    for label, rows in stats.rows.items():
        seconds = stats.seconds[label]
        print(f"  {label:<22} {rows:>11,} {seconds:>9.1f} {_rate(rows, seconds):>10,.0f}")
    written = sum(stats.seconds.values())
    print(f"  {'all tables (writing)':<22} {total:>11,} {written:>9.1f} {_rate(total, written):>10,.0f}")
    print(
        f"  wall time {report.seconds:,.1f} s, of which generating {report.generate_seconds:,.1f} s;"
        f" {_rate(total, report.seconds):,.0f} rows/s end to end"
    )
    print(f"  {report.lights.summary()}")


def _print_memory(traced_peak: int | None) -> None:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    line = f"  peak memory: ru_maxrss {peak / 2**20:,.0f} MiB"
    if traced_peak is not None:
        line += f", tracemalloc peak {traced_peak / 2**20:,.0f} MiB"
    print(line)


def _print_comparison(naive: GenerationReport, report: GenerationReport) -> None:
    naive_rows = sum(naive.stats.rows[label] for label in CHUNK_TABLES)
    naive_seconds = sum(naive.stats.seconds[label] for label in CHUNK_TABLES)
    naive_rate = _rate(naive_rows, naive_seconds)
    rows = sum(report.stats.rows[label] for label in CHUNK_TABLES)
    seconds = sum(report.stats.seconds[label] for label in CHUNK_TABLES)
    bulk_rate = _rate(rows, seconds)
    print(
        f"\nnaive Model.save() per row, {naive.households} households"
        f" ({naive_rows:,} household/member/income/event rows): {naive_rate:,.0f} rows/s"
    )
    print(
        f"  → {rows:,} such rows would take {rows / naive_rate / 60:,.1f} min"
        f" instead of {seconds / 60:,.1f} min ({report.method}: {bulk_rate:,.0f} rows/s,"
        f" {bulk_rate / naive_rate:,.0f}× faster)"
    )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\nbenchmark finished in {time.perf_counter() - started:,.1f} s")
