"""``lianbang department FILE --department CODE``: apply a department's screening list.

lianbang department FILE --department health [--dry-run] [--json] [--report REPORT.xlsx]

Departments: medical_security 医保, health 卫健, education 教育, civil_affairs 民政, hrss 人社,
disabled_federation 残联, emergency 应急, housing 住建, water 水利 (docs/transfer.md has the
templates). Exits non-zero only when the file cannot be read or lacks a required column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.common.errors import ApplicationError
from lianbang.transfer.departments import TEMPLATES
from lianbang.transfer.errorfile import write_error_file
from lianbang.transfer.screening import STATUS_LABELS, department_list_process


class Command(BaseCommand):
    help = "Match a department's list by ID number and record its facts or events (部门筛查预警)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", required=True, choices=sorted(TEMPLATES))
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--report", type=Path, default=None, help="unmatched/ambiguous rows to this .xlsx"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"cannot read {path}: no such file")
        try:
            report = department_list_process(
                path=path, department=options["department"], dry_run=options["dry_run"]
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for row in report.rows:
            if options["json"]:
                self.stdout.write(json.dumps(row.as_dict(), ensure_ascii=False))
            elif row.reason:
                self.stderr.write(f"row {row.row}: {STATUS_LABELS[row.status]} {row.reason}")
        self.stdout.write(json.dumps(report.summary(), ensure_ascii=False))
        if options["report"] and report.reported_rows:
            rows = ((r.row, r.cells, [STATUS_LABELS[r.status], r.reason]) for r in report.reported_rows)
            write_error_file(options["report"], report.titles, rows, notes=("结果", "原因"))
