from __future__ import annotations

from lianbang.common.errors import FieldProblem


def reason(path: str, value: object, zh: str, en: str) -> FieldProblem:
    """A problem inside a condition: where, which value, and why."""
    shown = "" if value is None else f"「{value}」"
    return FieldProblem(path, value, f"{path}{shown}：{zh}", f"{path} {value!r}: {en}")
