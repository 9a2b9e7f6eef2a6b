"""The trend: lights at each month's end, right at the edges, stored or derived alike."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from lianbang.conftest import Tree
from lianbang.dashboards.models import MonthlyLights, TrendMonth
from lianbang.dashboards.selectors import trend
from lianbang.dashboards.services import moment_at, month_end, past_months, trend_fill
from lianbang.monitoring.models import LightChange
from lianbang.monitoring.tests.builders import D, green_family
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=CST)


def _household(tree: Tree, number: str, room: str, id17: str) -> Household:
    family = green_family()
    family["household_no"] = number
    family["grid"] = tree.grid.code
    family["address"] = {**family["address"], "room": room}
    for index, member in enumerate(family["members"]):
        member["id_number"] = _valid(id17[:-2] + f"{index:02d}")
    return household_save_document(data=family, today=D).household


def _valid(first17: str) -> str:
    from lianbang.common.validators import id_check_char

    return first17 + id_check_char(first17)


def _history(household: Household, *changes: tuple[str, datetime]) -> None:
    LightChange.objects.filter(household=household).delete()
    previous = ""
    for color, at in changes:
        LightChange.objects.create(
            household=household,
            from_color=previous,
            to_color=color,
            rule_set_version=1,
            as_of=at.date(),
            cause="test",
            changed_at=at,
            region_code="530113",
        )
        previous = color


@pytest.fixture
def histories(tree: Tree) -> tuple[Household, Household]:
    a = _household(tree, "530113-000101", "301", "53011319800101101")
    b = _household(tree, "530113-000102", "304", "53011319800101201")
    _history(
        a,
        ("green", datetime(2026, 10, 10, tzinfo=CST)),
        ("red", datetime(2026, 11, 30, 23, 59, 59, tzinfo=CST)),
    )
    _history(
        b, ("green", datetime(2026, 10, 10, tzinfo=CST)), ("yellow", datetime(2026, 12, 1, 0, 0, tzinfo=CST))
    )
    return a, b


def test_a_months_end_is_local_midnight_of_the_next_first_day() -> None:
    assert month_end(date(2026, 11, 1)) == datetime(2026, 12, 1, tzinfo=CST)
    assert month_end(date(2026, 12, 1)) == datetime(2027, 1, 1, tzinfo=CST)
    assert past_months(moment_at(NOW), 3) == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


def _points(tree: Tree) -> list[tuple[str, int, int, int]]:
    return [(f"{p.month:%Y-%m}", p.red, p.yellow, p.green) for p in trend(tree.district, 4, now=NOW)[:3]]


def test_a_change_one_second_before_midnight_counts_for_the_month_ending(
    tree: Tree, histories: tuple[Household, Household]
) -> None:
    assert _points(tree) == [("2026-10", 0, 0, 2), ("2026-11", 1, 0, 1), ("2026-12", 1, 1, 0)]


def test_stored_snapshots_give_the_same_trend_as_the_history(
    tree: Tree, histories: tuple[Household, Household]
) -> None:
    derived = _points(tree)
    assert trend_fill(moment_at(NOW), 3) == ["2026-10", "2026-11", "2026-12"]
    assert TrendMonth.objects.count() == 3 and MonthlyLights.objects.exists()
    LightChange.objects.all().delete()  # the stored months no longer need the history
    assert _points(tree) == derived
    assert trend_fill(moment_at(NOW), 3) == []  # a stored month is never recomputed


def test_the_last_point_is_the_current_month_so_far(
    tree: Tree, histories: tuple[Household, Household]
) -> None:
    points = trend(tree.district, 4, now=NOW)
    assert len(points) == 4 and [p.partial for p in points] == [False, False, False, True]
    assert points[-1].month == date(2027, 1, 1)


def test_a_household_that_moved_out_counts_until_it_left(
    tree: Tree, histories: tuple[Household, Household]
) -> None:
    a, _ = histories
    Household.objects.filter(pk=a.pk).update(status="moved_out", status_date=date(2026, 12, 1))
    assert _points(tree) == [("2026-10", 0, 0, 2), ("2026-11", 1, 0, 1), ("2026-12", 0, 1, 0)]
