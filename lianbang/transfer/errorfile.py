"""The error report: the original rows of the refused (or unmatched) lines, exactly as they
were, plus the reason — fix them in Excel and import the same file again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lianbang.transfer.columns import REASON_TITLE
from lianbang.transfer.xlsx import add_sheet, open_workbook

ROW_TITLE = "原行号"


def write_error_file(
    path: Path,
    titles: Sequence[str],
    rows: Iterable[tuple[int, Sequence[Any], Sequence[str]]],
    *,
    notes: Sequence[str] = (REASON_TITLE,),
) -> int:
    """``rows``: (original row number, original cells, one text per ``notes`` column).

    The original columns keep their places and header names; the notes and the original row
    number follow them, so the file can be imported again as it is. Returns the row count."""
    workbook = open_workbook(path)
    sheet = add_sheet(workbook, "错误报告")
    width = len(titles)
    sheet.header([*titles, *notes, ROW_TITLE])
    count = 0
    for number, cells, texts in rows:
        original = list(cells[:width]) + [""] * (width - len(cells))
        sheet.row([*original, *texts, number])
        count += 1
    workbook.close()
    return count
