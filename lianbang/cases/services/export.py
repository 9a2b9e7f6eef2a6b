"""The 公示 list (public notice of households being identified) as an Excel workbook.

A public notice is posted where neighbours read it, so it never shows an ID number, a phone
number, a bank account or anything about health. Risk types are left out for the same reason:
因病 and 因残 would tell the neighbours about a member's health.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any

from django.http import HttpRequest

from lianbang.accounts.exports import Column, write_masked_xlsx
from lianbang.cases.clock import current, local_day
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case
from lianbang.cases.permissions import ACTION_NAMES, ACTION_ROLES, check, subject_of_unit
from lianbang.cases.selectors import cases_in_publicity
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.registry.vocab import MemberStatus, Relation

# The row keys are not the registry's (``head_name``, not ``name``): a 公示 list names the head
# of the household on purpose, and carries nothing the masking would have to hide.
FIELDS = [
    Column("number", "序号"),
    Column("household_no", "户编号"),
    Column("head_name", "户主姓名"),
    Column("size", "家庭人口"),
    Column("unit", "所属单位"),
    Column("building", "住址（楼栋）"),
    Column("matter", "公示事项"),
    Column("starts", "公示开始"),
    Column("ends", "公示截止"),
]
COLUMNS = [column.title for column in FIELDS]
# Nothing whose header says it is one of these may ever be a column (checked by the tests).
FORBIDDEN = ("证件", "身份证", "电话", "手机", "银行", "账号", "健康", "病", "残")


def publicity_rows(*, unit: Unit) -> list[dict[str, Any]]:
    """The unit's current 公示 list, one mapping per household (the keys of ``FIELDS``)."""
    cases = cases_in_publicity(unit)
    heads, sizes = _heads_and_sizes([c.household_id for c in cases if c.household_id])
    days = workflow_settings().publicity_days
    return [_row(number, case, heads, sizes, days) for number, case in enumerate(cases, start=1)]


def publicity_list_export(
    *,
    actor: Any,
    unit: Unit,
    output: str | IO[bytes],
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Write the unit's current 公示 list to ``output`` (a path or a binary file) through the
    masked, audited Excel writer; returns the rows."""
    check(actor, subject_of_unit(unit), ACTION_ROLES["export_publicity"], ACTION_NAMES["export_publicity"])
    return write_masked_xlsx(
        output,
        columns=FIELDS,
        rows=_iter(publicity_rows(unit=unit)),
        actor=actor,
        what=f"publicity:{unit.pk}",
        sheet="公示名单",
        today=local_day(current(now)),
        request=request,
    )


def _iter(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from rows


def _heads_and_sizes(household_ids: list[int]) -> tuple[dict[int, str], dict[int, int]]:
    heads: dict[int, str] = {}
    sizes: dict[int, int] = {}
    members = Member.objects.filter(household_id__in=household_ids, status=MemberStatus.ACTIVE)
    for household_id, name, relation in members.values_list("household_id", "name", "relation"):
        sizes[household_id] = sizes.get(household_id, 0) + 1
        if relation == Relation.HEAD:
            heads[household_id] = name
    return heads, sizes


def _row(number: int, case: Case, heads: dict[int, str], sizes: dict[int, int], days: int) -> dict[str, Any]:
    household = case.household
    started = case.publicity_started_at
    assert household is not None and started is not None
    return {
        "number": number,
        "case_id": case.pk,
        "household_id": household.pk,
        "household_no": household.household_no,
        "head_name": heads.get(household.pk, ""),
        "size": sizes.get(household.pk, 0),
        "unit": case.unit.name,
        "building": household.building.name if household.building else "",
        "matter": "拟纳入防返贫监测对象",
        "starts": local_day(started),
        "ends": local_day(started + timedelta(days=days)),
    }
