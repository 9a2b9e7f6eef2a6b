"""Yearly household incomes (收入) for 2025 and 2026, in exact two-place decimals.

人均纯收入 (per-capita net income) is drawn log-normally around ~12,256 元, lower for
households where nobody works, so that ~2 % fall below the 8,700 元 monitoring line and ~6 %
sit just above it; ~5 % drop by ≥ 20 % from 2025 (more often after a job loss). The family
total is then split into wage, business, property and transfer income. Amounts are handled
as whole cents (integers) and become ``Decimal`` yuan at the end.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from lianbang.demo.calendar import CURRENT_YEAR, PREVIOUS_YEAR
from lianbang.demo.draws import Weighted, chance, integer, yuan
from lianbang.demo.records import EventRow, IncomeRow, MemberRow
from lianbang.registry.vocab import EventType, Health, Schooling

_LOG_MEAN = math.log(11_960)
_LOG_SIGMA = 0.155
_NOBODY_WORKS = -0.45
_TWO_EARNERS = 0.12
_ON_DIBAO = -0.2
_DROP = 0.03
_DROP_AFTER_JOB_LOSS = 0.45
_END_OF_PREVIOUS_YEAR = date(PREVIOUS_YEAR, 12, 31)


@dataclass(frozen=True, slots=True)
class _Year:
    year: int
    size: int  # 家庭人口数 of the record
    net: int  # 家庭纯收入, cents
    claims: int = 0  # 理赔收入, cents


def household_incomes(
    rng: random.Random, household_key: int, members: list[MemberRow], events: list[EventRow]
) -> list[IncomeRow]:
    """The 2025 and 2026 records; 2026 is sized by the active members, 2025 by those then born."""
    active = [m for m in members if m.status == "active"]
    size_before = sum(1 for m in members if m.birth_date <= _END_OF_PREVIOUS_YEAR)
    per_capita_now = _per_capita_now(rng, active)
    per_capita_before = per_capita_now * 1000 // _growth_permille(rng, events)
    years = (
        _Year(PREVIOUS_YEAR, size_before, per_capita_before * size_before),
        _Year(CURRENT_YEAR, len(active), per_capita_now * len(active), _claims(rng, events)),
    )
    diagnosed = {e.member_key for e in events if e.type == EventType.SERIOUS_ILLNESS}
    return [_record(rng, household_key, year, members, diagnosed) for year in years]


def _per_capita_now(rng: random.Random, active: list[MemberRow]) -> int:
    earners = sum(1 for m in active if m.work_location)
    shift = _NOBODY_WORKS if earners == 0 else (_TWO_EARNERS if earners >= 2 else 0.0)
    if active[0].dibao:
        shift += _ON_DIBAO
    return round(math.exp(_LOG_MEAN + _LOG_SIGMA * (rng.gauss(0.0, 1.0) + shift)) * 100)


def _growth_permille(rng: random.Random, events: list[EventRow]) -> int:
    """2026 over 2025 in ‰: a steady rise for most, a fall of 20–50 % for some."""
    lost_job = any(e.type == EventType.JOB_LOSS for e in events)
    if chance(rng, _DROP_AFTER_JOB_LOSS if lost_job else _DROP):
        return integer(rng, 500, 790)
    return max(820, min(1350, round(rng.gauss(1060.0, 50.0))))


def _claims(rng: random.Random, events: list[EventRow]) -> int:
    insured = any(e.type in (EventType.ACCIDENT, EventType.SERIOUS_ILLNESS) for e in events)
    return integer(rng, 1000, 15_000) * 100 if insured and chance(rng, 0.4) else 0


def _record(
    rng: random.Random, household_key: int, year: _Year, members: list[MemberRow], diagnosed: set[int | None]
) -> IncomeRow:
    has_wage = any(m.work_location for m in members) or chance(rng, 0.3)
    wage, business, property_income, transfer, expense = split_net_income(rng, year.net, has_wage)
    medical = _medical_cents(rng, members, year.year, diagnosed)
    education = _education_cents(rng, members)
    return IncomeRow(
        household_key,
        year.year,
        yuan(wage),
        yuan(business),
        yuan(property_income),
        yuan(transfer),
        yuan(expense),
        yuan(medical),
        yuan(education),
        yuan(year.claims),
        year.size,
    )


def split_net_income(rng: random.Random, net: int, has_wage: bool) -> tuple[int, ...]:
    """(wage, business, property, transfer, business expense) in cents, netting to ``net``.

    家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出; the transfer part
    absorbs the rounding so that the identity holds to the cent.
    """
    business_pct, property_pct = integer(rng, 2, 12), integer(rng, 0, 3)
    wage_pct = integer(rng, 65, 92 - business_pct - property_pct) if has_wage else integer(rng, 0, 12)
    expense_pct = integer(rng, 15, 40)
    gross = net * 10_000 // (10_000 - business_pct * expense_pct)
    wage = gross * wage_pct // 100
    business = gross * business_pct // 100
    property_income = gross * property_pct // 100
    expense = business * expense_pct // 100
    transfer = net + expense - wage - business - property_income
    return wage, business, property_income, transfer, expense


# 合规自付医疗支出 per person and year, in yuan ranges.
_NEW_SERIOUS = Weighted([((1500, 5000), 35.0), ((5000, 20_000), 45.0), ((20_000, 45_000), 20.0)])
_KNOWN_SERIOUS = Weighted([((1000, 5000), 70.0), ((5000, 20_000), 27.0), ((20_000, 30_000), 3.0)])
_CHRONIC = Weighted([((200, 2500), 97.0), ((2500, 6000), 3.0)])


def _medical_cents(
    rng: random.Random, members: list[MemberRow], year: int, diagnosed: set[int | None]
) -> int:
    total = 0
    for member in members:
        band = _medical_band(rng, member, year, member.key in diagnosed)
        if band is not None:
            total += integer(rng, band[0] * 100, band[1] * 100)
    return total


def _medical_band(
    rng: random.Random, member: MemberRow, year: int, diagnosed_this_year: bool
) -> tuple[int, int] | None:
    if member.health == Health.SERIOUS and not (diagnosed_this_year and year == PREVIOUS_YEAR):
        return (_NEW_SERIOUS if diagnosed_this_year else _KNOWN_SERIOUS).pick(rng)
    if member.health == Health.CHRONIC:
        return _CHRONIC.pick(rng)
    if member.health == Health.DISABLED:
        return (0, 1500)
    return (0, 400) if chance(rng, 0.3) else None


# 教育支出 (non-compulsory only) per student and year, yuan.
_SCHOOL_COSTS = {
    Schooling.PRESCHOOL.value: (1200, 3000),
    Schooling.SENIOR.value: (800, 3500),
    Schooling.SECONDARY_VOCATIONAL.value: (500, 2500),
    Schooling.HIGHER_VOCATIONAL.value: (3500, 8000),
    Schooling.TECHNICIAN.value: (3000, 7000),
    Schooling.BACHELOR.value: (4500, 11_000),
    Schooling.POSTGRADUATE.value: (8000, 15_000),
}


def _education_cents(rng: random.Random, members: list[MemberRow]) -> int:
    total = 0
    for member in members:
        cost = _SCHOOL_COSTS.get(member.schooling)
        if cost is not None:
            total += integer(rng, cost[0] * 100, cost[1] * 100)
    return total
