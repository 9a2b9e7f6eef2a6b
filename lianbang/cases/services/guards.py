"""Conditions a transition checks before it is taken; each failed one is a reason (zh + en)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q

from lianbang.cases.clock import local_day, months_before
from lianbang.cases.conf import APPROVAL_LEVELS, workflow_settings
from lianbang.cases.models import Case, MediationSession
from lianbang.cases.vocab import DEVELOPMENTAL_MEASURES, INCOME_RULES
from lianbang.common.errors import FieldProblem
from lianbang.monitoring.engine import household_evaluate
from lianbang.monitoring.models import LightChange, RuleSet
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import LABOUR_SKILLS, NOT_IN_SCHOOL, MemberStatus, Schooling

Guard = Callable[[Case, dict[str, Any], datetime], list[FieldProblem]]


def guards_run(names: tuple[str, ...], case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    return [problem for name in names for problem in GUARDS[name](case, data, now)]


def has_risk_types(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    if case.risk_types:
        return []
    return [FieldProblem("risk_types", [], "须至少确定一个风险类型", "name at least one risk type")]


def publicity_elapsed(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    """公示 lasts at least the configured days (5) from its start before it can be passed."""
    level = APPROVAL_LEVELS[case.approval_levels[case.approval_stage]]
    if not level.is_publicity or case.publicity_started_at is None:
        return []
    days = workflow_settings().publicity_days
    ends = case.publicity_started_at + timedelta(days=days)
    if now >= ends:
        return []
    return [
        FieldProblem(
            "publicity",
            local_day(ends).isoformat(),
            f"公示不少于{days}天，{local_day(ends):%Y-%m-%d}期满后方可通过",
            f"the public notice lasts at least {days} days; it ends on {local_day(ends).isoformat()}",
        )
    ]


def has_measures(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    if case.measures.exists():
        return []
    return [FieldProblem("measures", 0, "尚未登记帮扶措施", "no assistance measure has been recorded")]


def developmental_measure(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    """A household with a labour member needs at least one 开发式 measure (DOMAIN §5)."""
    if case.household is None or not labour_members(case.household, local_day(now)):
        return []
    if case.measures.filter(type__in=DEVELOPMENTAL_MEASURES).exists():
        return []
    return [
        FieldProblem(
            "measures",
            [m.type for m in case.measures.all()],
            "该户有劳动力，须至少落实一项开发式帮扶措施（产业、就业、公益岗位或金融）",
            "the household has a labour member: it needs at least one developmental measure "
            "(industry, employment, public welfare job or finance)",
        )
    ]


def has_mediation_session(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    if MediationSession.objects.filter(dispute__case=case).exists():
        return []
    return [FieldProblem("sessions", 0, "尚无调解记录", "no mediation session has been recorded")]


def elimination_conditions(case: Case, data: dict[str, Any], now: datetime) -> list[FieldProblem]:
    """DOMAIN §5: no rule fires now; income stable for the configured months; 三保障 and 饮水
    secure; and a household without any labour capacity stays tracked after 兜底."""
    household = case.household
    if household is None:
        return []
    return [
        *_rules_now(household, now),
        *_stable_income(case, household, now),
        *security_problems(household, local_day(now)),
        *_no_labour_capacity(household, local_day(now)),
    ]


def _rules_now(household: Household, now: datetime) -> list[FieldProblem]:
    light = household_evaluate(household_id=household.pk, cause="elimination_check", as_of=local_day(now))
    if light is None:
        return []
    problems = []
    if light.rules:
        problems.append(
            FieldProblem(
                "rules",
                list(light.rules),
                f"仍有预警规则触发：{'、'.join(light.rules)}",
                f"rules still fire: {', '.join(light.rules)}",
            )
        )
    if light.income_missing:
        problems.append(
            FieldProblem("income", None, "收入数据缺失，无法确认收入达标", "income data is missing")
        )
    return problems


def stable_months() -> int:
    parameters = (
        RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).values_list("parameters", flat=True).first()
    )
    return int((parameters or {}).get("stable_months", 6))


def _stable_income(case: Case, household: Household, now: datetime) -> list[FieldProblem]:
    months = stable_months()
    since = months_before(now, months)
    problems = []
    if case.opened_at > since:
        opened = local_day(case.opened_at).isoformat()
        problems.append(
            FieldProblem(
                "opened_at",
                opened,
                f"立案于{opened}，帮扶未满{months}个月",
                f"the case was opened on {opened}: less than {months} months ago",
            )
        )
    fired = income_rules_fired(household.pk, since, now)
    if fired:
        problems.append(
            FieldProblem(
                "income_rules",
                sorted(fired),
                f"近{months}个月内触发过收入预警：{'、'.join(sorted(fired))}",
                f"income rules fired within the last {months} months: {', '.join(sorted(fired))}",
            )
        )
    return problems


def income_rules_fired(household_id: int, since: datetime, until: datetime) -> set[str]:
    """Income rules that fired at any time in [since, until], from the light history: those
    firing when the period began, and those any change in the period started or ended."""
    history = LightChange.objects.filter(household_id=household_id)
    before = (
        history.filter(changed_at__lt=since).order_by("-changed_at", "-pk").values_list("rules", flat=True)
    )
    fired = set(before.first() or [])
    for rules, previous in history.filter(changed_at__gte=since, changed_at__lte=until).values_list(
        "rules", "previous_rules"
    ):
        fired |= set(rules) | set(previous)
    return fired & INCOME_RULES


def security_problems(household: Household, today: date) -> list[FieldProblem]:
    """三保障 (housing, basic medical insurance, compulsory education) and safe water."""
    problems = []
    if not household.housing_safe:
        problems.append(FieldProblem("housing_safe", False, "住房不安全", "the housing is not safe"))
    if not household.water_safe:
        problems.append(FieldProblem("water_safe", False, "饮水不安全", "the drinking water is not safe"))
    members = Member.objects.filter(household=household, status=MemberStatus.ACTIVE)
    if members.filter(medical_insurance="").exists():
        problems.append(
            FieldProblem(
                "medical_insurance",
                None,
                "有成员未参加基本医疗保险",
                "a member has no basic medical insurance",
            )
        )
    if members.filter(_aged(6, 15, today), schooling=Schooling.DROPOUT).exists():
        problems.append(
            FieldProblem(
                "schooling", "dropout", "有6–15岁儿童辍学", "a child aged 6–15 has dropped out of school"
            )
        )
    return problems


def _aged(youngest: int, oldest: int, today: date) -> Q:
    """Members whose full age (周岁) on ``today`` is within [youngest, oldest]."""
    return Q(birth_date__lte=_years_before(today, youngest), birth_date__gt=_years_before(today, oldest + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def labour_members(household: Household, today: date) -> int:
    """DOMAIN §4: active, aged 16–64, able to work (普通/技能/弱), not in school."""
    return Member.objects.filter(
        _aged(16, 64, today),
        household=household,
        status=MemberStatus.ACTIVE,
        labor_skill__in=LABOUR_SKILLS,
        schooling__in=NOT_IN_SCHOOL,
    ).count()


def _no_labour_capacity(household: Household, today: date) -> list[FieldProblem]:
    if labour_members(household, today):
        return []
    return [
        FieldProblem(
            "labour",
            0,
            "整户无劳动能力，落实兜底保障后持续跟踪，暂不消除",
            "no member can work: after the social-security safety net the household stays tracked",
        )
    ]


GUARDS: dict[str, Guard] = {
    "has_risk_types": has_risk_types,
    "publicity_elapsed": publicity_elapsed,
    "has_measures": has_measures,
    "developmental_measure": developmental_measure,
    "has_mediation_session": has_mediation_session,
    "elimination_conditions": elimination_conditions,
}
