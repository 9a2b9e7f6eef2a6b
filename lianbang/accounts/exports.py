"""Excel export with masking: every exporter writes through :func:`write_masked_xlsx`.

Rows are flat mappings keyed like the registry's fields (``id_number``, ``phone``, ``health``,
``name``, ``birth_date`` …); :func:`lianbang.accounts.masking.mask_row` masks them, and the
export itself is recorded in the audit log (who, what, how many rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.http import HttpRequest
from django.utils import timezone

from lianbang.accounts.masking import mask_row
from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record

# Text that starts with "=" must stay text: a spreadsheet must never run what a user typed.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class Column:
    key: str
    title: str


def write_masked_xlsx(
    target: str | IO[bytes],
    *,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    actor: Actor,
    what: str,
    sheet: str = "Sheet1",
    today: date | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Write ``rows`` masked to an .xlsx (a path or a binary stream); returns the row count."""
    today = today or timezone.localdate()
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    worksheet = workbook.add_worksheet(sheet[:31])
    worksheet.write_row(0, 0, [column.title for column in columns])
    count = 0
    for count, row in enumerate(rows, start=1):
        masked = mask_row(row, today=today)
        worksheet.write_row(count, 0, [_cell(masked.get(column.key)) for column in columns])
    workbook.close()
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=what,
        changes={"rows": count, "columns": [column.key for column in columns], "masked": True},
        request=request,
    )
    return count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
