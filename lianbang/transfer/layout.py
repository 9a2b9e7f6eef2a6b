"""Finding the header of a sheet: not necessarily on row 1, possibly two rows deep with
merged cells, columns in any order under any known spelling (``columns.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lianbang.transfer.columns import column_for, header_key
from lianbang.transfer.values import as_text

SCAN_ROWS = 30
MIN_KNOWN = 3
Merged = tuple[tuple[int, int], tuple[int, int]]
Lookup = Callable[[object], str | None]


@dataclass
class Layout:
    header_rows: tuple[int, ...]  # 0-based indexes of the rows that make up the header
    columns: dict[str, int]  # column key → 0-based column index
    titles: list[str]  # the header text of every column, as the file spells it
    unknown: list[str] = field(default_factory=list)  # headers that name no known column
    duplicates: list[str] = field(default_factory=list)  # a second column for the same key

    @property
    def data_start(self) -> int:
        return max(self.header_rows) + 1

    def title_of(self, key: str) -> str:
        index = self.columns.get(key)
        return self.titles[index] if index is not None else ""


def find_layout(
    rows: list[list[Any]],
    merged: list[Merged] | None = None,
    lookup: Lookup = column_for,
    minimum: int = MIN_KNOWN,
) -> Layout | None:
    """The header: the row among the first 30 naming the most known columns (at least
    ``minimum``), completed by a second header row below it or merged cells above it."""
    top = _filled(rows[:SCAN_ROWS], merged or [])
    scores = [len({k for k in map(lookup, row) if k}) for row in top]
    if not scores or max(scores) < minimum:
        return None
    best = scores.index(max(scores))
    names = [lookup(cell) for cell in top[best]]
    used = [best]
    if best + 1 < len(top) and _all_headers(top[best + 1], lookup):
        below = _padded(top[best + 1], len(names))
        names = [lookup(cell) or name for name, cell in zip(names, below, strict=True)]
        used.append(best + 1)
    if best > 0:
        above = [lookup(cell) for cell in _padded(top[best - 1], len(names))]
        if any(a and (not n or a == n) for a, n in zip(above, names, strict=True)):
            used.insert(0, best - 1)  # merged cells reaching down from the row above
        names = [name or a for name, a in zip(names, above, strict=True)]
    return _layout(top, tuple(used), names, best, lookup)


def _filled(rows: list[list[Any]], merged: list[Merged]) -> list[list[Any]]:
    """Copies of the rows with each merged area's value repeated in all of its cells."""
    width = max((len(row) for row in rows), default=0)
    filled = [_padded(row, width) for row in rows]
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(filled) or c0 >= width:
            continue
        value = filled[r0][c0]
        for r in range(r0, min(r1, len(filled) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                filled[r][c] = value
    return filled


def _padded(row: list[Any], width: int) -> list[Any]:
    return list(row) + [""] * (width - len(row))


def _all_headers(row: list[Any], lookup: Lookup) -> bool:
    """A second header row: every non-empty cell names a known column."""
    cells = [cell for cell in row if as_text(cell)]
    return bool(cells) and all(lookup(cell) for cell in cells)


def _layout(
    top: list[list[Any]], used: tuple[int, ...], names: list[str | None], best: int, lookup: Lookup
) -> Layout:
    columns: dict[str, int] = {}
    titles: list[str] = []
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, key in enumerate(names):
        title = _title(top, used, index, best, lookup)
        titles.append(title)
        if key is None:
            if header_key(title):
                unknown.append(title)
        elif key in columns:
            duplicates.append(title)
        else:
            columns[key] = index
    return Layout(used, columns, titles, unknown, duplicates)


def _title(top: list[list[Any]], used: tuple[int, ...], index: int, best: int, lookup: Lookup) -> str:
    """The header text of a column: the most specific recognised cell, else the main row's."""
    candidates = [top[r][index] for r in reversed(used)]
    if best > 0:
        candidates.append(top[best - 1][index])
    for cell in candidates:
        if lookup(cell):
            return as_text(cell)
    return as_text(top[best][index])
