"""``lianbang import FILE``: import households from a spreadsheet (.xlsx, .xls, .csv).

lianbang import FILE [--dry-run] [--json] [--year 2025] [--errors ERRORS.xlsx] [--english]

With --json: one JSON object per source row ({"row", "status", "household_no", "errors",
"warnings"}) and a last summary line. Exits non-zero only when the file itself cannot be read;
rows with errors are reported, and the good households are saved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.common.errors import ApplicationError
from lianbang.transfer.errorfile import write_error_file
from lianbang.transfer.importing import ImportReport, RowResult, households_import

EVALUATION = {"auto": None, "bulk": True, "per-household": False}


class Command(BaseCommand):
    help = "Import households from .xlsx/.xls/.csv (one row per member); --dry-run only previews."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and preview, save nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object per row, then a summary")
        parser.add_argument("--year", type=int, default=None, help="income year (default: last year)")
        parser.add_argument("--errors", type=Path, default=None, help="write the refused rows to this .xlsx")
        parser.add_argument("--english", action="store_true", help="reasons in English")
        parser.add_argument("--evaluation", choices=sorted(EVALUATION), default="auto")
        parser.add_argument(
            "--one-by-one",
            action="store_true",
            help="save each household through the one-by-one service (slow; the batch path's reference)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"cannot read {path}: no such file")
        try:
            report = households_import(
                path=path,
                dry_run=options["dry_run"],
                income_year=options["year"],
                bulk_evaluation=EVALUATION[options["evaluation"]],
                # Judging each household as it is saved is the one-by-one path's.
                one_by_one=options["one_by_one"] or options["evaluation"] == "per-household",
            )
        except ApplicationError as error:
            raise CommandError(error.message_en if options["english"] else error.message) from error
        if options["json"]:
            self._json(report)
        else:
            self._text(report, english=options["english"])
        if options["errors"] and report.error_rows:
            self._error_file(report, options["errors"])

    def _json(self, report: ImportReport) -> None:
        for row in report.rows:
            self.stdout.write(json.dumps(row.as_dict(), ensure_ascii=False))
        self.stdout.write(json.dumps(report.summary(), ensure_ascii=False))

    def _text(self, report: ImportReport, *, english: bool) -> None:
        for row in report.error_rows:
            for line in _lines(row, english):
                self.stderr.write(line)
        counts = report.summary()
        verb = "would be " if report.dry_run else ""
        households = counts["households"]
        self.stdout.write(
            f"households {verb}created {households['created']}, {verb}updated {households['updated']}, "
            f"unchanged {households['unchanged']}, refused {households['error']} "
            f"({len(report.error_rows)} rows)"
        )

    def _error_file(self, report: ImportReport, target: Path) -> None:
        rows = (
            (r.row, report.error_cells.get(r.row, []), ["；".join(e.reason for e in r.errors)])
            for r in report.error_rows
        )
        write_error_file(target, report.titles, rows)
        self.stdout.write(f"error file: {target}")


def _lines(row: RowResult, english: bool) -> list[str]:
    return [
        f"row {row.row} {row.household_no}: {e.column} {e.value!r}: {e.reason_en if english else e.reason}"
        for e in row.errors
    ]
