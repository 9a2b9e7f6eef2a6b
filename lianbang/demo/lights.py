"""An estimate of the three-colour light (红黄绿) over generated rows, by DOMAIN §4's defaults.

This is a check on the demo data, not the product's rule engine: it applies the default rule
set to the plain rows so that the generator can be tuned to a realistic mix of colours
(most green, some yellow, few red) before anything is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from lianbang.demo.calendar import EVALUATION_DATE, RECENT_START, STABLE_SINCE
from lianbang.demo.people import age_on, is_labour
from lianbang.demo.records import EventRow, HouseholdChunk, HouseholdRow, IncomeRow, MemberRow
from lianbang.registry.vocab import LABOUR_SKILLS, NOT_IN_SCHOOL, EventType, Schooling

MONITORING_LINE = Decimal(8700)  # Yunnan 2025 reference line, used for 2026 too
NEAR_LINE = MONITORING_LINE * Decimal("1.1")
DROP_RATIO = Decimal("0.8")


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    household: HouseholdRow
    members: list[MemberRow]
    incomes: list[IncomeRow]
    events: list[EventRow]


@dataclass(slots=True)
class LightEstimate:
    households: int = 0
    colours: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    labour: int = 0
    employed: int = 0
    stable: int = 0
    people: int = 0
    net_income: Decimal = Decimal(0)

    def add(self, chunk: HouseholdChunk) -> None:
        for facts in household_facts(chunk):
            fired = rules_fired(facts)
            self.households += 1
            self.colours[colour_of(fired)] += 1
            self.rules.update(fired)
            self._count_labour(facts)

    def _count_labour(self, facts: HouseholdFacts) -> None:
        labour = [m for m in facts.members if is_labour(m)]
        self.labour += len(labour)
        self.employed += sum(1 for m in labour if m.work_location)
        self.stable += sum(1 for m in labour if m.employed_since and m.employed_since <= STABLE_SINCE)
        current = facts.incomes[-1]
        self.people += current.household_size
        self.net_income += current.net_income

    def share(self, colour: str) -> float:
        return _ratio(self.colours[colour], self.households)

    def summary(self) -> str:
        """One line: the colours, and the seed figures of DOMAIN §1 to compare with."""
        per_capita = self.net_income / self.people if self.people else Decimal(0)
        lights = " ".join(
            f"{name} {self.share(colour):.1%}"
            for colour, name in (("green", "绿"), ("yellow", "黄"), ("red", "红"))
        )
        return (
            f"三色预警估计 {lights}; 就业率 {_ratio(self.employed, self.labour):.2%}, "
            f"稳定就业率 {_ratio(self.stable, self.labour):.2%}, 人均纯收入 {per_capita:,.0f} 元"
        )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def estimate_lights(chunks: Iterable[HouseholdChunk]) -> LightEstimate:
    estimate = LightEstimate()
    for chunk in chunks:
        estimate.add(chunk)
    return estimate


def household_facts(chunk: HouseholdChunk) -> Iterable[HouseholdFacts]:
    """Rows of a chunk grouped per household (all lists are in household order)."""
    members = {k: list(g) for k, g in groupby(chunk.members, key=lambda m: m.household_key)}
    incomes = {k: list(g) for k, g in groupby(chunk.incomes, key=lambda i: i.household_key)}
    events = {k: list(g) for k, g in groupby(chunk.events, key=lambda e: e.household_key)}
    for household in chunk.households:
        key = household.key
        yield HouseholdFacts(household, members[key], incomes.get(key, []), events.get(key, []))


def colour_of(fired: set[str]) -> str:
    if any(code.startswith("R_") for code in fired):
        return "red"
    return "yellow" if fired else "green"


def rules_fired(facts: HouseholdFacts) -> set[str]:
    fired = {*_red_events(facts), *_income_rules(facts)}
    if _bottom_line_broken(facts):
        fired.add("R_BOTTOM_LINE")
    if _job_loss(facts):
        fired.add("Y_JOB_LOSS")
    return fired


def _recent(event: EventRow) -> bool:
    return RECENT_START <= event.date <= EVALUATION_DATE


def _red_events(facts: HouseholdFacts) -> set[str]:
    members = {m.key: m for m in facts.members}
    fired = set()
    for event in filter(_recent, facts.events):
        if event.type == EventType.SERIOUS_ILLNESS:
            fired.add("R_ILLNESS")
        elif event.type == EventType.ACCIDENT and event.severity == "serious":
            fired.add("R_ACCIDENT")
        elif event.type == EventType.DISASTER and (event.house_damaged or (event.loss or 0) >= 10_000):
            fired.add("R_DISASTER")
        elif (
            event.type == EventType.DEATH
            and event.member_key in members
            and _labour_at(members[event.member_key], event.date)
        ):
            fired.add("R_DEATH")
    return fired


def _labour_at(member: MemberRow, day: date) -> bool:
    return (
        16 <= age_on(member.birth_date, day) <= 64
        and member.labor_skill in LABOUR_SKILLS
        and member.schooling in NOT_IN_SCHOOL
    )


def _bottom_line_broken(facts: HouseholdFacts) -> bool:
    """三保障 and 饮水: housing, water, compulsory schooling, basic medical insurance."""
    household = facts.household
    if not (household.housing_safe and household.water_safe):
        return True
    active = [m for m in facts.members if m.status == "active"]
    return any(
        (m.schooling == Schooling.DROPOUT and 6 <= age_on(m.birth_date) <= 15) or not m.medical_insurance
        for m in active
    )


def _income_rules(facts: HouseholdFacts) -> set[str]:
    if not facts.incomes:
        return set()
    current = facts.incomes[-1]
    per_capita = current.net_income / current.household_size
    fired = set()
    if per_capita < MONITORING_LINE:
        fired.add("R_BELOW_LINE")
    elif per_capita < NEAR_LINE:
        fired.add("Y_NEAR_LINE")
    if current.medical_self_paid >= 20_000:
        fired.add("R_ILLNESS")
    if len(facts.incomes) > 1:
        previous = facts.incomes[-2]
        if per_capita <= DROP_RATIO * previous.net_income / previous.household_size:
            fired.add("Y_INCOME_DROP")
    if _expense_high(current):
        fired.add("Y_EXPENSE")
    return fired


def _expense_high(income: IncomeRow) -> bool:
    medical, education, net = income.medical_self_paid, income.education_expense, income.net_income
    return medical >= 5000 or education >= 10_000 or (net > 0 and (medical + education) * 2 >= net)


def _job_loss(facts: HouseholdFacts) -> bool:
    members = {m.key: m for m in facts.members}
    for event in filter(_recent, facts.events):
        if event.type == EventType.JOB_LOSS and not members[event.member_key or 0].work_location:
            return True
    labour = [m for m in facts.members if is_labour(m)]
    return bool(labour) and not any(m.work_location for m in labour)
