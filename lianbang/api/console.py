"""What the officials' console needs for the household file (户档案) beyond the household's own
resources: members with their ids (so that one value can be revealed), labels grouped by their
category, and each year's per-capita income beside the monitoring line of that year."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.masking import age_on, mask_row
from lianbang.accounts.models import Assignment, SecurityNotice
from lianbang.api.households import actor_of, household_in_scope
from lianbang.employment.labour import labour_q
from lianbang.monitoring.selectors import line_fen
from lianbang.registry.export import member_to_document
from lianbang.registry.models import Household, Income, Member

router = Router(tags=["console"])


class MemberRowOut(Schema):
    id: int
    name: str
    id_number: str
    sex: str
    relation: str
    age: int | None
    health: str
    labor_skill: str
    schooling: str | None
    status: str
    employment: Any
    labour: bool  # 劳动力 (DOMAIN §4): the employment file 就业档案 concerns them


class LabelRowOut(Schema):
    code: str
    name: str
    kind: str


class LabelGroupOut(Schema):
    category: str
    labels: list[LabelRowOut]


class IncomeYearOut(Schema):
    year: int
    net_income: Decimal
    household_size: int | None
    per_capita: Decimal | None
    monitoring_line: Decimal | None


class HouseholdFileOut(Schema):
    unit_id: int  # the unit it belongs to: the breadcrumb back up (六提六知)
    members: list[MemberRowOut]
    label_groups: list[LabelGroupOut]
    incomes: list[IncomeYearOut]


@router.get("/households/{household_id}/file", response=HouseholdFileOut)
def household_file(request: HttpRequest, household_id: int) -> dict[str, Any]:
    """Members (masked, with ids for reveal), labels by category, incomes against the line."""
    household = household_in_scope(request, household_id)
    return {
        "unit_id": household.unit_id,
        "members": _members(household),
        "label_groups": label_groups(household),
        "incomes": _incomes(household),
    }


def _members(household: Household) -> list[dict[str, Any]]:
    today = timezone.localdate()
    members: list[Member] = list(household.members.order_by("pk"))
    labour = set(household.members.filter(labour_q(today)).values_list("pk", flat=True))
    rows = []
    for member in members:
        masked = mask_row(member_to_document(member), today=today)
        masked["age"] = age_on(member.birth_date, today) if member.birth_date else None
        masked["id"] = member.pk
        masked["labour"] = member.pk in labour
        masked["labor_skill"] = masked.get("labor_skill") or ""
        rows.append(masked)
    return rows


def label_groups(household: Household) -> list[dict[str, Any]]:
    held = household.labels.select_related("label__subcategory__parent").order_by(
        "label__subcategory__parent__position", "label__subcategory__position", "label__position"
    )
    groups: dict[str, list[dict[str, str]]] = {}
    for row in held:
        category = row.label.subcategory.parent or row.label.subcategory
        groups.setdefault(category.name, []).append(
            {"code": row.label.code, "name": row.label.name, "kind": row.label.kind}
        )
    return [{"category": name, "labels": labels} for name, labels in groups.items()]


def _incomes(household: Household) -> list[dict[str, Any]]:
    incomes: list[Income] = list(household.incomes.order_by("year"))
    rows = []
    for income in incomes:
        net = income.net_income
        size = income.household_size
        line = line_fen(household.region_code, income.year)
        rows.append(
            {
                "year": income.year,
                "net_income": net,
                "household_size": size,
                "per_capita": (net / size).quantize(Decimal("0.01")) if size else None,
                "monitoring_line": None if line is None else Decimal(line) / 100,
            }
        )
    return rows


class NoticeOut(Schema):
    id: int
    unit: str
    kind: str
    message: str
    created_at: datetime


@router.get("/security-notices", response=list[NoticeOut])
def security_notices(request: HttpRequest) -> list[dict[str, Any]]:
    """Reports to the caller's units (e.g. a break-the-glass access below them), newest first."""
    units = Assignment.objects.filter(user=actor_of(request)).values("unit_id")
    notices = SecurityNotice.objects.filter(unit_id__in=units).select_related("unit")[:20]
    return [
        {"id": n.pk, "unit": n.unit.name, "kind": n.kind, "message": n.message, "created_at": n.created_at}
        for n in notices
    ]
