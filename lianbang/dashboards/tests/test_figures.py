"""The roll-up's figures equal an independent count on a small generated district."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

import pytest
from django.utils import timezone

from lianbang.accounts.masking import age_on
from lianbang.cases.models import Case
from lianbang.dashboards.models import Rollup
from lianbang.dashboards.selectors import figures, unit_info
from lianbang.dashboards.services import moment_at, rollup_refresh
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, LightChange
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.registry.models import Household, Income, Member
from lianbang.registry.vocab import NOT_IN_SCHOOL

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_rollup_equals_an_independent_count_for_units_buildings_and_grids(district: Unit) -> None:
    rollup_refresh()
    street = Unit.objects.filter(parent=district).order_by("pk").first()
    building = Building.objects.order_by("pk").first()
    grid = MicroGrid.objects.order_by("pk").last()
    assert street is not None and building is not None and grid is not None
    for kind, node_id, households in (
        ("unit", district.pk, Household.objects.filter(unit__path__startswith=district.path)),
        ("unit", street.pk, Household.objects.filter(unit__path__startswith=street.path)),
        ("building", building.pk, Household.objects.filter(building=building)),
        ("grid", grid.pk, Household.objects.filter(grid=grid)),
    ):
        row = Rollup.objects.get(kind=kind, node_id=node_id)
        assert _stored(row) == independent_count(list(households.filter(status="active"))), (kind, node_id)


def test_the_district_figures_are_not_trivial(district: Unit) -> None:
    rollup_refresh()
    row = Rollup.objects.get(kind="unit", node_id=district.pk)
    assert row.households == 240 and row.people > 240
    assert row.red + row.yellow + row.green + row.unjudged == 240
    assert row.red + row.yellow > 0 and row.labour > 0 and row.employed > 0
    assert row.median_per_capita is not None and row.income_households > 0
    assert row.open_cases > 0


def test_live_figures_equal_the_rollup(district: Unit) -> None:
    (live,) = figures(district, [unit_info(district)])
    assert live.as_of is None
    rollup_refresh()
    (stored,) = figures(district, [unit_info(district)])
    assert stored.as_of is not None
    assert stored.counts == live.counts
    assert stored.median_per_capita == live.median_per_capita
    assert stored.income_total == live.income_total
    assert stored.labels == live.labels


def test_the_children_add_up_to_their_parent(district: Unit) -> None:
    rollup_refresh()
    children = list(Rollup.objects.filter(kind="unit", node_id__in=district.children.values("pk")))
    parent = Rollup.objects.get(kind="unit", node_id=district.pk)
    assert sum(c.households for c in children) == parent.households
    assert sum(c.red for c in children) == parent.red


def _stored(row: Rollup) -> dict[str, Any]:
    labels = {code: n for code, n in row.labels.items() if n}
    return {
        "households": row.households,
        "people": row.people,
        "lights": (row.red, row.yellow, row.green, row.unjudged),
        "labour": (row.labour, row.employed, row.stable),
        "ages": (row.elderly, row.aged_80_plus, row.children, row.school_age, row.dropouts, row.unattended),
        "income": (row.income_households, row.income_people, row.income_total, row.median_per_capita),
        "labels": labels,
        "new_risks": row.new_risks,
        "cases": (row.open_cases, row.eliminated),
    }


def independent_count(households: list[Household]) -> dict[str, Any]:
    """The same figures, counted household by household in Python from the rows."""
    today = timezone.localdate()
    ids = [h.pk for h in households]
    members = list(Member.objects.filter(household_id__in=ids, status="active"))
    lights = Counter(HouseholdLight.objects.filter(household_id__in=ids).values_list("color", flat=True))
    ages = [(m, age_on(m.birth_date, today)) for m in members]
    labour = [
        m
        for m, age in ages
        if 16 <= age <= 64
        and m.labor_skill in ("ordinary", "skilled", "weak")
        and m.schooling in NOT_IN_SCHOOL
    ]
    employed = [m for m in labour if m.work_location]
    six_months_ago = _months_ago(today, 6)
    labels = Counter(
        HouseholdLabel.objects.filter(household_id__in=ids).values_list("label__code", flat=True)
    )
    return {
        "households": len(households),
        "people": len(members),
        "lights": (lights["red"], lights["yellow"], lights["green"], len(ids) - sum(lights.values())),
        "labour": (
            len(labour),
            len(employed),
            len([m for m in employed if m.employed_since and m.employed_since <= six_months_ago]),
        ),
        "ages": (
            len([1 for _, a in ages if a >= 65]),
            len([1 for _, a in ages if a >= 80]),
            len([1 for _, a in ages if a < 18]),
            len([1 for _, a in ages if 6 <= a <= 15]),
            len([1 for m, a in ages if 6 <= a <= 15 and m.schooling == "dropout"]),
            len([1 for m in members if m.unattended_child]),
        ),
        "income": _income(households, members, today),
        "labels": {code: n for code, n in labels.items() if code in _LABELS},
        "new_risks": _new_risks(ids),
        "cases": (
            Case.objects.filter(household_id__in=ids, kind="risk", closed_at__isnull=True).count(),
            0,
        ),
    }


_LABELS = {
    "living_alone_elderly",
    "empty_nest_elderly",
    "advanced_age",
    "left_behind_elderly",
    "disabled_elderly",
    "left_behind_child",
    "unattended_child",
    "preschool_child",
    "school_age_child",
}


def _income(households: list[Household], members: list[Member], today: date) -> tuple[Any, ...]:
    sizes = Counter(m.household_id for m in members)
    total, people, per_capita = Decimal(0), 0, []
    for household in households:
        records = [i for i in Income.objects.filter(household=household) if i.year <= today.year]
        if not records:
            continue
        current = max(records, key=lambda i: i.year)
        size = current.household_size or sizes[household.pk]
        if size:
            total += current.net_income
            people += size
            per_capita.append(current.net_income / size)
    middle = Decimal(median(per_capita)).quantize(Decimal("0.01"), ROUND_HALF_UP) if per_capita else None
    return (len(per_capita), people, total, middle)


def _new_risks(ids: list[int]) -> int:
    start = moment_at().month_start
    changes = LightChange.objects.filter(
        household_id__in=ids,
        changed_at__gte=start,
        from_color__in=["", "green"],
        to_color__in=["red", "yellow"],
    )
    return len(set(changes.values_list("household_id", flat=True)))


def _months_ago(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for candidate in range(day.day, 27, -1) if day.day > 28 else [day.day]:
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, 28)
