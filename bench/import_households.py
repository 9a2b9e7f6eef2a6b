"""Benchmark: importing 100,000 member rows (≈ 27,000 households) from .xlsx into PostgreSQL (issue 7).

    .venv/bin/pip install -e ".[bench]"          # pandas + openpyxl, for the baseline only
    .venv/bin/python bench/import_households.py [--rows 100000] [--sample-rows 2000] [--keep]

Without DATABASE_URL it creates a throw-away PostgreSQL database (createdb -h 127.0.0.1 -U postgres)
and drops it afterwards. Each measurement runs in its own process so that its peak memory
(ru_maxrss) is its own:

  generate  the .xlsx, written by xlsxwriter (one row per member, household columns repeated)
  pandas    pandas.read_excel(engine="openpyxl") merely reading the file (the baseline)
  calamine  our reader: python-calamine plus header detection, nothing else
  import    `households_import`: reading, validation, the batch path's set-based saves (a few
            hundred households per transaction, one audit chain run per batch), then the
            set-based judgement of the file's households; seconds per stage
  reimport  the same file again: every household must come back "unchanged"
  sample    the comparison, in the same run: a smaller file (--sample-rows, default 2,000 rows)
            imported by the batch path and by the one-by-one path (``household_save_document``
            per household), each into its own fresh database: milliseconds per household

Every phase prints its wall time, its CPU time (this process's user + system, Django's start
and migrations included) and its peak memory; the import phases also the CPU time of the
import call alone, in this process and in its PostgreSQL server process (read from /proc, so
the database must run on this machine). The load average is printed at the start and the
end, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

HEADER = [
    "户编号", "户主姓名", "姓名", "证件号码", "与户主关系", "性别", "出生日期", "民族", "文化程度",
    "在校生状况", "健康状况", "劳动技能", "务工所在地", "务工时间", "务工企业名称",
    "是否参加城乡居民基本医疗保险", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入",
    "生产经营性支出", "人均纯收入", "联系电话", "户类型", "楼栋", "单元", "楼层", "房号",
]  # fmt: skip
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
BUILDINGS = 100
AS_OF = date(2026, 11, 29)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def id_number(birth: date, sequence: int, male: bool) -> str:
    seq = sequence * 2 + (1 if male else 0)
    first17 = f"530113{birth:%Y%m%d}{seq % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


class Family:
    """One synthetic household's rows; IDs unique over the whole file."""

    def __init__(self, rng: random.Random, seen: set[str]) -> None:
        self.rng, self.seen = rng, seen

    def person(self, born_from: int, born_to: int, male: bool) -> tuple[str, date]:
        while True:
            birth = date(
                self.rng.randint(born_from, born_to), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            number = id_number(birth, self.rng.randint(0, 499), male)
            if number not in self.seen:
                self.seen.add(number)
                return number, birth

    def members(self, size: int) -> list[tuple[str, str, bool, date, str]]:
        head_male = self.rng.random() < 0.8
        head, born = self.person(1960, 1990, head_male)
        people = [("户主", head, head_male, born, "张" + "伟强明")]
        if size > 1:
            spouse, sborn = self.person(1962, 1992, not head_male)
            people.append(("配偶", spouse, not head_male, sborn, "李" + "芳"))
        for _ in range(max(0, size - 2)):
            male = self.rng.random() < 0.5
            child, cborn = self.person(max(born.year + 20, 1990), 2022, male)
            people.append(("之子" if male else "之女", child, male, cborn, "张" + "小"))
        return [(rel, num, male, b, name) for rel, num, male, b, name in people]


def row_of(
    number: str, relation: str, id_no: str, male: bool, birth: date, name: str, ctx: dict[str, Any]
) -> list[Any]:
    age = AS_OF.year - birth.year
    school = (
        ""
        if age >= 19
        else ("学龄前儿童" if age < 6 else ("小学" if age < 12 else ("初中" if age < 15 else "普通高中")))
    )
    education = "" if school else "初中"
    labour = "普通劳动力" if 16 <= age <= 64 and not school else "无劳动力"
    working = labour == "普通劳动力" and ctx["rng"].random() < 0.7
    place = ["县外省内", "省外", "乡镇内", "乡(镇)外县内"][ctx["rng"].randint(0, 3)] if working else ""
    since = ["2023.05", "2024-3-1", "20220801", 44986][ctx["rng"].randint(0, 3)] if working else ""
    return [
        number, ctx["head"], name, id_no, relation, "男" if male else "女", birth.isoformat(), "汉族",
        education, school, "健康", labour, place, since, "某电子厂" if working else "", "是",
        f"{ctx['wage']:,}元", 0, 300, 1800, 0, "", ctx["phone"], "脱贫户",
        ctx["building"], ctx["entrance"], ctx["floor"], ctx["room"],
    ]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 7) -> int:
    import xlsxwriter

    rng = random.Random(seed)
    seen: set[str] = set()
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("户信息")
    sheet.write_row(0, 0, HEADER)
    written, households = 0, 0
    while written < rows:
        households += 1
        size = min(rows - written, rng.choice((1, 2, 3, 4, 4, 5, 5, 6)))
        slot = households - 1
        ctx = {
            "rng": rng,
            "head": "",
            "wage": rng.randint(8000, 60000),
            "phone": f"139{rng.randint(10000000, 99999999)}",
            "building": str(slot % BUILDINGS + 1),
            "entrance": str(slot // BUILDINGS % 2 + 1),
            "floor": slot // (BUILDINGS * 2) % 33 + 1,
            "room": f"{slot // (BUILDINGS * 66) + 1:02d}",
        }
        ctx["room"] = f"{ctx['floor']}{ctx['room']}"
        number = f"530113-{households:06d}"
        for relation, id_no, male, birth, name in Family(rng, seen).members(size):
            ctx["head"] = ctx["head"] or name
            written += 1
            row = row_of(number, relation, id_no, male, birth, name, ctx)
            for column, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(written, column, value)
                else:
                    sheet.write_number(written, column, value)
    workbook.close()
    return households


def phase_pandas(path: Path) -> dict[str, Any]:
    import pandas

    started = time.perf_counter()
    frame = pandas.read_excel(path, engine="openpyxl", dtype=str)
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


def phase_calamine(path: Path) -> dict[str, Any]:
    import django

    django.setup()
    from lianbang.transfer.reading import read_table

    started = time.perf_counter()
    table = read_table(path)
    return {"seconds": time.perf_counter() - started, "rows": len(table.data_rows())}


def phase_prepare(path: Path) -> dict[str, Any]:
    """Everything of the import that is not the database: read, find the header, group the
    rows by household and build every household's document (its memory is the import's)."""
    import django

    django.setup()
    from lianbang.transfer.households import build_household, group_rows, household_document
    from lianbang.transfer.reading import read_table

    started = time.perf_counter()
    table = read_table(path)
    groups, _ = group_rows(table.data_rows(), table.layout)
    documents = sum(
        1
        for number, rows in groups.items()
        if household_document(build_household(number, rows, table.layout, 2025), None)
    )
    return {"seconds": time.perf_counter() - started, "households": documents}


def setup_district() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lianbang.org.models import Building
    from lianbang.org.services import unit_create

    if Building.objects.exists():
        return
    district = unit_create(level=1, name="东川区", code="530113")
    street = unit_create(level=2, name="铜都街道", parent=district)
    community = unit_create(level=3, name="和谐社区", parent=street)
    area = unit_create(level=4, name="第一片区", parent=community)
    for number in range(1, BUILDINGS + 1):
        branch = unit_create(level=5, name=f"{number}栋党支部", parent=area)
        Building.objects.create(
            branch=branch, number=str(number), name=f"{number}栋", entrance_count=2, floor_count=33,
            rooms_per_floor=4, region_code="530113",
        )  # fmt: skip


def phase_import(path: Path, one_by_one: bool) -> dict[str, Any]:
    import django

    django.setup()
    setup_district()
    from lianbang.monitoring.models import HouseholdLight
    from lianbang.registry.models import Household, Member
    from lianbang.transfer.importing import households_import

    server, cpu = backend_cpu_seconds(), cpu_seconds()
    started = time.perf_counter()
    report = households_import(path=path, today=AS_OF, income_year=2025, one_by_one=one_by_one)
    seconds = time.perf_counter() - started
    cpu, server = cpu_seconds() - cpu, backend_cpu_seconds() - server
    households = Household.objects.count()
    return {
        "seconds": seconds,
        "import_cpu_seconds": {"client": round(cpu, 2), "postgres_backend": round(server, 2)},
        "stages": {k: round(v, 2) for k, v in report.stages.items()},
        "ms_per_household_saved": round(1000 * report.stages["save"] / max(households, 1), 2),
        "summary": report.summary(),
        "households": households,
        "members": Member.objects.count(),
        "lights": HouseholdLight.objects.count(),
    }


def phase_reimport(path: Path) -> dict[str, Any]:
    import django

    django.setup()
    from lianbang.transfer.importing import households_import

    server, cpu = backend_cpu_seconds(), cpu_seconds()
    started = time.perf_counter()
    report = households_import(path=path, today=AS_OF, income_year=2025)
    return {
        "seconds": time.perf_counter() - started,
        "import_cpu_seconds": {
            "client": round(cpu_seconds() - cpu, 2),
            "postgres_backend": round(backend_cpu_seconds() - server, 2),
        },
        "stages": {k: round(v, 2) for k, v in report.stages.items()},
        "summary": report.summary(),
    }


def backend_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL server process (same machine: /proc), 0 if unknown."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *argv], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(argv)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def orchestrate(args: argparse.Namespace) -> None:
    path = Path(args.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    database = None
    if "DATABASE_URL" not in env:
        database = f"lb_bench_import_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    try:
        results = {
            "generate": child(["--phase", "generate", "--rows", str(args.rows), str(path)], env),
            "pandas": child(["--phase", "pandas", str(path)], env),
            "calamine": child(["--phase", "calamine", str(path)], env),
            "prepare": child(["--phase", "prepare", str(path)], env),
            "import": child(["--phase", "import", str(path)], env),
            "reimport": child(["--phase", "reimport", str(path)], env),
            **sample(args, env),
        }
    finally:
        if database and not args.keep:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False
            )
    report(results)
    print(f"load average at the end: {os.getloadavg()}")


def sample(args: argparse.Namespace, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The same smaller file by the batch path and by the one-by-one path, each into a new database."""
    if not args.sample_rows:
        return {}
    path = Path(args.file).with_name("bench-import-sample.xlsx")
    results = {"sample-gen": child(["--phase", "generate", "--rows", str(args.sample_rows), str(path)], env)}
    for name, flags in (("sample-batch", []), ("sample-1by1", ["--one-by-one"])):
        database = f"lb_bench_sample_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        try:
            own = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
            results[name] = child(["--phase", "import", str(path), *flags], own)
        finally:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False
            )
    return results


def report(results: dict[str, dict[str, Any]]) -> None:
    for name, result in results.items():
        extra = {k: v for k, v in result.items() if k not in ("seconds", "peak_mb", "cpu_seconds")}
        print(
            f"{name:11} {result['seconds']:8.2f} s  cpu {result['cpu_seconds']:7.2f} s  "
            f"peak {result['peak_mb']:7.1f} MB  {json.dumps(extra, ensure_ascii=False)}"
        )
    ratio = results["pandas"]["seconds"] / results["calamine"]["seconds"]
    print(f"reading: calamine is {ratio:.1f}x faster than pandas.read_excel(engine='openpyxl')")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", nargs="?", default=str(ROOT / "var" / "bench-import-households.xlsx"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--phase", choices=["generate", "pandas", "calamine", "prepare", "import", "reimport"]
    )
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="import phase: save each household through the one-by-one service",
    )
    parser.add_argument("--sample-rows", type=int, default=2000, help="rows of the comparison file (0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args()
    path = Path(args.file)
    if args.phase is None:
        orchestrate(args)
        return
    started = time.perf_counter()
    if args.phase == "generate":
        result: dict[str, Any] = {"households": generate(path, args.rows)}
        result["seconds"] = time.perf_counter() - started
    elif args.phase == "pandas":
        result = phase_pandas(path)
    elif args.phase == "calamine":
        result = phase_calamine(path)
    elif args.phase == "prepare":
        result = phase_prepare(path)
    elif args.phase == "import":
        result = phase_import(path, args.one_by_one)
    else:
        result = phase_reimport(path)
    result["peak_mb"] = peak_mb()
    result["cpu_seconds"] = cpu_seconds()
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
