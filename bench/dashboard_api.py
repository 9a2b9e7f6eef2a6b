"""Benchmark of the console's home and drill-down figures (issue 8) on a large district.

    # a writable copy of the judged 1M-household database (the roll-up tables are written):
    createdb -h 127.0.0.1 -U postgres -T lb_1m lb_1m_dash
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_1m_dash
    .venv/bin/lianbang migrate && .venv/bin/python bench/dashboard_api.py [--repeat 50] [--refresh]

Measured in one run, for the district (the largest subtree):
  1. ``lianbang dashboards refresh`` (only when asked, or when no roll-up exists): seconds;
  2. the API over Django's full request stack (session auth, middleware, ninja, JSON), logged in
     as a district official: ``GET /api/v1/dashboard``, ``GET /api/v1/dashboard/children``
     (``--by``: the district's streets, or all its buildings or micro-grids) and ``GET
     /api/v1/dashboard/trend``, p50/p95 of ``--repeat`` calls each (target: p95 under 200 ms);
  3. beside each, its lower bound: the raw SQL read of the same roll-up rows; and the raw SQL
     aggregate computing the same numbers from the live tables (what a dashboard without a
     roll-up costs), p50/p95 of ``--repeat-live`` runs, its numbers checked against the API's.

The load average is printed before and after: the machine is shared, and under load the wall
time of a request is mostly waiting for a core (compare the Python CPU column).
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

from django.conf import settings
from django.db import connection
from django.test import Client

from lianbang.accounts.models import Assignment, Role, User
from lianbang.dashboards.models import Rollup
from lianbang.dashboards.services import moment_at, past_months, rollup_refresh
from lianbang.org.models import Unit

# The live aggregate, hand-written for PostgreSQL: every home figure of one subtree, per child
# (the child's id is the path segment one level down) and in total (GROUPING SETS).
LIVE_SQL = """
WITH h AS (
  SELECT h.id, split_part(u.path, '/', %(child_part)s) AS child, l.color
  FROM registry_household h JOIN org_unit u ON u.id = h.unit_id
  LEFT JOIN monitoring_householdlight l ON l.household_id = h.id
  WHERE h.status = 'active' AND u.path LIKE %(prefix)s
), households AS (
  SELECT child, count(*) AS households,
         count(*) FILTER (WHERE color = 'red') AS red,
         count(*) FILTER (WHERE color = 'yellow') AS yellow,
         count(*) FILTER (WHERE color = 'green') AS green
  FROM h GROUP BY GROUPING SETS ((child), ())
), people AS (
  SELECT h.child, count(*) AS people,
         count(*) FILTER (WHERE m.birth_date <= %(born16)s AND m.birth_date > %(born65)s
                            AND m.labor_skill IN ('ordinary', 'skilled', 'weak')
                            AND m.schooling IN ('', 'preschool_child', 'dropout')) AS labour,
         count(*) FILTER (WHERE m.birth_date <= %(born16)s AND m.birth_date > %(born65)s
                            AND m.labor_skill IN ('ordinary', 'skilled', 'weak')
                            AND m.schooling IN ('', 'preschool_child', 'dropout')
                            AND m.work_location <> '') AS employed,
         count(*) FILTER (WHERE m.birth_date <= %(born65)s) AS elderly,
         count(*) FILTER (WHERE m.birth_date > %(born18)s) AS children
  FROM registry_member m JOIN h ON h.id = m.household_id
  WHERE m.status = 'active' GROUP BY GROUPING SETS ((h.child), ())
), latest AS (
  SELECT DISTINCT ON (i.household_id) i.household_id,
         i.wage + i.business + i.property_income + i.transfer - i.business_expense AS net,
         i.household_size
  FROM registry_income i JOIN h ON h.id = i.household_id
  WHERE i.year <= %(year)s ORDER BY i.household_id, i.year DESC
), sizes AS (
  SELECT m.household_id, count(*) AS n FROM registry_member m JOIN h ON h.id = m.household_id
  WHERE m.status = 'active' GROUP BY m.household_id
), income AS (
  SELECT h.child, sum(net) / sum(COALESCE(NULLIF(household_size, 0), s.n)) AS mean_per_capita,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY net / COALESCE(NULLIF(household_size, 0), s.n))
           AS median_per_capita
  FROM latest JOIN h ON h.id = latest.household_id LEFT JOIN sizes s ON s.household_id = h.id
  WHERE COALESCE(NULLIF(household_size, 0), s.n) > 0 GROUP BY GROUPING SETS ((h.child), ())
), cases AS (
  SELECT split_part(u.path, '/', %(child_part)s) AS child, count(*) AS open_cases
  FROM cases_case c JOIN org_unit u ON u.id = c.unit_id
  WHERE c.kind = 'risk' AND c.closed_at IS NULL AND u.path LIKE %(prefix)s
  GROUP BY GROUPING SETS ((split_part(u.path, '/', %(child_part)s)), ())
)
SELECT households.child, households, red, yellow, green, people, labour, employed, elderly, children,
       round(mean_per_capita, 2), round(median_per_capita::numeric, 2), COALESCE(open_cases, 0)
FROM households
LEFT JOIN people ON people.child IS NOT DISTINCT FROM households.child
LEFT JOIN income ON income.child IS NOT DISTINCT FROM households.child
LEFT JOIN cases ON cases.child IS NOT DISTINCT FROM households.child
"""

# The lower bounds of the API: the same roll-up rows read in raw SQL (all their columns).
HOME_SQL = "SELECT * FROM dashboards_rollup WHERE kind = 'unit' AND node_id = %(unit)s"
CHILD_NODES_SQL = {
    "unit": "SELECT id FROM org_unit WHERE parent_id = %(unit)s",
    "building": "SELECT b.id FROM org_building b JOIN org_unit u ON u.id = b.branch_id"
    " WHERE u.path LIKE %(prefix)s",
    "grid": "SELECT g.id FROM org_microgrid g JOIN org_unit u ON u.id = g.unit_id"
    " WHERE u.path LIKE %(prefix)s",
}
CHILDREN_SQL = f"""
{HOME_SQL}
UNION ALL SELECT * FROM dashboards_rollup WHERE kind = %(by)s AND node_id IN ({{nodes}})
"""
TREND_SQL = """
SELECT t.month, l.red, l.yellow, l.green FROM dashboards_trendmonth t
LEFT JOIN dashboards_monthlylights l ON l.month = t.month AND l.kind = 'unit' AND l.node_id = %(unit)s
WHERE t.month >= %(since)s ORDER BY t.month;
"""


def main() -> None:
    options = _arguments()
    if connection.vendor != "postgresql":
        sys.exit("run it on PostgreSQL (DATABASE_URL=postgres://…)")
    district = Unit.objects.filter(parent=None).order_by("pk").first()
    if district is None:
        sys.exit("no district: generate one first")
    _report_size(district)
    if options.refresh or not Rollup.objects.exists():
        started = time.perf_counter()
        report = rollup_refresh()
        print(f"roll-up refresh: {time.perf_counter() - started:.1f} s ({report.summary()})")
    client = _district_client(district)
    home = client.get(f"/api/v1/dashboard?unit={district.pk}").json()
    print(f"roll-up as of {home['as_of']}")
    children_url = f"/api/v1/dashboard/children?unit={district.pk}&by={options.by}"
    children = _get(client, children_url)
    rows = len(children.json()["children"])
    print(f"drill-down by {options.by}: {rows} rows, {len(children.content):,} bytes of JSON")
    params = {"unit": district.pk, "by": options.by, "prefix": district.path + "%", "since": _since()}
    children_sql = CHILDREN_SQL.format(nodes=CHILD_NODES_SQL[options.by])
    timed = {
        "API GET /dashboard (home)": lambda: _get(client, f"/api/v1/dashboard?unit={district.pk}"),
        "  SQL read of its roll-up row": lambda: _sql(HOME_SQL, params),
        f"API GET /dashboard/children ({rows} rows)": lambda: _get(client, children_url),
        f"  SQL read of its {rows + 1} roll-up rows": lambda: _sql(children_sql, params),
        "API GET /dashboard/trend": lambda: _get(client, f"/api/v1/dashboard/trend?unit={district.pk}"),
        "  SQL read of its snapshots and roll-up row": lambda: (
            _sql(TREND_SQL, params),
            _sql(HOME_SQL, params),
        ),
    }
    for label, call in timed.items():
        _print(label, _time(call, options.repeat))
    if options.repeat_live > 0:
        live = _live_params(district)
        results: list[Any] = []
        # No warm-up: on a large district each run takes a minute or more.
        timings = _time(lambda: results.append(_sql(LIVE_SQL, live)), options.repeat_live, warm_up=False)
        _print("SQL live aggregate (lower bound without roll-up)", timings)
        _compare(home, client, district, results[-1])
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def _since() -> Any:
    """The oldest past month the trend shows (12 points: 11 past months and the current one)."""
    return past_months(moment_at(), 11)[0]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=50, help="timed calls of each API operation")
    parser.add_argument(
        "--repeat-live",
        type=int,
        default=5,
        help="timed runs of the live SQL aggregate, without warm-up (0: skip it)",
    )
    parser.add_argument("--refresh", action="store_true", help="rebuild the roll-up first (and time it)")
    parser.add_argument(
        "--by",
        choices=["unit", "building", "grid"],
        default="unit",
        help="the district's drill-down rows: its streets (default), buildings or micro-grids",
    )
    return parser.parse_args()


def _report_size(district: Unit) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_household WHERE status = 'active'")
        households = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_member WHERE status = 'active'")
        members = cursor.fetchone()[0]
    print(f"database {settings.DATABASES['default']['NAME']}: {households:,} households, {members:,} people")
    print(f"district {district.name} (id {district.pk}), {district.children.count()} streets")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")


def _district_client(district: Unit) -> Client:
    user, _ = User.objects.get_or_create(username="bench_dashboard", defaults={"full_name": "看板基准"})
    Assignment.objects.get_or_create(user=user, unit=district, role=Role.DISTRICT_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: {response.status_code} {response.content[:300]!r}")
    return response


def _sql(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _live_params(district: Unit) -> dict[str, Any]:
    moment = moment_at()
    return {
        "prefix": district.path + "%",
        "child_part": district.depth + 2,
        "born16": moment.born_by(16),
        "born18": moment.born_by(18),
        "born65": moment.born_by(65),
        "year": moment.today.year,
    }


Timings = tuple[list[float], list[float]]


def _time(call: Callable[[], Any], repeat: int, warm_up: bool = True) -> Timings:
    """Wall-clock and this process's CPU milliseconds of each call (after one warm-up)."""
    if warm_up:
        call()  # connection, caches, plans
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _print(label: str, timings: Timings) -> None:
    wall, cpu = timings
    print(
        f"{label:<50} n={len(wall):<3} p50 {_pct(wall, 0.5):8.1f} ms  p95 {_pct(wall, 0.95):8.1f} ms"
        f"  (python cpu p50 {_pct(cpu, 0.5):6.1f} ms)"
    )


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return statistics.median(ordered) if share == 0.5 else ordered[round(share * (len(ordered) - 1))]


def _compare(home: dict[str, Any], client: Client, district: Unit, live: list[tuple[Any, ...]]) -> None:
    """The live aggregate and the API agree (the roll-up is as of its refresh: equal when
    nothing changed since)."""
    rows = {row[0]: row for row in live}
    total = rows[None]
    api = (
        home["households"],
        home["lights"]["red"],
        home["lights"]["yellow"],
        home["lights"]["green"],
        home["people"],
        home["employment"]["labour"],
        home["employment"]["employed"],
        home["elderly"]["people"],
        home["children"]["people"],
        _decimal(home["income"]["mean_per_capita"]),
        _decimal(home["income"]["median_per_capita"]),
        home["cases"]["open"],
    )
    live = tuple(_decimal(v) if i >= 9 and i < 11 else v for i, v in enumerate(total[1:]))
    print("district figures (API):", api)
    print("district figures (SQL):", live)
    print("API = live SQL:", api == live)
    children = client.get(f"/api/v1/dashboard/children?unit={district.pk}").json()["children"]
    same = all(
        rows[str(c["node"]["id"])][1:5] == _lights(c) for c in children if str(c["node"]["id"]) in rows
    )
    print(f"children ({len(children)}) households and lights = live SQL:", same)
    rate = home["employment"]["rate"]
    stable = home["employment"]["stable_rate"]
    print(f"employment rate {rate}, stable {stable}, per-capita mean {home['income']['mean_per_capita']} 元")


def _lights(child: dict[str, Any]) -> tuple[int, ...]:
    lights = child["lights"]
    return (child["households"], lights["red"], lights["yellow"], lights["green"])


def _decimal(value: Any) -> str:
    return f"{float(value):.2f}" if value is not None else "None"


if __name__ == "__main__":
    main()
