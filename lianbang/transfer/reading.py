"""Reading a spreadsheet into rows of cells: .xlsx/.xlsm/.xls/.xlsb/.ods with python-calamine,
.csv in UTF-8 or GB18030. The header is found by :mod:`lianbang.transfer.layout`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from lianbang.common.errors import ApplicationError
from lianbang.transfer.columns import column_for
from lianbang.transfer.layout import Layout, Lookup, find_layout

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt"}
SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES
Merged = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Table:
    """The rows of the sheet that holds the data, and where its header is."""

    rows: list[list[Any]]
    layout: Layout
    sheet: str = ""
    merged: list[Merged] = field(default_factory=list)

    def data_rows(self) -> list[tuple[int, list[Any]]]:
        """(spreadsheet row number counted from 1, cells) for every non-empty row under the header."""
        start = self.layout.data_start
        return [
            (index + 1, row)
            for index, row in enumerate(self.rows[start:], start=start)
            if any(cell not in (None, "") for cell in row)
        ]


def unreadable(name: str, zh: str, en: str) -> ApplicationError:
    return ApplicationError("unreadable_file", f"文件「{name}」无法读取：{zh}", f"cannot read {name!r}: {en}")


def read_table(path: Path, name: str = "", lookup: Lookup = column_for, minimum: int = 3) -> Table:
    """The first sheet of the file whose header names at least ``minimum`` known columns."""
    name = name or path.name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise unreadable(
            name, "只支持 .xlsx、.xls、.csv 文件", "only .xlsx, .xls and .csv files are supported"
        )
    sheets = _csv_sheets(path, name) if suffix in TEXT_SUFFIXES else _workbook_sheets(path, name)
    for sheet_name, rows, merged in sheets:
        layout = find_layout(rows, merged, lookup, minimum)
        if layout is not None:
            return Table(rows, layout, sheet_name, merged)
    raise unreadable(
        name,
        f"找不到表头（前30行中没有一行含有至少{minimum}个可识别的列名，如 姓名、证件号码）",
        f"no header found (no row among the first 30 names at least {minimum} known columns)",
    )


def _workbook_sheets(path: Path, name: str) -> list[tuple[str, list[list[Any]], list[Merged]]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for index, sheet_name in enumerate(workbook.sheet_names):
            sheet = workbook.get_sheet_by_index(index)
            rows = _shared(sheet.iter_rows())
            sheets.append((sheet_name, rows, list(sheet.merged_cell_ranges or [])))
        return sheets
    except Exception as exc:  # calamine raises several types for damaged or disguised files
        raise unreadable(name, f"不是有效的 Excel 文件（{exc}）", f"not a valid spreadsheet ({exc})") from exc


def _shared(rows: Iterable[list[Any]]) -> list[list[Any]]:
    """The rows, with each short text kept once however often it repeats (汉族, 健康, 户主 …):
    a 100,000-row export then needs a fraction of the memory."""
    seen: dict[str, str] = {}
    return [
        [seen.setdefault(c, c) if isinstance(c, str) and len(c) <= 16 else c for c in row] for row in rows
    ]


def _csv_sheets(path: Path, name: str) -> list[tuple[str, list[list[Any]], list[Merged]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(name, str(exc), str(exc)) from exc
    text = _decode(raw, name)
    dialect = _dialect(text[:8192])
    return [("", _shared(csv.reader(io.StringIO(text, newline=""), dialect)), [])]


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(
        name, "文字编码无法识别（应为 UTF-8 或 GB18030/GBK）", "text is neither UTF-8 nor GB18030"
    )


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        return csv.excel
