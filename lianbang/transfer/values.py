"""Cleaning the values found in spreadsheet cells before the interchange document reads them.

A cell arrives as calamine gives it (text, float, int, bool, date, datetime) or as CSV text.
Each cleaner returns the value in the form the document accepts, or raises
:class:`CellProblem` for a value that cannot be trusted (an ID number Excel has rounded).
Values it cannot make sense of pass through unchanged, so the document names the problem.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from lianbang.common.text import compact, normalize_text
from lianbang.common.validators import Reason
from lianbang.transfer.columns import Kind

EXCEL_EPOCH = date(1899, 12, 30)
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")
_DATE_TIME = re.compile(r"^(\d{4}[-./]\d{1,2}[-./]\d{1,2})[T ]?\d{1,2}:\d{2}(:\d{2})?$")
_TRUE = {"是", "有", "1", "true", "yes", "y", "√", "✓", "✔", "参加", "已参加", "享受", "已享受", "安全"}
_FALSE = {"否", "无", "0", "false", "no", "n", "×", "✗", "未参加", "不参加", "未享受", "不安全"}
_CURRENCY = str.maketrans("", "", "¥$")


class CellProblem(ValueError):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """Any cell as the text a person reads in it; whole numbers without ".0"."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return normalize_text(str(value)).lstrip("'").strip()


def clean(kind: Kind, value: Any) -> Any:
    """The document-ready form of one cell of a column of ``kind``; None when blank.

    A file repeats the same few values in most columns (性别, 民族, 健康状况, and every household
    column once per member): the last few thousand cleaned values are kept, by kind, type and
    value (``1``, ``1.0`` and ``True`` are equal keys otherwise). Cleaning is a pure function
    of those and gives immutable values; a value it refuses is refused again each time."""
    if is_blank(value):
        return None
    try:
        return _clean_seen(kind, type(value).__name__, value)
    except TypeError:  # an unhashable cell (none of the readers gives one)
        return _CLEANERS[kind](value)


@functools.lru_cache(maxsize=8192)
def _clean_seen(kind: Kind, _type: str, value: Any) -> Any:
    return _CLEANERS[kind](value)


def clean_id(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _numeric_id(value)
    text = compact(as_text(value)).lstrip("'")
    if _SCIENTIFIC.match(text):
        raise CellProblem(_damaged_id())
    return text


def _numeric_id(value: float) -> str:
    """A number in the ID column: a 15-digit legacy ID survives a float, an 18-digit one does not."""
    if float(value).is_integer() and len(str(int(value))) == 15:
        return str(int(value))
    raise CellProblem(_damaged_id())


def _damaged_id() -> Reason:
    return Reason(
        "证件号码被Excel存成了数字（科学计数法），后几位已丢失；请把该列设为文本格式后重新填写",
        "the ID number was stored by Excel as a number (scientific notation) and its last digits "
        "are lost; format the column as text and type it again",
    )


def clean_date(value: Any) -> Any:
    """ISO date text for dates, Excel serials, 20190501, 2019.05 (first of the month), 2019-5-1."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _numeric_date(float(value)) or value
    text = compact(str(value))
    if text.isdigit() and len(text) <= 5:  # an Excel serial saved as text (.csv)
        return _numeric_date(float(text)) or text
    return _text_date(text)


def _numeric_date(number: float) -> str | None:
    if not number.is_integer():
        number = float(int(number))  # a serial with a time of day
    whole = int(number)
    if 19000101 <= whole <= 21001231:
        return _text_date(str(whole))
    if 190001 <= whole <= 210012:
        return _text_date(str(whole))
    if 1 <= whole < 100000:
        return (EXCEL_EPOCH + timedelta(days=whole)).isoformat()
    return None


def _text_date(text: str) -> str:
    match = _DATE_TIME.match(text)
    if match:
        text = match[1]
    if len(text) == 6 and text.isdigit():
        text = f"{text[:4]}-{text[4:]}"
    month = _YEAR_MONTH.match(text)
    if month and 1 <= int(month[2]) <= 12:
        return date(int(month[1]), int(month[2]), 1).isoformat()
    return text


def clean_money(value: Any) -> Any:
    """Exact yuan as text: 3,500元 → 3500; floats rounded to the fen they were typed as."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return _float_money(float(value))
    text = compact(str(value)).translate(_CURRENCY).replace(",", "").removeprefix("RMB")
    return text.removesuffix("元")


def _float_money(number: float) -> Any:
    try:
        exact = Decimal(repr(number))
    except InvalidOperation:
        return number
    rounded = exact.quantize(Decimal("0.01"))
    return str(rounded if abs(exact - rounded) < Decimal("0.000001") else exact)


def clean_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = compact(str(value)).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return as_text(value)


def clean_int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = compact(value).removesuffix("层").removesuffix("人").removesuffix("级")
        return int(text) if text.isdigit() else text
    return value


def clean_code(value: Any) -> str:
    return compact(as_text(value))


def clean_phone(value: Any) -> str:
    return compact(as_text(value)).replace("-", "")


_CLEANERS = {
    Kind.TEXT: as_text,
    Kind.CODE: clean_code,
    Kind.ID: clean_id,
    Kind.DATE: clean_date,
    Kind.MONEY: clean_money,
    Kind.BOOL: clean_bool,
    Kind.INT: clean_int,
    Kind.PHONE: clean_phone,
}
