"""Benchmark: exporting 1,000,000 members to .xlsx (issue 7). Target: flat memory under 300 MB.

    .venv/bin/python bench/export_members.py [--members 1000000] [--keep]

Without DATABASE_URL it creates a throw-away PostgreSQL database (createdb -h 127.0.0.1 -U postgres),
fills it with synthetic households and members by COPY when it holds fewer members than asked
(about 3.7 members a household), and drops it afterwards. The export itself runs in a process of
its own, so that its peak memory (ru_maxrss) is the export's: `members_export` with masking on,
rows streamed from a server-side cursor into xlsxwriter's constant-memory mode.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

PER_HOUSEHOLD = 3.7


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(members: int) -> dict[str, Any]:
    """Synthetic households and members by COPY, every column from a model instance's defaults."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lianbang.org.models import Building
    from lianbang.org.services import unit_create
    from lianbang.registry.models import Household, Member

    call_command("migrate", verbosity=0)
    have = Member.objects.count()
    if have >= members:
        return {"members": have, "seconds": 0.0}
    started = time.perf_counter()
    district = unit_create(level=1, name="东川区", code="530113")
    building = Building.objects.create(
        branch=district,
        number="1",
        name="1栋",
        entrance_count=1,
        floor_count=1,
        rooms_per_floor=1,
        region_code="530113",
    )
    households = int(members / PER_HOUSEHOLD) + 1
    template_h = Household(
        category="lifted_out", unit=district, building=building, region_code="530113", phone="13812345678"
    )
    _copy(connection, Household, template_h, _households(households))
    template_m = Member(labor_skill="ordinary", region_code="530113", relation="head", sex="M")
    _copy(connection, Member, template_m, _members(members, households))
    with connection.cursor() as cursor:
        for table in ("registry_household", "registry_member"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("ANALYZE registry_household; ANALYZE registry_member")
    return {
        "members": Member.objects.count(),
        "households": households,
        "seconds": time.perf_counter() - started,
    }


def _households(count: int) -> Any:
    for pk in range(1, count + 1):
        yield {"id": pk, "household_no": f"530113-{pk:07d}", "room": str(pk)}


def _members(count: int, households: int) -> Any:
    relations = ("head", "spouse", "son", "daughter")
    for pk in range(1, count + 1):
        birth = date(1950, 1, 1) + timedelta(days=pk % 25000)
        sequence = (pk // 25000) % 1000
        working = pk % 3 == 0
        yield {
            "id": pk,
            "household_id": (pk - 1) * households // count + 1,
            "id_number": f"530113{birth:%Y%m%d}{sequence:03d}X",
            "name": "张三丰"[: 2 + pk % 2],
            "birth_date": birth,
            "relation": relations[pk % 4],
            "education": "junior",
            "health": ("healthy", "chronic", "disabled")[pk % 3],
            "work_location": "in_province" if working else "",
            "employed_since": date(2024, 3, 1) if working else None,
            "employer": "某电子厂" if working else "",
            "monthly_wage": Decimal("3500.00") if working else None,
            "medical_insurance": "resident",
        }


def _copy(connection: Any, model: Any, template: Any, rows: Any) -> None:
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = timezone.now()
    base = {f.attname: getattr(template, f.attname) for f in fields}
    base.update(created_at=now, updated_at=now)
    statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = {**base, **row}
            copy.write_row([values.get(f.attname) for f in fields])


def export(path: Path) -> dict[str, Any]:
    import django

    django.setup()
    from lianbang.registry.models import Household
    from lianbang.transfer.exports import members_export

    started = time.perf_counter()
    rows = members_export(path, households=Household.objects.all(), masked=True)
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


def child(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *argv], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(argv)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def orchestrate(args: argparse.Namespace) -> None:
    env = dict(os.environ)
    database = None
    if "DATABASE_URL" not in env:
        database = f"lb_bench_export_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    try:
        filled = child(["--phase", "fill", "--members", str(args.members)], env)
        result = child(["--phase", "export", args.file], env)
    finally:
        if database and not args.keep:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False
            )
    print(f"fill     {filled['seconds']:8.2f} s  {filled}")
    print(
        f"export   {result['seconds']:8.2f} s  peak {result['peak_mb']:7.1f} MB  "
        f"{result['rows']} rows, {result['bytes'] / 1e6:.1f} MB file"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", nargs="?", default=str(ROOT / "var" / "bench-export-members.xlsx"))
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["fill", "export"])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    Path(args.file).parent.mkdir(parents=True, exist_ok=True)
    if args.phase is None:
        orchestrate(args)
        return
    result = fill(args.members) if args.phase == "fill" else export(Path(args.file))
    result["peak_mb"] = peak_mb()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
