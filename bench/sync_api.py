"""Benchmarks of the phone sync protocol (issue 6), against the production server command.

    createdb -h 127.0.0.1 -U postgres lb_sync && export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_sync
    .venv/bin/lianbang migrate && .venv/bin/lianbang generate && .venv/bin/lianbang evaluate --all
    psql -h 127.0.0.1 -U postgres lb_sync -c ANALYZE    # where autovacuum is off, plans need statistics
    .venv/bin/python bench/sync_api.py [--workers 4] [--concurrency 32]

It starts gunicorn (several worker processes) on 127.0.0.1, creates a token for each of the
376 grid workers and one community official, then measures over real HTTP:
  1. first download (GET /api/v1/sync/pull) of a grid worker's households (about 15) and of a
     community official's (the demo's 和谐社区, 2,308): p50/p95 of repeated pulls, with the CPU
     time the gunicorn workers spent per request (PostgreSQL's own CPU is not in it);
  2. uploads: every grid worker pushes one batch of 10 visits, `--concurrency` at a time:
     throughput, p50/p99 latency, errors, and a count in the database that every visit is
     stored exactly once; then the same batches are replayed and must add nothing.
In the same run, in this process, the official's download is also built
  - the old way (the whole list in memory, validated by the response schema and encoded by
    django-ninja's JSON renderer, as before streaming), and
  - as the raw-SQL lower bound: the same queries on the same rows through a bare cursor, no
    documents built,
beside the streamed body the server now sends. The load average is printed with each figure:
the machine is shared, so wall-clock times move with it; CPU times move much less.
The visits it adds are deleted at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from ninja.renderers import JSONRenderer

from lianbang.accounts.masking import mask_household_document
from lianbang.accounts.models import Assignment, Role, User
from lianbang.accounts.scope import households_for
from lianbang.accounts.tokens import token_create
from lianbang.api.sync import PullOut, pull_body
from lianbang.org.models import MicroGrid
from lianbang.registry.models import Visit
from lianbang.sync.pull import sync_pull, sync_pull_plan

PORT = 8765


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


class ServerCPU:
    """CPU seconds (user + system) the gunicorn worker processes have used so far."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.ticks = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        children = Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
        total = 0
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self.ticks


def tokens() -> tuple[list[tuple[str, list[int]]], str]:
    workers = []
    for grid in MicroGrid.objects.select_related("worker").prefetch_related("households").order_by("code"):
        assignment = Assignment.objects.filter(user=grid.worker, role=Role.GRID_WORKER).first()
        if grid.worker is None or assignment is None:
            continue
        raw = token_create(user=grid.worker, assignment=assignment, days=1, name="bench")[1]
        workers.append((raw, [h.pk for h in grid.households.all()]))
    official = Assignment.objects.filter(role=Role.COMMUNITY_OFFICIAL).select_related("user").first()
    assert official is not None
    return workers, token_create(user=official.user, assignment=official, days=1, name="bench")[1]


def request(method: str, path: str, token: str, body: object = None) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, payload, headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000, data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def pulls(token: str, times: int, cpu: ServerCPU) -> tuple[str, int]:
    latencies, count = [], 0
    used = cpu.seconds()
    for _ in range(times):
        status, ms, data = request("GET", "/api/v1/sync/pull", token)
        assert status == 200, data[:300]
        latencies.append(ms)
        count = len(json.loads(data)["households"])
    per_request = (cpu.seconds() - used) / times * 1000
    return (
        f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms "
        f"(n={times}); server CPU {per_request:.0f} ms/request; {len(data) / 1e6:.1f} MB; {load()}"
    ), count


def warm_up(token: str, processes: int) -> None:
    """Wait until every worker process has booted (on a loaded machine that takes longer than
    any fixed sleep) and served a pull: the figures are of a running server, not of its boot."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            request("GET", "/api/v1/sync/pull", token)
            break
        except OSError:
            time.sleep(0.5)
    with ThreadPoolExecutor(processes) as pool:
        list(pool.map(lambda _: request("GET", "/api/v1/sync/pull", token), range(4 * processes)))


def timed(build: object, times: int = 3) -> tuple[float, float, bytes]:
    """Median wall and CPU milliseconds of ``build()`` in this process, and what it returned."""
    walls, cpus, body = [], [], b""
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        body = build()  # type: ignore[operator]
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), body


def compare_in_process(official: User) -> None:
    """The official's download three ways, same process, same rows."""
    today = timezone.localdate()

    def streamed() -> bytes:
        plan = sync_pull_plan(households=households_for(official), cursor=None)
        return b"".join(pull_body(plan, today=today))

    def old_way() -> bytes:
        pulled = sync_pull(households=households_for(official), cursor=None)
        document = {
            "cursor": pulled.cursor,
            "full": pulled.full,
            "households": [mask_household_document(h, today=today) for h in pulled.households],
            "removed": pulled.removed,
        }
        validated = PullOut.model_validate(document).model_dump()
        return JSONRenderer().render(None, validated, response_status=200).encode()  # type: ignore[arg-type]

    with CaptureQueriesContext(connection) as queries:
        streamed()

    def raw_sql() -> bytes:
        rows = 0
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                cursor.execute(query["sql"])
                rows += len(cursor.fetchall())
        return str(rows).encode()

    new = timed(streamed)
    old = timed(old_way)
    floor = timed(raw_sql)
    assert json.loads(new[2]) | {"cursor": ""} == json.loads(old[2]) | {"cursor": ""}, "documents differ"
    print(f"  in this process (median of 3; {load()}):")
    print(_line("streamed, as served now", new))
    print(_line("old: whole list, schema, ninja renderer", old))
    floor_label = f"raw-SQL lower bound: {len(queries.captured_queries)} queries, {floor[2].decode()} rows"
    print(_line(floor_label, (floor[0], floor[1], b"")))


def _line(label: str, result: tuple[float, float, bytes]) -> str:
    size = f", {len(result[2]) / 1e6:.1f} MB" if result[2] else ""
    return f"    {label}: {result[0]:.0f} ms wall, {result[1]:.0f} ms CPU{size}"


def batch(households: list[int]) -> list[dict[str, object]]:
    return [
        {
            "uuid": str(uuid.uuid4()),
            "kind": "visit",
            "household_id": households[i % len(households)],
            "data": {"visited_at": "2026-11-28T09:30:00+08:00", "notes": "压测走访"},
        }
        for i in range(10)
    ]


def uploads(
    workers: list[tuple[str, list[int]]], concurrency: int, cpu: ServerCPU
) -> list[list[dict[str, object]]]:
    batches = [batch(households) for _, households in workers]

    def push(index: int) -> tuple[int, float, int]:
        status, ms, data = request("POST", "/api/v1/sync/push", workers[index][0], {"items": batches[index]})
        applied = (
            sum(1 for r in json.loads(data)["results"] if r["status"] == "applied") if status == 200 else 0
        )
        return status, ms, applied

    for label in ("upload", "replay"):
        before = Visit.objects.count()
        used = cpu.seconds()
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(push, range(len(workers))))
        elapsed = time.perf_counter() - started
        latencies = [ms for _, ms, _ in results]
        errors = sum(1 for status, _, _ in results if status != 200)
        added = Visit.objects.count() - before
        print(
            f"{label}: {len(results)} batches of 10 in {elapsed:.1f} s = "
            f"{len(results) / elapsed:.1f} batches/s "
            f"({10 * len(results) / elapsed:.0f} visits/s); p50 {statistics.median(latencies):.0f} ms, "
            f"p99 {percentile(latencies, 0.99):.0f} ms; errors {errors}; visits added {added}; "
            f"server CPU {(cpu.seconds() - used) / len(results) * 1000:.0f} ms/batch; {load()}"
        )
    return batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pulls", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run against PostgreSQL: set DATABASE_URL")
    workers, official = tokens()
    first_official = Assignment.objects.filter(role=Role.COMMUNITY_OFFICIAL).select_related("user").first()
    assert first_official is not None  # the same one tokens() gave a token to
    official_user = first_official.user
    env = {**os.environ, "LIANBANG_API_RATE": "100000/m", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lianbang.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    cpu = ServerCPU(server.pid)
    try:
        warm_up(workers[0][0], args.workers)
        summary, count = pulls(workers[0][0], args.pulls, cpu)
        print(f"first download, grid worker ({count} households): {summary}")
        summary, count = pulls(official, max(3, args.pulls // 4), cpu)
        print(f"first download, community official ({count} households): {summary}")
        compare_in_process(official_user)
        left_over = Visit.objects.filter(notes="压测走访").count()  # an earlier run cut short
        batches = uploads(workers, args.concurrency, cpu)
        stored = Visit.objects.filter(notes="压测走访").count() - left_over
        print(
            f"visits stored: {stored} for {10 * len(batches)} sent (twice): "
            f"exactly once = {stored == 10 * len(batches)}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        Visit.objects.filter(notes="压测走访").delete()


if __name__ == "__main__":
    main()
