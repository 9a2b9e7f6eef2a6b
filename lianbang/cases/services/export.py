"""The 公示 list (public notice of households being identified) as an Excel workbook.

A public notice is posted where neighbours read it, so it never shows an ID number, a phone
number, a bank account or anything about health. Risk types are left out for the same reason:
因病 and 因残 would tell the neighbours about a member's health.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import IO, Any

import xlsxwriter

from lianbang.cases.clock import current, local_day
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case
from lianbang.cases.permissions import ACTION_NAMES, ACTION_ROLES, check, subject_of_unit
from lianbang.cases.selectors import cases_in_publicity
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.registry.vocab import MemberStatus, Relation

COLUMNS = [
    "序号",
    "户编号",
    "户主姓名",
    "家庭人口",
    "所属单位",
    "住址（楼栋）",
    "公示事项",
    "公示开始",
    "公示截止",
]
# Nothing whose header says it is one of these may ever be a column (checked by the tests).
FORBIDDEN = ("证件", "身份证", "电话", "手机", "银行", "账号", "健康", "病", "残")


def publicity_list_export(
    *, actor: Any, unit: Unit, output: str | IO[bytes], now: datetime | None = None
) -> int:
    """Write the unit's current 公示 list to ``output`` (a path or a binary file); returns the rows."""
    check(actor, subject_of_unit(unit), ACTION_ROLES["export_publicity"], ACTION_NAMES["export_publicity"])
    cases = cases_in_publicity(unit)
    heads, sizes = _heads_and_sizes([c.household_id for c in cases if c.household_id])
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet("公示名单")
    sheet.write_row(0, 0, COLUMNS, workbook.add_format({"bold": True}))
    days = workflow_settings().publicity_days
    for number, case in enumerate(cases, start=1):
        sheet.write_row(number, 0, _row(number, case, heads, sizes, days))
    sheet.write(
        len(cases) + 2,
        0,
        f"公示期{days}天，如有异议请向{unit.name}反映。导出时间：{current(now):%Y-%m-%d %H:%M}",
    )
    workbook.close()
    return len(cases)


def _heads_and_sizes(household_ids: list[int]) -> tuple[dict[int, str], dict[int, int]]:
    heads: dict[int, str] = {}
    sizes: dict[int, int] = {}
    members = Member.objects.filter(household_id__in=household_ids, status=MemberStatus.ACTIVE)
    for household_id, name, relation in members.values_list("household_id", "name", "relation"):
        sizes[household_id] = sizes.get(household_id, 0) + 1
        if relation == Relation.HEAD:
            heads[household_id] = name
    return heads, sizes


def _row(number: int, case: Case, heads: dict[int, str], sizes: dict[int, int], days: int) -> list[Any]:
    household = case.household
    started = case.publicity_started_at
    assert household is not None and started is not None
    return [
        number,
        household.household_no,
        heads.get(household.pk, ""),
        sizes.get(household.pk, 0),
        case.unit.name,
        household.building.name if household.building else "",
        "拟纳入防返贫监测对象",
        local_day(started).isoformat(),
        local_day(started + timedelta(days=days)).isoformat(),
    ]
