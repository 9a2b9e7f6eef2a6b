"""Dashboard figures for a unit's subtree."""

from __future__ import annotations

from datetime import timedelta

from lianbang.cases.figures import case_figures
from lianbang.cases.services.deadlines import cases_tick
from lianbang.cases.tests.conftest import Cast, Opener, family, later, visit


def test_figures_count_open_cases_overdue_steps_and_time_to_first_visit(
    cast: Cast, open_case: Opener
) -> None:
    visited = open_case(family(water_safe=False))
    waiting = open_case(
        family(
            household_no="530113-900002",
            housing_safe=False,
            address={"building": "7", "unit": "1", "floor": 2, "room": "202"},
        )
    )
    visit(visited, cast.grid_worker, later(visited, hours=6))
    now = later(waiting, hours=30)
    cases_tick(now=now, deliver=False)

    figures = case_figures(unit=cast.tree.community, now=now)
    assert figures.open_by_state_and_level == {
        ("risk", "verifying", "red"): 1,
        ("risk", "discovered", "red"): 1,
    }
    assert (figures.overdue_cases, figures.overdue_steps) == (1, 1)
    assert figures.median_hours_to_first_visit == 6.0
    assert figures.steps_within_deadline == 0.5  # one visit in time, one overdue
    assert (figures.eliminated_this_month, figures.relapses) == (0, 0)


def test_figures_of_another_street_see_none_of_ours(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    figures = case_figures(unit=cast.other_street, now=case.opened_at + timedelta(days=3))
    assert figures.open_by_state_and_level == {} and figures.overdue_steps == 0
    assert figures.median_hours_to_first_visit is None and figures.steps_within_deadline is None
