"""The lower drill-down levels of the console (六提六知): a person (人员档案) with the matters that
concern them, and a matter's situation. Thin: the reads are in ``lianbang.dashboards.drill``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lianbang.api.cases_out import CaseRowOut, case_row, event_row
from lianbang.api.console import LabelGroupOut, label_groups
from lianbang.cases.clock import current
from lianbang.cases.selectors import case_timeline, cases_visible_to
from lianbang.common.errors import ApplicationError
from lianbang.dashboards.drill import case_situation, matter_rows, member_in_scope, member_profile
from lianbang.dashboards.services import moment_at

router = Router(tags=["drill-down"])


class PersonHouseholdOut(Schema):
    id: int
    household_no: str
    unit_id: int
    address: str
    light: str | None
    rules: list[str]


class PersonMatterOut(CaseRowOut):
    concerns: str


class PersonOut(Schema):
    id: int
    name: str
    id_number: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    relation: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    schooling: str | None = None
    health: str | None = None
    labor_skill: str | None = None
    status: str | None = None
    employment: Any = None
    age: int
    age_band: str
    labour: bool
    employment_state: str
    household: PersonHouseholdOut
    label_groups: list[LabelGroupOut]
    matters: list[PersonMatterOut]


class SituationRuleOut(Schema):
    code: str
    name: str
    reason: str
    reason_en: str
    color: str
    risk_type: str
    raised_the_matter: bool
    fires_now: bool


class SituationFactOut(Schema):
    key: str
    label: str
    label_en: str
    value: Any


class RuleNameOut(Schema):
    code: str
    name: str


class SituationChangeOut(Schema):
    id: int
    from_color: str
    to_color: str
    rules: list[RuleNameOut]
    as_of: date
    cause: str
    changed_at: datetime


class SituationStepOut(Schema):
    id: int
    type: str
    type_label: str
    from_state: str
    to_state: str
    actor: str | None
    at: datetime


class SituationOut(Schema):
    case: CaseRowOut
    rules: list[SituationRuleOut]
    facts: list[SituationFactOut]
    events: list[dict[str, Any]]
    light_history: list[SituationChangeOut]
    timeline: list[SituationStepOut]


@router.get("/members/{member_id}", response=PersonOut)
def member_detail(request: HttpRequest, member_id: int) -> dict[str, Any]:
    """人员档案: the person (masked; reveal through ``POST /households/{id}/reveal``), their
    household's labels, and the matters that concern them (``concerns``: household or person)."""
    member = member_in_scope(request.user, member_id)
    if member is None:
        raise ApplicationError(
            "not_found", "找不到该成员或无权访问", "no such member in your scope", status=404
        )
    profile = member_profile(member, moment_at())
    now = current()
    matters = [{**case_row(case, now), "concerns": how} for case, how in matter_rows(request.user, member)]
    return {**profile, "label_groups": label_groups(member.household), "matters": matters}


@router.get("/cases/{case_id}/situation", response=SituationOut)
def case_situation_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """提事知情: the rules behind a matter (with reasons), the household's facts, events
    (masked), light history and the matter's timeline; risk cases and other matters alike."""
    case = cases_visible_to(request.user).select_related("household", "unit", "handling_unit", "assignee")
    found = case.filter(pk=case_id).first()
    if found is None:
        raise ApplicationError(
            "not_found", "找不到该事项或无权访问", "no such matter in your scope", status=404
        )
    situation = case_situation(found, moment_at().today)
    timeline = [event_row(e) for e in case_timeline(found)]
    return {"case": case_row(found, current()), **situation, "timeline": timeline}
