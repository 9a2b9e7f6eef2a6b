"""Small helpers the employment services share: validation and the audit entry."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem, invalid

MAX_WAGE = Decimal(100000)


def audit(actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None) -> None:
    """Every employment write is in the audit log (``employment.<action>`` on the object)."""
    audit_record(
        actor=actor,
        action=f"employment.{action}"[:40],
        object_type=f"employment.{obj._meta.model_name}",
        object_id=obj.pk,
        changes=_plain(changes or {}),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def codes(path: str, values: list[str], choices: type[models.TextChoices], name: str) -> list[str]:
    """Codes or Chinese labels of ``choices``, as codes; an unknown one is refused by name."""
    by_label = {str(label): value for value, label in choices.choices}
    found, problems = [], []
    for index, raw in enumerate(values):
        code = raw if raw in choices.values else by_label.get(raw)
        if code is None:
            allowed = "、".join(str(label) for _, label in choices.choices)
            problems.append(
                FieldProblem(
                    f"{path}[{index}]",
                    raw,
                    f"{name}「{raw}」不是可选值（可选：{allowed}）",
                    f"unknown {path}",
                )
            )
        elif code not in found:
            found.append(code)
    if problems:
        raise ApplicationError("invalid", problems[0].message, problems[0].message_en, problems)
    return found


def one_code(
    path: str, raw: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> str:
    if blank and not raw:
        return ""
    return codes(path, [raw], choices, name)[0]


def wage(path: str, raw: object, *, required: bool = False) -> Decimal | None:
    """A monthly wage in yuan: exact decimal, above 0, at most 100,000."""
    if raw is None or raw == "":
        if required:
            raise invalid(path, raw, "须填写月工资", "a monthly wage is required")
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) < value <= MAX_WAGE:
        raise invalid(
            path, raw, "月工资应为0到100000元之间的金额", "a monthly wage is from 0 to 100,000 yuan"
        )
    return value


def required_text(path: str, value: str, name: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid(path, value, f"须填写{name}", f"{path} is required")
    if len(text) > max_length:
        raise invalid(path, value, f"{name}不能超过{max_length}个字", f"{path} is longer than {max_length}")
    return text
