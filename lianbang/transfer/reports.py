"""The standard reports: the monthly monitoring report per unit, the employment report and the
公示 list. Each row is a unit (the unit itself, then its children); figures are grouped counts,
one or two queries per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record
from lianbang.monitoring.facts import age_cutoff
from lianbang.monitoring.models import COLOR_RANK, Color, LightChange
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry import vocab
from lianbang.registry.models import Household, Member
from lianbang.transfer.report_hooks import case_figures_for, publicity_entries_for
from lianbang.transfer.xlsx import add_sheet, open_workbook

STABLE_MONTHS = 6  # DOMAIN §6: employed continuously ≥ 6 months (configurable)
COLORS = (Color.RED, Color.YELLOW, Color.GREEN)


def report_units(unit: Unit) -> list[Unit]:
    return [unit, *unit.children.order_by("name")]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(following, time.min, zone)


# --- monthly monitoring report ---------------------------------------------------------------


MONTHLY_TITLES = [
    "单位", "在册户数", "红灯户", "黄灯户", "绿灯户", "未研判户", "在册人数", "红灯户人数",
    "黄灯户人数", "绿灯户人数", "本月新增风险户", "其中新增红灯", "其中新增黄灯", "本月消除风险",
    "在办案件（按状态）", "逾期案件",
]  # fmt: skip


def monthly_report(path: Path, *, unit: Unit, month: date, actor: Actor = None) -> int:
    start, end = month_bounds(month)
    workbook = open_workbook(path)
    sheet = add_sheet(workbook, f"{month:%Y年%m月}监测报告")
    sheet.row([f"{unit.name} {month:%Y年%m月} 防返贫动态监测月报"])
    sheet.header(MONTHLY_TITLES, [16] + [10] * (len(MONTHLY_TITLES) - 1))
    units = report_units(unit)
    for row_unit in units:
        sheet.row(monthly_row(row_unit, start, end))
    workbook.close()
    _audit(actor, "monthly_report", len(units), {"unit": unit.pk, "month": f"{month:%Y-%m}"})
    return len(units)


def monthly_row(unit: Unit, start: datetime, end: datetime) -> list[Any]:
    households = _households_by_color(unit)
    people = _people_by_color(unit)
    new = _new_risks(unit, start, end)
    cases = case_figures_for(unit, start, end)
    return [
        unit.name,
        sum(households.values()),
        *(households.get(c, 0) for c in COLORS),
        households.get("", 0),
        sum(people.values()),
        *(people.get(c, 0) for c in COLORS),
        new[Color.RED] + new[Color.YELLOW],
        new[Color.RED],
        new[Color.YELLOW],
        cases.eliminated if cases else "",
        _states(cases.open_by_state) if cases else "",
        cases.overdue if cases else "",
    ]


def _households_by_color(unit: Unit) -> dict[str, int]:
    rows = (
        Household.objects.filter(path_prefix_q(unit.path, "unit__path"), status=vocab.HouseholdStatus.ACTIVE)
        .values("light__color")
        .annotate(n=Count("pk"))
    )
    return {r["light__color"] or "": r["n"] for r in rows}


def _people_by_color(unit: Unit) -> dict[str, int]:
    rows = (
        Member.objects.filter(
            path_prefix_q(unit.path, "household__unit__path"),
            status=vocab.MemberStatus.ACTIVE,
            household__status=vocab.HouseholdStatus.ACTIVE,
        )
        .values("household__light__color")
        .annotate(n=Count("pk"))
    )
    return {r["household__light__color"] or "": r["n"] for r in rows}


def _new_risks(unit: Unit, start: datetime, end: datetime) -> dict[str, int]:
    """Households whose light rose to yellow or red during the month (by the highest rise)."""
    changes = LightChange.objects.filter(
        path_prefix_q(unit.path, "household__unit__path"), changed_at__gte=start, changed_at__lt=end
    ).values_list("household_id", "from_color", "to_color")
    highest: dict[int, str] = {}
    for household_id, before, after in changes:
        rising = after in (Color.RED, Color.YELLOW) and _rank(after) > _rank(before)
        if rising and _rank(after) > _rank(highest.get(household_id, "")):
            highest[household_id] = after
    counts: dict[str, int] = {Color.RED: 0, Color.YELLOW: 0}
    for color in highest.values():
        counts[Color(color)] += 1
    return counts


def _rank(color: str) -> int:
    return COLOR_RANK.get(Color(color), 0) if color else 0


def _states(by_state: dict[str, int]) -> str:
    return "；".join(f"{state} {count}" for state, count in sorted(by_state.items()))


# --- employment report -----------------------------------------------------------------------


EMPLOYMENT_TITLES = [
    "单位", "劳动力人数", "已就业", "就业率", "稳定就业（≥6个月）", "稳定就业率",
    "乡镇内", "乡镇外县内", "县外省内", "省外", "公益性岗位",
]  # fmt: skip


@dataclass(frozen=True)
class EmploymentFigures:
    labour: int
    employed: int
    stable: int
    by_location: dict[str, int]
    public_welfare: int

    @property
    def rate(self) -> float | None:
        return self.employed / self.labour if self.labour else None

    @property
    def stable_rate(self) -> float | None:
        return self.stable / self.labour if self.labour else None


def labour_members(unit: Unit, as_of: date) -> QuerySet[Member]:
    """DOMAIN §4: active, 16–64 at the date, able to work (普通/技能/弱), not in school."""
    return Member.objects.filter(
        path_prefix_q(unit.path, "household__unit__path"),
        status=vocab.MemberStatus.ACTIVE,
        household__status=vocab.HouseholdStatus.ACTIVE,
        birth_date__lte=age_cutoff(as_of, 16),
        birth_date__gt=age_cutoff(as_of, 65),
        labor_skill__in=vocab.LABOUR_SKILLS,
        schooling__in=vocab.NOT_IN_SCHOOL,
    )


def employment_figures(unit: Unit, as_of: date, stable_months: int = STABLE_MONTHS) -> EmploymentFigures:
    stable_since = _months_before(as_of, stable_months)
    employed = ~Q(work_location="")
    totals = labour_members(unit, as_of).aggregate(
        labour=Count("pk"),
        employed=Count("pk", filter=employed),
        stable=Count("pk", filter=employed & Q(employed_since__lte=stable_since)),
        public_welfare=Count("pk", filter=Q(public_welfare_job=True)),
        **{loc: Count("pk", filter=Q(work_location=loc)) for loc in vocab.WorkLocation.values if loc},
    )
    locations = {loc: totals.pop(loc) for loc in vocab.WorkLocation.values if loc}
    return EmploymentFigures(
        totals["labour"], totals["employed"], totals["stable"], locations, totals["public_welfare"]
    )


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, 28)


def employment_report(path: Path, *, unit: Unit, as_of: date, actor: Actor = None) -> int:
    workbook = open_workbook(path)
    sheet = add_sheet(workbook, "就业情况")
    sheet.row([f"{unit.name} 劳动力就业情况（截至 {as_of:%Y-%m-%d}）"])
    sheet.header(EMPLOYMENT_TITLES, [16] + [11] * (len(EMPLOYMENT_TITLES) - 1))
    units = report_units(unit)
    for row_unit in units:
        figures = employment_figures(row_unit, as_of)
        sheet.row(
            [
                row_unit.name,
                figures.labour,
                figures.employed,
                _percent(figures.rate),
                figures.stable,
                _percent(figures.stable_rate),
                *(figures.by_location[loc] for loc in vocab.WorkLocation.values if loc),
                figures.public_welfare,
            ]
        )
    workbook.close()
    _audit(actor, "employment_report", len(units), {"unit": unit.pk, "as_of": as_of.isoformat()})
    return len(units)


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.2f}%"


# --- 公示 list -------------------------------------------------------------------------------

# Never on a public notice (DOMAIN §5): ID number, phone, bank account, health.
PUBLICITY_TITLES = [
    "序号",
    "户编号",
    "户主姓名",
    "家庭人口",
    "所属单位",
    "住址（楼栋）",
    "公示事项",
    "公示开始",
]


def publicity_list(path: Path, *, unit: Unit, actor: Actor = None) -> int:
    entries = publicity_entries_for(unit)
    heads = _heads_and_sizes([e.household.pk for e in entries])
    workbook = open_workbook(path)
    sheet = add_sheet(workbook, "公示名单")
    sheet.header(PUBLICITY_TITLES, [6, 16, 10, 8, 16, 12, 16, 12])
    for number, entry in enumerate(entries, start=1):
        household = entry.household
        head, size = heads.get(household.pk, ("", 0))
        building = household.building.name if household.building_id and household.building else ""
        sheet.row([number, household.household_no, head, size, household.unit.name, building, entry.matter,
                   timezone.localtime(entry.started).date() if entry.started else ""])  # fmt: skip
    workbook.close()
    _audit(actor, "publicity_list", len(entries), {"unit": unit.pk})
    return len(entries)


def _heads_and_sizes(household_ids: list[int]) -> dict[int, tuple[str, int]]:
    result: dict[int, tuple[str, int]] = {}
    members = Member.objects.filter(household_id__in=household_ids, status=vocab.MemberStatus.ACTIVE)
    for household_id, name, relation in members.values_list("household_id", "name", "relation"):
        head, size = result.get(household_id, ("", 0))
        result[household_id] = (name if relation == vocab.Relation.HEAD else head, size + 1)
    return result


def _audit(actor: Actor, what: str, rows: int, detail: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="report",
        object_id=what,
        changes={"rows": rows, **detail},
    )


ReportWriter = Callable[..., int]
