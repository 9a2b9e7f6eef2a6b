"""Parsers for a list's filter values, shared by the console's lists and their exports: each
takes the raw value (a query-string text or a JSON value) and returns it checked, or raises
:class:`BadValue` with the reason in Chinese and English (the caller names the field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_TRUE = ("true", "1", "yes", "on", "t", "y")
_FALSE = ("false", "0", "no", "off", "f", "n")


class BadValue(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def parse_id(raw: Any) -> int:
    """A positive id that fits a 64-bit key (``true`` is not 1)."""
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not 0 < int(text) < 2**63:
        raise BadValue("应为正整数编号", "must be a positive whole number")
    return int(text)


def parse_flag(raw: Any) -> bool:
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
