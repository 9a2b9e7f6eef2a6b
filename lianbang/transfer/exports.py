"""Exports of the lists the console shows (members, households, people) with their filters, masked
by default (ID number, phone, health and disability, minors' data; DOMAIN §9), streamed from
the database to a constant-memory workbook. Every export is in the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lianbang.accounts.masking import mask_row
from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record
from lianbang.dashboards.compute import Moment
from lianbang.dashboards.people import EMPLOYMENT_LABELS, person_row
from lianbang.monitoring.models import Color
from lianbang.registry import vocab
from lianbang.registry.models import Household, Member
from lianbang.transfer.xlsx import Column, add_sheet, open_workbook

CHUNK = 5000
Progress = Callable[[int, int], None]


def _labels(choices: type[Any]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


LABELS = {
    "sex": _labels(vocab.Sex),
    "relation": _labels(vocab.Relation),
    "education": _labels(vocab.Education),
    "schooling": _labels(vocab.Schooling),
    "health": _labels(vocab.Health),
    "disability_type": _labels(vocab.DisabilityType),
    "labor_skill": _labels(vocab.LaborSkill),
    "work_location": _labels(vocab.WorkLocation),
    "medical_insurance": _labels(vocab.MedicalInsurance),
    "status": _labels(vocab.MemberStatus),
    "category": _labels(vocab.HouseholdCategory),
    "monitoring_type": _labels(vocab.MonitoringType),
    "color": {**_labels(Color), "": "未研判"},
}

MEMBER_COLUMNS = (
    Column("household_no", "户编号", 16),
    Column("unit", "所属单位", 16),
    Column("name", "姓名", 10),
    Column("id_number", "证件号码", 21),
    Column("sex", "性别", 6),
    Column("birth_date", "出生日期", 12),
    Column("relation", "与户主关系", 10),
    Column("ethnicity", "民族", 8),
    Column("education", "文化程度", 10),
    Column("schooling", "在校生状况", 10),
    Column("health", "健康状况", 10),
    Column("disability_type", "残疾类别", 8),
    Column("disability_grade", "残疾等级", 8),
    Column("labor_skill", "劳动技能", 14),
    Column("work_location", "务工所在地", 12),
    Column("employed_since", "务工时间", 12),
    Column("employer", "务工企业名称", 18),
    Column("monthly_wage", "月工资", 10),
    Column("medical_insurance", "基本医疗保险", 18),
    Column("dibao", "是否享受低保", 8),
    Column("destitute_support", "是否特困供养", 8),
    Column("phone", "联系电话", 14),
    Column("color", "预警灯", 8),
    Column("status", "成员状态", 8),
)
HOUSEHOLD_COLUMNS = (
    Column("household_no", "户编号", 16),
    Column("unit", "所属单位", 16),
    Column("head", "户主姓名", 10),
    Column("category", "户类型", 10),
    Column("monitoring_type", "监测对象类别", 14),
    Column("address", "安置地址", 18),
    Column("size", "在册人口", 8),
    Column("phone", "联系电话", 14),
    Column("housing_safe", "住房是否安全", 8),
    Column("water_safe", "饮水是否安全", 8),
    Column("color", "预警灯", 8),
    Column("rules", "触发规则", 24),
)
# The people list's columns (``dashboards.people.person_row``) and the registry's useful ones.
PEOPLE_COLUMNS = (
    Column("household_no", "户编号", 16),
    Column("unit", "所属单位", 16),
    Column("name", "姓名", 10),
    Column("id_number", "证件号码", 21),
    Column("sex", "性别", 6),
    Column("age", "年龄", 6),
    Column("relation", "与户主关系", 10),
    Column("labor_skill", "劳动技能", 14),
    Column("employment", "就业状态", 10),
    Column("work_location", "务工所在地", 12),
    Column("phone", "联系电话", 14),
    Column("color", "预警灯", 8),
)
_MEMBER_FIELDS = (
    "household__household_no",
    "household__unit__name",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "disability_type",
    "disability_grade",
    "labor_skill",
    "work_location",
    "employed_since",
    "employer",
    "monthly_wage",
    "medical_insurance",
    "dibao",
    "destitute_support",
    "household__phone",
    "household__light__color",
    "status",
)


@dataclass(frozen=True)
class ListFilter:
    """The filters of the console's lists: the unit subtree is applied by the caller's scope."""

    color: str = ""
    category: str = ""
    monitoring_only: bool = False
    active_only: bool = True
    search: str = ""

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ListFilter:
        return cls(
            color=str(params.get("color") or "")[:10],
            category=str(params.get("category") or "")[:20],
            monitoring_only=bool(params.get("monitoring_only")),
            active_only=params.get("active_only", True) is not False,
            search=str(params.get("search") or "")[:30],
        )

    def households(self, households: QuerySet[Household]) -> QuerySet[Household]:
        condition = Q()
        if self.color in Color.values:
            condition &= Q(light__color=self.color)
        if self.category in vocab.HouseholdCategory.values:
            condition &= Q(category=self.category)
        if self.monitoring_only:
            condition &= ~Q(monitoring_type="")
        if self.active_only:
            condition &= Q(status=vocab.HouseholdStatus.ACTIVE)
        if self.search:
            condition &= Q(household_no__startswith=self.search)
        return households.filter(condition)


def members_export(
    path: Path,
    *,
    households: QuerySet[Household],
    actor: Actor = None,
    list_filter: ListFilter | None = None,
    masked: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
) -> int:
    """Every member of the (already scoped) households matching the filter, one row each."""
    list_filter = list_filter or ListFilter()
    chosen = list_filter.households(households)
    members = Member.objects.filter(household__in=chosen.values("pk"))
    if list_filter.active_only:
        members = members.filter(status=vocab.MemberStatus.ACTIVE)
    rows = (
        _member_row(values)
        for values in members.order_by("household_id", "pk").values_list(*_MEMBER_FIELDS).iterator(CHUNK)
    )
    total = members.count() if progress else 0
    count = write_rows(
        path, "成员名单", MEMBER_COLUMNS, rows, masked=masked, today=today, progress=progress, total=total
    )
    _audit(actor, "members", count, masked, list_filter.__dict__)
    return count


def _member_row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip((c.key for c in MEMBER_COLUMNS), values, strict=True))
    for key in ("sex", "relation", "education", "schooling", "health", "disability_type", "labor_skill",
                "work_location", "medical_insurance", "status"):  # fmt: skip
        row[key] = LABELS[key].get(row[key] or "", row[key]) if row[key] else ""
    row["color"] = LABELS["color"].get(row["color"] or "", "")
    return row


def households_export(
    path: Path,
    *,
    households: QuerySet[Household],
    actor: Actor = None,
    list_filter: ListFilter | None = None,
    masked: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
    audit_filter: dict[str, Any] | None = None,
) -> int:
    """The households matching the filter, one row each, in the order ``households`` already
    has (the console list's sort), else by 户编号."""
    list_filter = list_filter or ListFilter()
    chosen = list_filter.households(households).select_related("unit", "building", "light")
    if not chosen.ordered:
        chosen = chosen.order_by("household_no")
    heads = _heads(chosen)
    rows = (_household_row(h, heads) for h in chosen.iterator(CHUNK))
    total = chosen.count() if progress else 0
    count = write_rows(
        path, "户名单", HOUSEHOLD_COLUMNS, rows, masked=masked, today=today, progress=progress, total=total
    )
    _audit(actor, "households", count, masked, audit_filter or list_filter.__dict__)
    return count


def _heads(households: QuerySet[Household]) -> dict[int, tuple[str, int]]:
    """Head's name and active size per household, in one pass over the members."""
    result: dict[int, tuple[str, int]] = {}
    members = Member.objects.filter(household__in=households.values("pk"), status=vocab.MemberStatus.ACTIVE)
    for household_id, name, relation in members.values_list("household_id", "name", "relation").iterator(
        CHUNK
    ):
        head, size = result.get(household_id, ("", 0))
        result[household_id] = (name if relation == vocab.Relation.HEAD else head, size + 1)
    return result


def _household_row(household: Household, heads: dict[int, tuple[str, int]]) -> dict[str, Any]:
    light = getattr(household, "light", None)
    head, size = heads.get(household.pk, ("", 0))
    return {
        "household_no": household.household_no,
        "unit": household.unit.name,
        "head": head,
        "category": LABELS["category"].get(household.category, ""),
        "monitoring_type": LABELS["monitoring_type"].get(household.monitoring_type, "")
        if household.monitoring_type
        else "",
        "address": household.address,
        "size": size,
        "phone": household.phone,
        "housing_safe": household.housing_safe,
        "water_safe": household.water_safe,
        "color": LABELS["color"].get(light.color if light else "", ""),
        "rules": "、".join(light.rules) if light else "",
    }


def people_export(
    path: Path,
    *,
    members: QuerySet[Member],
    moment: Moment,
    actor: Actor = None,
    progress: Progress | None = None,
    audit_filter: dict[str, Any] | None = None,
) -> int:
    """The people of the (already scoped, filtered and ordered) list, one row each."""
    chosen = members.select_related("household__unit", "household__light")
    rows = (_person_row(member, moment) for member in chosen.iterator(CHUNK))
    total = chosen.count() if progress else 0
    count = write_rows(
        path, "人员名单", PEOPLE_COLUMNS, rows, today=moment.today, progress=progress, total=total
    )
    _audit(actor, "people", count, True, audit_filter or {})
    return count


def _person_row(member: Member, moment: Moment) -> dict[str, Any]:
    """The list's row with the real name (``write_rows`` masks it as it masks every sensitive
    value) and the registry's ID number, phone and labour skill; ``birth_date`` tells a minor."""
    shown = person_row(member, moment)
    household = member.household
    return {
        **shown,
        "unit": household.unit.name,
        "name": member.name,
        "birth_date": member.birth_date,
        "id_number": member.id_number,
        "labor_skill": LABELS["labor_skill"].get(member.labor_skill, member.labor_skill),
        "employment": EMPLOYMENT_LABELS.get(shown["employment"], ""),
        "phone": household.phone,
        "color": LABELS["color"].get(shown["light"] or "", ""),
    }


def write_rows(
    path: Path,
    sheet_name: str,
    columns: tuple[Column, ...],
    rows: Iterator[dict[str, Any]],
    *,
    masked: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> int:
    """Write rows (masked unless ``masked`` is False) and return how many were written."""
    today = today or timezone.localdate()
    workbook = open_workbook(path)
    sheet = add_sheet(workbook, sheet_name)
    sheet.header([c.title for c in columns], [c.width for c in columns])
    count = 0
    for count, row in enumerate(rows, start=1):
        shown = mask_row(row, today=today) if masked else row
        sheet.row(shown.get(c.key) for c in columns)
        if progress and count % CHUNK == 0:
            progress(count, total)
    workbook.close()
    return count


def _audit(actor: Actor, what: str, count: int, masked: bool, filters: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=what,
        changes={"rows": count, "masked": masked, "filter": filters},
    )
