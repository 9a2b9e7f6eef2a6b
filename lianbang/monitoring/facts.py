"""The facts rules and labels are written in (DOMAIN §4), each defined once.

A fact belongs to a scope: the household (alias ``h``, with its current income ``ci``, its
previous income ``pi`` and the monitoring line), one member (alias ``m``) or one event
(alias ``e``, with the event's member ``em``). The evaluator computes member and event
conditions in one grouped pass per table and joins them to households, whether it evaluates
one household or all of them.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db import models

from lianbang.monitoring.sql import Sql, combine, fen, years_before
from lianbang.registry import vocab


class Scope(StrEnum):
    HOUSEHOLD = "household"
    MEMBER = "member"
    EVENT = "event"


class FactType(StrEnum):
    BOOL = "bool"
    INT = "int"
    MONEY = "money"
    TEXT = "text"


@dataclass(frozen=True)
class Context:
    """What an evaluation depends on besides the data: the date and the rule-set parameters."""

    as_of: date
    recent_days: int
    vendor: str

    @property
    def recent_start(self) -> date:
        """Recent = dated after this day and not after ``as_of``."""
        return self.as_of - timedelta(days=self.recent_days)


def age_cutoff(day: date, years: int) -> date:
    """Born on or before this date ⇔ at least ``years`` full years old (周岁) on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def months_cutoff(day: date, months: int) -> date:
    """Started on or before this date ⇔ at least ``months`` full months by ``day``.

    Counted as ages are (:func:`age_cutoff`): ``day`` shifted back, a day the earlier month lacks
    (31 May − 3 months) falling back to that month's last day (28 or 29 February).
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


SqlOf = Callable[[Context], Sql]


@dataclass(frozen=True)
class Span:
    """A whole number of full periods from a start date up to D (age in years, months employed).

    Such a fact is compared with a literal only, and each comparison compiles to the start date
    against a cut-off date (``n`` periods or more ⇔ started on or before ``cutoff(D, n)``), the
    same in the incremental and the bulk statement. ``present`` says whether the member has the
    value at all; a member without it fails every comparison (a missing value, DOMAIN §4).
    """

    column: str
    cutoff: Callable[[date, int], date]
    maximum: int
    noun: tuple[str, str]
    present: SqlOf | None = None


@dataclass(frozen=True)
class Fact:
    name: str
    scope: Scope
    kind: FactType
    label: str
    sql: SqlOf
    # Money facts are rationals: numerator in fen over this positive integer (per-capita).
    denominator: SqlOf | None = None
    choices: type[models.TextChoices] | None = None
    span: Span | None = None

    @property
    def allowed_values(self) -> set[str]:
        return {str(v) for v, _ in self.choices.choices} if self.choices else set()


def _column(expression: str) -> SqlOf:
    return lambda ctx: Sql(expression)


# The income record's amounts in fen, computed once per record in the plan's income source
# (``income_columns``) rather than in every condition that reads them: a district's label set
# reads the net income some twenty times per household.
INCOME_AMOUNTS = ("wage", "business", "transfer", "medical_self_paid", "education_expense")


def income_columns(ctx: Context) -> Sql:
    """The select list of one income record as the facts read it (alias ``i``)."""
    amounts = [fen(Sql(f"i.{name}"), ctx.vendor).wrap(f"{{}} AS {name}_fen") for name in INCOME_AMOUNTS]
    parts = [fen(Sql(f"i.{c}"), ctx.vendor) for c in ("wage", "business", "property_income", "transfer")]
    net = combine("({} + {} + {} + {} - {}) AS net_fen", *parts, fen(Sql("i.business_expense"), ctx.vendor))
    return Sql.join(", ", [Sql("i.id, i.household_id, i.year, i.household_size"), *amounts, net])


def _money(column: str) -> SqlOf:
    return lambda ctx: fen(Sql(column), ctx.vendor)


def _income_money(name: str) -> SqlOf:
    """An amount of the current income record, already in fen (``income_columns``)."""
    return lambda ctx: Sql(f"ci.{name}_fen")


def _net(alias: str) -> SqlOf:
    return lambda ctx: Sql(f"{alias}.net_fen")


def _size(alias: str) -> SqlOf:
    # The record's household size, else the active members; NULL (no per-capita) if neither.
    return lambda ctx: Sql(f"NULLIF(COALESCE({alias}.household_size, ma.active_members, 0), 0)")


def _spans_compile_to_cutoffs(ctx: Context) -> Sql:
    raise NotImplementedError  # see Span and conditions.Compiler._span


def _employed_at(ctx: Context) -> Sql:
    """Has a current employment that had started by D (a later start is not yet employment)."""
    return combine(
        "(m.work_location <> '' AND m.employed_since IS NOT NULL AND m.employed_since <= {})",
        Sql.value(ctx.as_of),
    )


AGE = Span("m.birth_date", age_cutoff, 150, ("年龄", "an age"))
MONTHS_EMPLOYED = Span(
    "m.employed_since", months_cutoff, 1200, ("务工月数", "a number of months"), present=_employed_at
)


def _is_labour_member(ctx: Context) -> Sql:
    """劳动力: active, 16–64 at D, a working 劳动技能, not in school (DOMAIN §4)."""
    return combine(
        "(m.status = 'active' AND m.birth_date <= {} AND m.birth_date > {} "
        "AND m.labor_skill IN ('ordinary', 'skilled', 'weak') "
        "AND m.schooling IN ('', 'preschool_child', 'dropout'))",
        Sql.value(age_cutoff(ctx.as_of, 16)),
        Sql.value(age_cutoff(ctx.as_of, 65)),
    )


def _labour_at_event(ctx: Context) -> Sql:
    """The event's member was a labour member on the event's date (age then, skill, schooling)."""
    day = Sql("e.date")
    return combine(
        "(em.birth_date <= {} AND em.birth_date > {} "
        "AND em.labor_skill IN ('ordinary', 'skilled', 'weak') "
        "AND em.schooling IN ('', 'preschool_child', 'dropout'))",
        years_before(day, 16, ctx.vendor),
        years_before(day, 65, ctx.vendor),
    )


def _recent(ctx: Context) -> Sql:
    return combine("(e.date > {} AND e.date <= {})", Sql.value(ctx.recent_start), Sql.value(ctx.as_of))


def _line(ctx: Context) -> Sql:
    return Sql("lines.amount_fen")


H, M, E = Scope.HOUSEHOLD, Scope.MEMBER, Scope.EVENT
B, N, Y, T = FactType.BOOL, FactType.INT, FactType.MONEY, FactType.TEXT

FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        # Household: registry fields.
        Fact("category", H, T, "户类型", _column("h.category"), choices=vocab.HouseholdCategory),
        Fact(
            "monitoring_type",
            H,
            T,
            "监测对象类别",
            _column("h.monitoring_type"),
            choices=vocab.MonitoringType,
        ),
        Fact("housing_safe", H, B, "住房安全", _column("h.housing_safe")),
        Fact("water_safe", H, B, "饮水安全", _column("h.water_safe")),
        Fact("military_family", H, B, "军烈属", _column("h.military_family")),
        Fact("no_labor_support", H, B, "整户无劳动能力兜底", _column("h.no_labor_support")),
        # Household: incomes (current = greatest year ≤ year(D); previous = the year before it).
        Fact("has_income", H, B, "有收入数据", _column("(ci.id IS NOT NULL)")),
        Fact("has_previous_income", H, B, "有上年收入数据", _column("(pi.id IS NOT NULL)")),
        Fact("current_net_income", H, Y, "家庭纯收入", _net("ci")),
        Fact("current_per_capita", H, Y, "人均纯收入", _net("ci"), denominator=_size("ci")),
        Fact("previous_per_capita", H, Y, "上年人均纯收入", _net("pi"), denominator=_size("pi")),
        Fact("current_wage", H, Y, "工资性收入", _income_money("wage")),
        Fact("current_business", H, Y, "生产经营性收入", _income_money("business")),
        Fact("current_transfer", H, Y, "转移性收入", _income_money("transfer")),
        Fact("medical_self_paid", H, Y, "合规自付医疗支出", _income_money("medical_self_paid")),
        Fact("education_expense", H, Y, "教育支出", _income_money("education_expense")),
        Fact("monitoring_line", H, Y, "监测线", _line),
        # Household: member counts (grouped once per evaluation).
        Fact("active_members", H, N, "在册人数", _column("COALESCE(ma.active_members, 0)")),
        Fact("labour_members", H, N, "劳动力人数", _column("COALESCE(ma.labour_members, 0)")),
        Fact(
            "employed_labour_members",
            H,
            N,
            "务工劳动力人数",
            _column("COALESCE(ma.employed_labour_members, 0)"),
        ),
        # Member.
        Fact("active", M, B, "在册", _column("(m.status = 'active')")),
        Fact("age", M, N, "年龄（周岁）", _spans_compile_to_cutoffs, span=AGE),
        Fact("sex", M, T, "性别", _column("m.sex"), choices=vocab.Sex),
        Fact("ethnicity", M, T, "民族", _column("m.ethnicity")),
        Fact("relation", M, T, "与户主关系", _column("m.relation"), choices=vocab.Relation),
        Fact("health", M, T, "健康状况", _column("m.health"), choices=vocab.Health),
        Fact("disability_type", M, T, "残疾类别", _column("m.disability_type"), choices=vocab.DisabilityType),
        Fact("disability_grade", M, N, "残疾等级", _column("m.disability_grade")),
        Fact("labor_skill", M, T, "劳动技能", _column("m.labor_skill"), choices=vocab.LaborSkill),
        Fact("education", M, T, "文化程度", _column("m.education"), choices=vocab.Education),
        Fact("schooling", M, T, "在校生状况", _column("m.schooling"), choices=vocab.Schooling),
        Fact(
            "political_status", M, T, "政治面貌", _column("m.political_status"), choices=vocab.PoliticalStatus
        ),
        Fact("work_location", M, T, "务工所在地", _column("m.work_location"), choices=vocab.WorkLocation),
        Fact("employed", M, B, "务工就业", _column("(m.work_location <> '')")),
        # Full months from the current employment's start (务工时间) to D; none if not employed.
        Fact(
            "months_employed",
            M,
            N,
            "连续务工月数",
            _spans_compile_to_cutoffs,
            span=MONTHS_EMPLOYED,
        ),
        Fact("labour", M, B, "劳动力", _is_labour_member),
        Fact(
            "medical_insurance",
            M,
            T,
            "基本医疗保险",
            _column("m.medical_insurance"),
            choices=vocab.MedicalInsurance,
        ),
        Fact("serious_illness_insurance", M, B, "大病保险", _column("m.serious_illness_insurance")),
        Fact("pension_insurance", M, B, "养老保险", _column("m.pension_insurance")),
        Fact("dibao", M, B, "低保", _column("m.dibao")),
        Fact("destitute_support", M, B, "特困供养", _column("m.destitute_support")),
        Fact("medical_aid", M, B, "医疗救助", _column("m.medical_aid")),
        Fact("disability_subsidy", M, B, "残疾人两项补贴", _column("m.disability_subsidy")),
        Fact("public_welfare_job", M, B, "公益性岗位", _column("m.public_welfare_job")),
        Fact("unattended_child", M, B, "事实无人抚养儿童", _column("m.unattended_child")),
        Fact("monthly_wage", M, Y, "月工资", _money("m.monthly_wage")),
        # Event.
        Fact("type", E, T, "事件类型", _column("e.type"), choices=vocab.EventType),
        Fact("recent", E, B, "近期（监测窗口内）", _recent),
        Fact("severity", E, T, "严重程度", _column("e.severity"), choices=vocab.Severity),
        Fact("loss", E, Y, "损失", _money("e.loss")),
        Fact("house_damaged", E, B, "房屋受损", _column("e.house_damaged")),
        Fact("member_employed", E, B, "当事成员现务工", _column("(em.work_location <> '')")),
        Fact("member_labour_at_event", E, B, "当事成员事发时为劳动力", _labour_at_event),
    ]
}
