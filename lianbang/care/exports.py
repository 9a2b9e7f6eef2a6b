"""The care lists of a unit to Excel (三安关爱): visit schedules (with the overdue filter), paired
children, volunteers, activities and ratings — the rows the console's list shows with the same
filters and order (``care.lists``), within the caller's units for ``export``. Masked as the
care screens mask: a child's name always, phones always (``write_rows``), aid amounts and funders;
no health note is exported. Every export is in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lianbang.accounts.masking import MASK, mask_name
from lianbang.accounts.models import Permission, User
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.care.lists import CARE_LISTS, CareListQuery, care_listed, care_unit
from lianbang.care.models import Activity, ChildCare, Rating, VisitSchedule, Volunteer
from lianbang.common.errors import ApplicationError
from lianbang.org.selectors import CommunityNames
from lianbang.registry.models import Household
from lianbang.transfer.exports import CHUNK, Progress, write_rows
from lianbang.transfer.xlsx import Column

_PLACE = (
    Column("household_no", "户编号", 16),
    Column("community", "社区", 14),
    Column("unit", "所属单位", 16),
)
SCHEDULE_COLUMNS = (
    *_PLACE,
    Column("grid", "网格", 10),
    Column("address", "安置地址", 20),
    Column("name", "姓名", 10),
    Column("reason", "关爱类别", 8),
    Column("interval_days", "走访频次（天）", 10),
    Column("last_visit", "最近走访", 12),
    Column("next_due", "下次走访日期", 12),
    Column("days_overdue", "超期天数", 8),
    Column("responsible", "走访责任人", 14),
    Column("phone", "联系电话", 14),
)
CHILD_COLUMNS = (
    *_PLACE,
    Column("child_name", "儿童姓名", 10),
    Column("kind", "类别", 14),
    Column("guardian", "监护/责任人", 10),
    Column("guardian_relation", "与儿童关系", 10),
    Column("phone", "责任人电话", 14),
    Column("started_on", "结对日期", 12),
    Column("volunteers", "结对志愿者", 16),
    Column("aid_count", "资助次数", 8),
    Column("aid_total", "资助金额", 10),
)
VOLUNTEER_COLUMNS = (
    Column("community", "社区", 14),
    Column("unit", "所属单位", 16),
    Column("name", "姓名", 10),
    Column("phone", "联系电话", 14),
    Column("skills", "技能", 18),
    Column("hours", "服务时长（小时）", 10),
    Column("children", "结对儿童", 8),
    Column("joined_on", "加入日期", 12),
)
ACTIVITY_COLUMNS = (
    Column("community", "社区", 14),
    Column("unit", "所属单位", 16),
    Column("title", "活动名称", 20),
    Column("kind", "类型", 10),
    Column("held_on", "日期", 12),
    Column("place", "地点", 16),
    Column("description", "内容", 30),
    Column("participants", "参与人数", 8),
    Column("attended", "出席人数", 8),
)
RATING_COLUMNS = (
    Column("year", "年度", 6),
    Column("community", "社区", 14),
    Column("unit", "所属单位", 16),
    Column("subject", "户编号/楼栋", 16),
    Column("title", "称号", 12),
    Column("criteria", "达到的标准", 30),
    Column("status", "状态", 8),
    Column("proposed_on", "申报日期", 12),
    Column("decided_on", "审核日期", 12),
    Column("decision_note", "审核意见", 20),
)

Row = Callable[[Any, "Context"], dict[str, Any]]


@dataclass(frozen=True)
class Context:
    today: date
    communities: CommunityNames


def _day(moment: Any) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _place(household: Household, context: Context) -> dict[str, Any]:
    return {
        "household_no": household.household_no,
        "community": context.communities.of(household.unit.path),
        "unit": household.unit.name,
    }


def _schedule_row(schedule: VisitSchedule, context: Context) -> dict[str, Any]:
    household = schedule.household
    worker = household.grid.worker if household.grid else None
    if schedule.visitor is not None:
        responsible = str(schedule.visitor)
    else:
        responsible = f"{worker}（网格员）" if worker else ""
    return {
        **_place(household, context),
        "grid": household.grid.code if household.grid else "",
        "address": household.address,
        "name": schedule.member.name,
        "birth_date": schedule.member.birth_date,  # tells a minor (masked by write_rows)
        "reason": schedule.get_reason_display(),
        "interval_days": schedule.interval_days,
        "last_visit": _day(schedule.last_visited_at),
        "next_due": schedule.next_due,
        "days_overdue": max(0, (context.today - schedule.next_due).days),
        "responsible": responsible,
        "phone": household.phone,
    }


def _child_row(care: ChildCare, context: Context) -> dict[str, Any]:
    count = getattr(care, "aid_count", 0) or 0
    return {
        **_place(care.household, context),
        "child_name": mask_name(care.child.name),
        "kind": care.get_kind_display(),
        "guardian": care.guardian_name,
        "guardian_relation": care.guardian_relation,
        "phone": care.guardian_phone,
        "started_on": care.started_on,
        "volunteers": "、".join(v.name for v in care.volunteers.all()),
        "aid_count": count,
        "aid_total": MASK if count else "",
    }


def _volunteer_row(volunteer: Volunteer, context: Context) -> dict[str, Any]:
    served = getattr(volunteer, "served", None) or 0
    return {
        "community": context.communities.of(volunteer.unit.path),
        "unit": volunteer.unit.name,
        "name": volunteer.name,
        "phone": volunteer.phone,
        "skills": "、".join(volunteer.skills),
        "hours": round(float(volunteer.hours_before + served), 1),  # a number Excel can add up
        "children": getattr(volunteer, "children_count", None) or 0,
        "joined_on": volunteer.joined_on,
    }


def _activity_row(activity: Activity, context: Context) -> dict[str, Any]:
    return {
        "community": context.communities.of(activity.unit.path),
        "unit": activity.unit.name,
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "held_on": activity.held_on,
        "place": activity.place,
        "description": activity.description,
        "participants": getattr(activity, "participant_count", 0),
        "attended": getattr(activity, "attended_count", 0),
    }


def _rating_row(rating: Rating, context: Context) -> dict[str, Any]:
    subject = (
        rating.household.household_no if rating.household else rating.building.name if rating.building else ""
    )
    return {
        "year": rating.year,
        "community": context.communities.of(rating.unit.path),
        "unit": rating.unit.name,
        "subject": subject,
        "title": rating.get_title_display(),
        "criteria": "、".join(rating.criteria_met()),
        "status": rating.get_status_display(),
        "proposed_on": _day(rating.proposed_at),
        "decided_on": _day(rating.decided_at),
        "decision_note": rating.decision_note,
    }


@dataclass(frozen=True)
class CareExport:
    title: str
    columns: tuple[Column, ...]
    row: Row
    related: tuple[str, ...]  # what each row reads beyond the list's own select_related


CARE_EXPORTS: dict[str, CareExport] = {
    "schedules": CareExport(
        "关爱走访计划", SCHEDULE_COLUMNS, _schedule_row, ("household__unit", "household__building")
    ),
    "children": CareExport("儿童结对名单", CHILD_COLUMNS, _child_row, ("household__unit",)),
    "volunteers": CareExport("志愿者名单", VOLUNTEER_COLUMNS, _volunteer_row, ("unit",)),
    "activities": CareExport("关爱活动", ACTIVITY_COLUMNS, _activity_row, ("unit",)),
    "ratings": CareExport("评星评优", RATING_COLUMNS, _rating_row, ("unit",)),
}


def care_export_name(what: str) -> str:
    """The transfer export's name of care list ``what`` (``care_schedules`` …)."""
    return f"care_{what}"


def care_export(
    what: str,
    path: Path,
    *,
    actor: User | None,
    list_params: dict[str, Any],
    progress: Progress | None = None,
) -> int:
    """Write the unit's care list ``what`` as ``list_params`` (``unit_id`` and the list's
    filters) filter it, in the list's order; audited with the count and the filters."""
    if actor is None:
        raise ApplicationError("forbidden", "导出须有操作人", "an export needs a user", status=403)
    export = CARE_EXPORTS[what]
    query = CareListQuery.parse(list_params)
    unit = care_unit(actor, list_params.get("unit_id"), Permission.EXPORT)
    context = Context(today=timezone.localdate(), communities=CommunityNames())
    rows: QuerySet[Any] = (
        care_listed(what, unit, query, context.today)
        .select_related(*export.related)
        .order_by(CARE_LISTS[what].order)
    )
    total = rows.count() if progress else 0
    written = (export.row(row, context) for row in rows.iterator(CHUNK))
    count = write_rows(
        path, export.title, export.columns, written, today=context.today, progress=progress, total=total
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=care_export_name(what),
        changes={"rows": count, "masked": True, "filter": {"unit_id": str(unit.pk), **query.as_params()}},
    )
    return count
