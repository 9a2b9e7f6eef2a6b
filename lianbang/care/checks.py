"""Collecting every problem of one request, each with its path, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.validators import InvalidValue, normalize_phone
from lianbang.registry.models import Household, Member
from lianbang.registry.parsing import lookup_choice


@dataclass
class Problems:
    items: list[FieldProblem] = field(default_factory=list)

    def add(self, path: str, value: object, message: str, message_en: str) -> None:
        self.items.append(FieldProblem(path, value, message, message_en))

    def raise_any(self, message: str = "数据有误", message_en: str = "the data is invalid") -> None:
        if self.items:
            raise ApplicationError("invalid", message, message_en, list(self.items))

    def text(self, value: Any, path: str, limit: int, *, required: bool = False) -> str:
        text = value.strip() if isinstance(value, str) else ""
        if value is not None and not isinstance(value, str):
            self.add(path, value, "应为文字", "must be text")
        elif required and not text:
            self.add(path, value, "必填", "is required")
        elif len(text) > limit:
            self.add(path, value, f"不能超过{limit}字", f"at most {limit} characters")
        return text

    def choice(self, choices: type[models.TextChoices], value: Any, path: str) -> str:
        code = lookup_choice(choices, value) if isinstance(value, str) and value else None
        if not code:
            labels = "、".join(str(label) for label in choices.labels)
            self.add(path, value, f"可选：{labels}", f"one of {', '.join(choices.values)}")
            return ""
        return code

    def member(self, household: Household, member_id: Any, path: str = "member_id") -> Member | None:
        found = (
            household.members.filter(pk=member_id, status="active").first()
            if isinstance(member_id, int) and not isinstance(member_id, bool)
            else None
        )
        if found is None:
            self.add(path, member_id, "不是本户在册成员", "is not an active member of this household")
        return found

    def amount(
        self, value: Any, path: str, *, positive: bool = False, optional: bool = False
    ) -> Decimal | None:
        if value is None and optional:
            return None
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            amount = None
        low = Decimal("0.01") if positive else Decimal("0")
        if (
            amount is None
            or not amount.is_finite()
            or not low <= amount < Decimal("10000000")
            or amount != amount.quantize(Decimal("0.01"))
        ):
            self.add(
                path,
                value,
                "金额应在0到1000万元之间，最多两位小数",
                "an amount from 0 to 10 million, 2 decimals",
            )
            return None
        return amount

    def phone(self, value: Any, path: str) -> str:
        if value in (None, ""):
            return ""
        try:
            return normalize_phone(str(value))
        except InvalidValue:
            self.add(path, value, "手机号码格式不正确", "not a mobile phone number")
            return ""

    def not_future(self, moment: datetime, path: str) -> None:
        if moment > timezone.now() + timedelta(hours=1):
            self.add(path, moment.isoformat(), "不能晚于现在", "cannot be in the future")

    def day_range(self, start: date, end: date | None, path: str) -> None:
        if end is not None and end < start:
            self.add(path, str(end), "结束日期早于开始日期", "ends before it starts")
