"""DOMAIN §4's default rules written plainly in Python, independent of the SQL engine.

Only the tests use it: the engine (incremental and bulk) must agree with it on random
households.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from lianbang.registry.models import Event, Household, Income, Member

LINE = Fraction(8700)
LABOUR_SKILLS = {"ordinary", "skilled", "weak"}
NOT_IN_SCHOOL = {"", "preschool_child", "dropout"}
RULE_ORDER = [
    "R_ILLNESS",
    "R_DEATH",
    "R_ACCIDENT",
    "R_DISASTER",
    "R_BOTTOM_LINE",
    "R_BELOW_LINE",
    "Y_INCOME_DROP",
    "Y_NEAR_LINE",
    "Y_JOB_LOSS",
    "Y_EXPENSE",
]


def age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def months_employed(member: Member, day: date) -> int | None:
    """Full months from the current employment's start to ``day``; None when not employed then."""
    since = member.employed_since
    if not member.work_location or since is None or since > day:
        return None
    return (day.year - since.year) * 12 + day.month - since.month - (day.day < since.day)


def is_labour_at(member: Member, day: date) -> bool:
    return (
        16 <= age(member.birth_date, day) <= 64
        and member.labor_skill in LABOUR_SKILLS
        and member.schooling in NOT_IN_SCHOOL
    )


def reference_rules(household: Household, as_of: date) -> list[str]:
    members = list(household.members.all())
    active = [m for m in members if m.status == "active"]
    events = [e for e in household.events.select_related("member") if e.date <= as_of]
    recent = [e for e in events if as_of - timedelta(days=90) < e.date <= as_of]
    incomes = {i.year: i for i in household.incomes.all() if i.year <= as_of.year}
    current = incomes[max(incomes)] if incomes else None
    previous = incomes.get(current.year - 1) if current else None
    fired = _red(household, active, recent, current, as_of) | _yellow(
        active, recent, current, previous, as_of, len(active)
    )
    return [code for code in RULE_ORDER if code in fired]


def color_of(rules: list[str]) -> str:
    if any(r.startswith("R_") for r in rules):
        return "red"
    return "yellow" if rules else "green"


def _net(income: Income) -> Fraction:
    return Fraction(
        income.wage + income.business + income.property_income + income.transfer - income.business_expense
    )


def _per_capita(income: Income | None, active_count: int) -> Fraction | None:
    if income is None:
        return None
    size = income.household_size or active_count
    return _net(income) / size if size else None


def _red(
    household: Household, active: list[Member], recent: list[Event], current: Income | None, as_of: date
) -> set[str]:
    fired = set()
    kinds = {e.type for e in recent}
    if "serious_illness" in kinds or (current and current.medical_self_paid >= 20000):
        fired.add("R_ILLNESS")
    if any(e.type == "death" and e.member and is_labour_at(e.member, e.date) for e in recent):
        fired.add("R_DEATH")
    if any(e.type == "accident" and e.severity == "serious" for e in recent):
        fired.add("R_ACCIDENT")
    if any(e.type == "disaster" and ((e.loss or 0) >= 10000 or e.house_damaged) for e in recent):
        fired.add("R_DISASTER")
    dropout = any(6 <= age(m.birth_date, as_of) <= 15 and m.schooling == "dropout" for m in active)
    uninsured = any(not m.medical_insurance for m in active)
    if not household.housing_safe or not household.water_safe or dropout or uninsured:
        fired.add("R_BOTTOM_LINE")
    per_capita = _per_capita(current, len(active))
    if per_capita is not None and per_capita < LINE:
        fired.add("R_BELOW_LINE")
    return fired


def _yellow(
    active: list[Member],
    recent: list[Event],
    current: Income | None,
    previous: Income | None,
    as_of: date,
    active_count: int,
) -> set[str]:
    fired = set()
    now, before = _per_capita(current, active_count), _per_capita(previous, active_count)
    if now is not None and before is not None and now <= Fraction(8, 10) * before:
        fired.add("Y_INCOME_DROP")
    if now is not None and LINE <= now < Fraction(11, 10) * LINE:
        fired.add("Y_NEAR_LINE")
    labour = [m for m in active if is_labour_at(m, as_of)]
    lost = any(e.type == "job_loss" and e.member and not e.member.work_location for e in recent)
    if lost or (labour and not any(m.work_location for m in labour)):
        fired.add("Y_JOB_LOSS")
    if current and _expensive(current):
        fired.add("Y_EXPENSE")
    return fired


def _expensive(income: Income) -> bool:
    medical, education = income.medical_self_paid, income.education_expense
    net = _net(income)
    return medical >= 5000 or education >= 10000 or (net > 0 and Fraction(medical + education) >= net / 2)
