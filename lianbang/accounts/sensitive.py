"""Revealing one masked value, and break-the-glass access outside one's scope.

Both need a permission and a written reason, and both are in the audit log. A break-the-glass
access is also reported to the level above the user (a :class:`SecurityNotice`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lianbang.accounts.models import BreakGlassGrant, Permission, Role, SecurityNotice, User
from lianbang.accounts.scope import Grant, grants_with, household_for, households_for
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, invalid
from lianbang.common.text import normalize_text
from lianbang.org.models import Unit
from lianbang.registry.models import Household, Member

MIN_REASON = 4
MEMBER_FIELDS = {
    "id_number": "证件号码",
    "name": "姓名",
    "birth_date": "出生日期",
    "health": "健康状况",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "schooling": "在校生状况",
}
HOUSEHOLD_FIELDS = {"phone": "联系电话"}
_BELOW_UNITS = frozenset({Role.GRID_WORKER, Role.HELPER, Role.DEPARTMENT})


@dataclass(frozen=True)
class Revealed:
    label: str
    value: str
    subject: str


def not_found() -> ApplicationError:
    return ApplicationError("not_found", "未找到", "not found", status=404)


def clean_reason(raw: object) -> str:
    reason = normalize_text(str(raw or "")).replace("\x00", "")[:500]
    if len(reason) < MIN_REASON:
        raise invalid(
            "reason",
            raw,
            f"请填写理由（至少 {MIN_REASON} 个字）",
            f"give a reason (at least {MIN_REASON} characters)",
        )
    return reason


@transaction.atomic
def reveal_value(
    *,
    user: User,
    household_id: object,
    field: str,
    reason: object,
    member_id: object = None,
    request: HttpRequest | None = None,
) -> Revealed:
    """One unmasked value of a household in the user's scope, logged with the reason."""
    household = household_for(user, household_id, Permission.SENSITIVE_REVEAL)
    if household is None:
        raise not_found()
    why = clean_reason(reason)
    subject: Household | Member = household
    if member_id not in (None, ""):
        subject = _member_of(household, member_id)
    label, value = _field_value(subject, field)
    audit_record(
        actor=user,
        action=Action.REVEAL,
        object_type=f"registry.{type(subject).__name__.lower()}",
        object_id=subject.pk,
        changes={"field": field, "household": household.household_no},
        reason=why,
        request=request,
    )
    return Revealed(label, value, str(subject))


def _member_of(household: Household, member_id: object) -> Member:
    try:
        member = household.members.filter(pk=int(str(member_id))).first()
    except ValueError:
        member = None
    if member is None:
        raise not_found()
    return member


def _field_value(subject: Household | Member, field: str) -> tuple[str, str]:
    fields = MEMBER_FIELDS if isinstance(subject, Member) else HOUSEHOLD_FIELDS
    if field not in fields:
        raise invalid("field", field, "不能查看该项", "this field cannot be revealed")
    display = getattr(subject, f"get_{field}_display", None)
    value: Any = display() if callable(display) else getattr(subject, field)
    return fields[field], "" if value is None else str(value)


@transaction.atomic
def break_glass(
    *, user: User, household_no: object, reason: object, request: HttpRequest | None = None
) -> BreakGlassGrant:
    """Open one household outside the user's scope for a while; report it to the level above."""
    grants = grants_with(user, Permission.BREAK_GLASS)
    if not grants:
        raise ApplicationError("forbidden", "您没有紧急访问权限", "you may not break the glass", status=403)
    why = clean_reason(reason)
    number = normalize_text(str(household_no or "")).replace("\x00", "")[:30]
    household = Household.objects.filter(household_no=number).first()
    if household is None:
        raise invalid("household_no", household_no, "未找到该户编号", "no household with this number")
    if households_for(user).filter(pk=household.pk).exists():
        raise invalid("household_no", household_no, "该户在您的辖区内，无需紧急访问", "already in your scope")
    grant = BreakGlassGrant.objects.create(
        user=user,
        household=household,
        reason=why,
        expires_at=timezone.now() + timedelta(minutes=settings.LIANBANG_BREAK_GLASS_MINUTES),
    )
    entry = audit_record(
        actor=user,
        action=Action.BREAK_GLASS,
        object_type="registry.household",
        object_id=household.pk,
        changes={"household": household.household_no, "until": grant.expires_at.isoformat()},
        reason=why,
        request=request,
    )
    _report_above(user, grants, household, why, entry.seq)
    return grant


def report_units(grants: list[Grant]) -> list[Unit]:
    """Who hears of a break-the-glass access: the unit above each of the user's units (the
    user's own unit for grid workers, helpers and departments, who sit below their unit)."""
    units: dict[int, Unit] = {}
    for grant in grants:
        if grant.unit is None:
            continue
        above = grant.unit if grant.role in _BELOW_UNITS else (grant.unit.parent or grant.unit)
        units[above.pk] = above
    return list(units.values())


def _report_above(user: User, grants: list[Grant], household: Household, reason: str, seq: int) -> None:
    message = (
        f"{user}（{user.username}）紧急访问辖区外的户 {household.household_no}，理由：{reason}（审计 #{seq}）"
    )
    SecurityNotice.objects.bulk_create(
        SecurityNotice(unit=unit, kind="break_glass", message=message[:500], actor=user)
        for unit in report_units(grants)
    )
