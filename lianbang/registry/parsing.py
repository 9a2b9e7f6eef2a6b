"""Reading untrusted values field by field, collecting every problem with its path.

A problem names the field (in Chinese and by path), the value and the reason, in zh-CN and
English, so a grid worker or an importer can fix all of them in one pass.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from lianbang.common.errors import FieldProblem
from lianbang.common.text import compact, normalize_text
from lianbang.common.validators import InvalidValue, Reason
from lianbang.registry.vocab import VARIANTS

_TRUE_WORDS = {"true", "1", "是", "yes", "y", "有"}
_FALSE_WORDS = {"false", "0", "否", "no", "n", "无", ""}
_DATE_PATTERN = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
MAX_MONEY = Decimal("9999999999.99")


class Reader:
    """Reads one JSON object; problems go to a shared list, prefixed with ``path``."""

    def __init__(self, data: Any, path: str, problems: list[FieldProblem], who: str = "") -> None:
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.path = path
        self.problems = problems
        self.who = who
        if not isinstance(data, dict):
            self._add("", data, "", Reason("应为对象", "must be an object"))

    def child(self, key: str, who: str = "") -> Reader:
        return Reader(self.data.get(key) or {}, self._path(key), self.problems, who or self.who)

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._add(key, value, key, Reason("应为数组", "must be an array"))
            return []
        return value

    def problem(self, key: str, value: object, label: str, reason: Reason) -> None:
        self._add(key, value, label, reason)

    def text(self, key: str, label: str, *, required: bool = False, max_length: int = 100) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self._add(key, value, label, Reason("不能为空", "is required"))
            return ""
        if not isinstance(value, (str, int)):
            self._add(key, value, label, Reason("应为文本", "must be text"))
            return ""
        result = normalize_text(str(value))
        if len(result) > max_length:
            self._add(
                key,
                value,
                label,
                Reason(f"超过{max_length}个字符", f"is longer than {max_length} characters"),
            )
            return ""
        return result

    def code(self, key: str, label: str, normalizer: Any, *, required: bool = False) -> str:
        """A value checked by a ``normalize_*`` validator (ID number, phone, credit code)."""
        raw = self.text(key, label, required=required, max_length=40)
        if not raw:
            return ""
        try:
            return str(normalizer(raw))
        except InvalidValue as exc:
            self._add(key, raw, label, exc.reason)
            return ""

    def choice(
        self, key: str, label: str, choices: type[models.TextChoices], *, required: bool = False
    ) -> str:
        raw = self.data.get(key)
        if raw is None or raw == "":
            if required:
                self._add(key, raw, label, Reason("不能为空", "is required"))
            return ""
        found = lookup_choice(choices, raw)
        if found is None:
            allowed = "、".join(str(lbl) for value, lbl in choices.choices if value)
            self._add(
                key, raw, label, Reason(f"不是可选值（可选：{allowed}）", "is not one of the allowed values")
            )
            return ""
        return found

    def boolean(self, key: str, label: str, *, default: bool) -> bool:
        raw = self.data.get(key)
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        word = compact(str(raw)).lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        self._add(key, raw, label, Reason("应为是或否", "must be true or false"))
        return default

    def integer(self, key: str, label: str, *, low: int, high: int, required: bool = False) -> int | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            if required:
                self._add(key, raw, label, Reason("不能为空", "is required"))
            return None
        try:
            value = int(compact(str(raw))) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self._add(
                key,
                raw,
                label,
                Reason(f"应为{low}到{high}之间的整数", f"must be a whole number from {low} to {high}"),
            )
            return None
        return value

    def money(self, key: str, label: str, *, required: bool = False) -> Decimal | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            if required:
                self._add(key, raw, label, Reason("不能为空", "is required"))
            return None
        value = parse_money(raw)
        if value is None or value < 0 or value > MAX_MONEY:
            self._add(
                key,
                raw,
                label,
                Reason(
                    "应为不小于0的金额（元，最多两位小数）",
                    "must be an amount ≥ 0 in yuan with at most 2 decimals",
                ),
            )
            return None
        return value

    def day(self, key: str, label: str, *, required: bool = False) -> date | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            if required:
                self._add(key, raw, label, Reason("不能为空", "is required"))
            return None
        value = parse_day(raw)
        if value is None:
            self._add(
                key,
                raw,
                label,
                Reason("不是有效日期（如 2026-05-01）", "is not a valid date (e.g. 2026-05-01)"),
            )
        return value

    def _path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path and key else (self.path or key)

    def _add(self, key: str, value: object, label: str, reason: Reason) -> None:
        shown = "" if value is None else f"「{value}」"
        self.problems.append(
            FieldProblem(
                path=self._path(key),
                value=value,
                message=f"{self.who}{label}{shown}：{reason.zh}",
                message_en=f"{self.who_en}{key or 'value'} {value!r}: {reason.en}",
            )
        )

    @property
    def who_en(self) -> str:
        return f"{self.path}: " if self.path else ""


def lookup_choice(choices: type[models.TextChoices], raw: object) -> str | None:
    """The stored code for a code, a Chinese label or a known variant spelling."""
    text = compact(str(raw))
    codes, by_label = _vocabulary(choices)
    if text in codes:
        return text
    if text in by_label:
        return by_label[text]
    variant = VARIANTS.get(text)
    return by_label.get(variant) if variant else None


@functools.cache
def _vocabulary(choices: type[models.TextChoices]) -> tuple[frozenset[str], dict[str, str]]:
    """The codes and the label → code map of a vocabulary, built once per process."""
    codes = frozenset(str(value) for value, _ in choices.choices)
    return codes, {compact(str(label)): str(value) for value, label in choices.choices}


def parse_money(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        raw = repr(raw)
    text = compact(str(raw)).replace(",", "").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    # Beyond any real amount (and beyond what quantize can hold): refused, not crashed.
    if not value.is_finite() or abs(value) > MAX_MONEY or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def parse_day(raw: object) -> date | None:
    if isinstance(raw, date):
        return raw
    text = compact(str(raw))
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_PATTERN.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
