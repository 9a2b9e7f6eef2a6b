"""The lower levels of the drill-down (六提六知): 提户知人 (a person), 提人知事 (the matters that
concern them), 提事知情 (a matter's situation: the facts and rules behind it, the light history,
the timeline). 提情知策 reads the policy catalogue (``lianbang.api.policies``).

Reads only; every value that DOMAIN §9 calls sensitive is masked here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from lianbang.accounts.masking import mask_event_document, mask_row
from lianbang.accounts.scope import members_for
from lianbang.cases.models import Alert, Case
from lianbang.cases.selectors import cases_visible_to
from lianbang.cases.vocab import CaseKind
from lianbang.dashboards.compute import Moment
from lianbang.dashboards.people import person_row
from lianbang.monitoring.models import HouseholdLight, LightChange, Rule
from lianbang.monitoring.selectors import line_fen
from lianbang.registry.export import event_to_document, member_to_document
from lianbang.registry.models import Household, Member

HISTORY_ROWS = 50
EVENT_ROWS = 50


def member_in_scope(user: Any, member_id: int) -> Member | None:
    """The member if their household lies in the caller's scope (else None: answer 404)."""
    return (
        members_for(user).select_related("household__light", "household__unit").filter(pk=member_id).first()
    )


def member_profile(member: Member, moment: Moment) -> dict[str, Any]:
    """The person (masked as the household file masks them) with the list's figures (age,
    labour, employment) and their household's place and light."""
    row = person_row(member, moment)
    masked = mask_row(member_to_document(member), today=moment.today)
    household = member.household
    light = getattr(household, "light", None)
    return {
        **masked,
        "id": member.pk,
        "name": row["name"],
        "age": row["age"],
        "age_band": row["age_band"],
        "labour": row["labour"],
        "employment_state": row["employment"],
        "household": {
            "id": household.pk,
            "household_no": household.household_no,
            "unit_id": household.unit_id,
            "address": household.address,
            "light": light.color if light else None,
            "rules": light.rules if light else [],
        },
    }


def matter_rows(user: Any, member: Member) -> list[tuple[Case, str]]:
    """The matters that concern a person, newest first, each with how it concerns them:
    ``household`` — a risk case of their household (the light judges the household, so its case
    is every member's); ``person`` — a request they made or a dispute they are a party to."""
    cases = cases_visible_to(user).filter(household_id=member.household_id)
    cases = cases.select_related("household", "unit", "handling_unit", "assignee", "request", "dispute")
    found: list[tuple[Case, str]] = []
    for case in cases.order_by("-opened_at", "-pk")[:200]:
        if case.kind == CaseKind.RISK:
            found.append((case, "household"))
        elif _names(case, member.name):
            found.append((case, "person"))
    return found


def _names(case: Case, name: str) -> bool:
    request = getattr(case, "request", None)
    if request is not None and request.requester_name == name:
        return True
    dispute = getattr(case, "dispute", None)
    parties = dispute.parties if dispute is not None else []
    return any(isinstance(p, dict) and p.get("name") == name for p in parties)


def case_situation(case: Case, today: date) -> dict[str, Any]:
    """Why a matter exists: the rules that raised it and that fire now (with their reasons),
    the household's facts, recent events (masked) and light history (the API adds the matter's
    timeline: ``cases.selectors.case_timeline`` rendered as the case detail renders it)."""
    household = case.household
    return {
        "rules": _rules_of(case),
        "facts": _facts(household, today) if household else [],
        "events": _events(household) if household else [],
        "light_history": _history(household) if household else [],
    }


def _rule_index() -> dict[str, Rule]:
    return {r.code: r for r in Rule.objects.filter(rule_set__status="active")}


def _rules_of(case: Case) -> list[dict[str, Any]]:
    index = _rule_index()
    raised = [code for alert in Alert.objects.filter(case=case) for code in alert.rules]
    light = HouseholdLight.objects.filter(household=case.household).first() if case.household else None
    now = list(light.rules) if light else []
    codes = list(dict.fromkeys(raised + now))
    return [_rule(code, index, raised=code in raised, firing=code in now) for code in codes]


def _rule(code: str, index: dict[str, Rule], *, raised: bool, firing: bool) -> dict[str, Any]:
    rule = index.get(code)
    return {
        "code": code,
        "name": rule.name if rule else code,
        "reason": rule.reason if rule else "",
        "reason_en": rule.reason_en if rule else "",
        "color": rule.color if rule else "",
        "risk_type": rule.risk_type if rule else "",
        "raised_the_matter": raised,
        "fires_now": firing,
    }


def _facts(household: Household, today: date) -> list[dict[str, Any]]:
    income = household.incomes.filter(year__lte=today.year).order_by("-year").first()
    paid = (income.medical_self_paid, income.education_expense) if income else (None, None)
    size = (income.household_size if income else None) or household.members.filter(status="active").count()
    per_capita = (income.net_income / size).quantize(Decimal("0.01")) if income and size else None
    line = line_fen(household.region_code, today.year)
    light = HouseholdLight.objects.filter(household=household).first()
    facts = [
        ("income_year", "收入年度", "Income year", income.year if income else None),
        ("per_capita", "人均纯收入（元）", "Net income per head (¥)", per_capita),
        ("monitoring_line", "监测线（元）", "Monitoring line (¥)", Decimal(line) / 100 if line else None),
        ("medical_self_paid", "合规自付医疗支出", "Own medical costs", paid[0]),
        ("education_expense", "教育支出", "Education costs", paid[1]),
        ("housing_safe", "住房安全", "Safe housing", household.housing_safe),
        ("water_safe", "饮水安全", "Safe water", household.water_safe),
        ("income_missing", "收入数据缺失", "Income data missing", light.income_missing if light else None),
        ("floor_color", "在办案件最低灯色", "Floor of the open case", light.floor_color if light else None),
    ]
    return [{"key": k, "label": zh, "label_en": en, "value": _plain(v)} for k, zh, en, v in facts]


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _events(household: Household) -> list[dict[str, Any]]:
    events = household.events.select_related("member").order_by("-date", "-pk")[:EVENT_ROWS]
    return [{"id": e.pk, **mask_event_document(event_to_document(e))} for e in events]


def _history(household: Household) -> list[dict[str, Any]]:
    index = _rule_index()
    changes: QuerySet[LightChange] = LightChange.objects.filter(household=household)
    return [
        {
            "id": c.pk,
            "from_color": c.from_color,
            "to_color": c.to_color,
            "rules": [
                {"code": code, "name": index[code].name if code in index else code} for code in c.rules
            ],
            "as_of": c.as_of,
            "cause": c.cause,
            "changed_at": c.changed_at,
        }
        for c in changes.order_by("-changed_at", "-pk")[:HISTORY_ROWS]
    ]
