"""Parsers for a list's filter values, shared by the console's lists and their exports: each
takes the raw value (a query-string text or a JSON value) and returns it checked, or raises
:class:`BadValue` with the reason in Chinese and English (the caller names the field), and
:func:`parse_filters` runs a list's parsers over its parameters, reporting every bad value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lianbang.common.errors import ApplicationError, FieldProblem

_TRUE = ("true", "1", "yes", "on", "t", "y", "是")
_FALSE = ("false", "0", "no", "off", "f", "n", "否")

Parser = Callable[[Any], Any]


class BadValue(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def parse_filters(params: Mapping[str, Any], parsers: Mapping[str, Parser]) -> dict[str, Any]:
    """Each value of ``params`` through its parser (in the parsers' order); an empty value is no
    filter; every bad value is reported at once, naming its field (a 400)."""
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for name, parse in parsers.items():
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        try:
            values[name] = parse(raw)
        except BadValue as bad:
            problems.append(FieldProblem(name, raw, bad.zh, bad.en))
    if problems:
        raise ApplicationError("invalid", "筛选条件有误", "invalid filters", problems)
    return values


def parse_id(raw: Any) -> int:
    """A positive id that fits a 64-bit key (``true`` is not 1)."""
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not 0 < int(text) < 2**63:
        raise BadValue("应为正整数编号", "must be a positive whole number")
    return int(text)


def parse_flag(raw: Any) -> bool:
    """A yes or no: a JSON boolean, or true/false, 1/0, yes/no, on/off, t/f, y/n, 是/否."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text not in _TRUE + _FALSE:
        raise BadValue("应为 true 或 false", "must be true or false")
    return text in _TRUE


def one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        if str(raw) not in options:
            raise BadValue(f"可选：{'、'.join(options)}", f"one of {', '.join(options)}")
        return str(raw)

    return parse
