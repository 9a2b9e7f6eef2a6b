"""Benchmark of the case board's endpoints (issue 4 / issue 6) on the demo district, in-process.

    createdb -h 127.0.0.1 -U postgres lb_cases && export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_cases
    .venv/bin/lianbang migrate && .venv/bin/lianbang generate && .venv/bin/lianbang evaluate --all
    .venv/bin/lianbang demo_cases
    .venv/bin/python bench/cases_api.py [--repeat 30]

Through Django's test client (no network, one process), as a grid worker, a community
official and the district administrator, it prints p50/p95 in ms of:
  1. the board's list (GET /api/v1/cases, first page of 50), unfiltered and overdue only;
  2. one case's detail (GET /api/v1/cases/{id}) in 发现 and in 跟踪 — the latter checks the
     elimination conditions for ``next_steps`` (the household re-judged in a rolled-back
     transaction) — and, for comparison, the same detail's rendering without ``next_steps``;
  3. the figures of the district (GET /api/v1/cases/figures);
and the number of SQL queries of each request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from lianbang.accounts.models import Assignment, Role
from lianbang.api import cases_out
from lianbang.cases.clock import current
from lianbang.cases.models import Case


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    call()  # warm up
    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries.captured_queries)


def client_for(role: str, **filters: Any) -> tuple[Client, Any]:
    assignment = Assignment.objects.filter(role=role, **filters).select_related("user").first()
    assert assignment is not None, f"no {role} in this database: run the demo commands first"
    client = Client()
    client.force_login(assignment.user)
    return client, assignment.user


def get(client: Client, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    return call


def report(label: str, figures: tuple[float, float, int]) -> None:
    p50, p95, queries = figures
    print(f"  {label:<58} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {queries:3d} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    print(f"cases: {Case.objects.count()}, open: {Case.objects.filter(closed_at__isnull=True).count()}")

    worker_case = Case.objects.filter(
        kind="risk", closed_at__isnull=True, household__grid__worker__isnull=False
    )
    worker_case = worker_case.select_related("household__grid").first()
    assert worker_case is not None and worker_case.household and worker_case.household.grid
    grid, _ = client_for(Role.GRID_WORKER, user=worker_case.household.grid.worker)
    community, _ = client_for(Role.COMMUNITY_OFFICIAL)
    district, admin = client_for(Role.DISTRICT_ADMIN)

    print("board lists (first page of 50):")
    for name, client in (
        ("grid worker", grid),
        ("community official", community),
        ("district admin", district),
    ):
        report(f"GET /cases as {name}", timed(get(client, "/api/v1/cases?limit=50"), args.repeat))
    report(
        "GET /cases?overdue=true as district admin",
        timed(get(district, "/api/v1/cases?overdue=true"), args.repeat),
    )
    report(
        "GET /alerts?open=true as district admin",
        timed(get(district, "/api/v1/alerts?open=true"), args.repeat),
    )

    print("one case:")
    for state in ("discovered", "tracking"):
        case = Case.objects.filter(kind="risk", state=state).first()
        if case is None:
            print(f"  (no case in {state})")
            continue
        report(
            f"GET /cases/{{id}} in {state} (with next_steps)",
            timed(get(district, f"/api/v1/cases/{case.pk}"), args.repeat),
        )
        fresh = Case.objects.select_related("household__grid", "unit", "handling_unit", "assignee").get(
            pk=case.pk
        )

        def without_next_steps(fresh: Case = fresh) -> Any:
            return cases_out.case_row(fresh, current()) | {
                "events": [cases_out._event(e) for e in fresh.events.select_related("actor")],
                "measures": [
                    cases_out._measure(m) for m in fresh.measures.select_related("responsible_unit")
                ],
            }

        def next_steps_only(fresh: Case = fresh) -> Any:
            return cases_out.next_steps(fresh, admin, current())

        report(
            f"  in-process: rendering without next_steps ({state})", timed(without_next_steps, args.repeat)
        )
        report(f"  in-process: next_steps alone ({state})", timed(next_steps_only, args.repeat))

    print("figures:")
    report("GET /cases/figures (district)", timed(get(district, "/api/v1/cases/figures"), args.repeat))


if __name__ == "__main__":
    main()
