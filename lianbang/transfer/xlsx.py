"""Writing .xlsx with xlsxwriter in constant-memory mode: each row goes to disk as it is
written, so a million rows never sit in memory. Text is written as text (an ID number stays
an ID number; a cell starting with "=" is never run as a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int = 12


class SheetWriter:
    """Rows of one sheet, written in order (constant-memory mode allows nothing else)."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: Worksheet) -> None:
        self.workbook, self.sheet, self.next_row = workbook, sheet, 0
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.bold = workbook.add_format({"bold": True})

    def header(self, titles: Sequence[str], widths: Sequence[int] = ()) -> None:
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)
        self.sheet.write_row(self.next_row, 0, list(titles), self.bold)
        self.next_row += 1

    def row(self, values: Iterable[Any]) -> None:
        for column, value in enumerate(values):
            self.cell(self.next_row, column, value)
        self.next_row += 1

    def cell(self, row: int, column: int, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            self.sheet.write_string(row, column, "是" if value else "否")
        elif isinstance(value, (int, float)):
            self.sheet.write_number(row, column, value)
        elif isinstance(value, Decimal):
            self.sheet.write_number(row, column, float(value))
        elif isinstance(value, datetime):
            self.sheet.write_datetime(row, column, value.replace(tzinfo=None), self.date_format)
        elif isinstance(value, date):
            self.sheet.write_datetime(
                row, column, datetime(value.year, value.month, value.day), self.date_format
            )
        else:
            self.sheet.write_string(row, column, str(value))


def open_workbook(path: Path) -> xlsxwriter.Workbook:
    path.parent.mkdir(parents=True, exist_ok=True)
    return xlsxwriter.Workbook(str(path), OPTIONS)


def add_sheet(workbook: xlsxwriter.Workbook, name: str) -> SheetWriter:
    return SheetWriter(workbook, workbook.add_worksheet(name[:31]))


def open_workbook_stream(stream: io.BytesIO) -> xlsxwriter.Workbook:
    """A small workbook in memory (templates); large ones go to a file with :func:`open_workbook`."""
    return xlsxwriter.Workbook(stream, {**OPTIONS, "constant_memory": False, "in_memory": True})
