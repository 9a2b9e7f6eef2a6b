"""Elimination (风险消除) is allowed only when DOMAIN §5's conditions hold; otherwise it is
refused with every reason and nothing changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lianbang.cases.models import Case
from lianbang.cases.services.guards import income_rules_fired
from lianbang.cases.tests.conftest import Cast, Opener, act, family, later, walk_to_tracking
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.models import LightChange
from lianbang.monitoring.tests.builders import income, member


def poor_family() -> dict[str, object]:
    """Income below the line (8,700 元 a head): R_BELOW_LINE, an income rule."""
    return family(incomes=[income(2025, 60000), income(2026, 24000)])


def test_an_early_elimination_is_refused_with_every_reason_and_changes_nothing(
    cast: Cast, open_case: Opener
) -> None:
    case = walk_to_tracking(open_case(poor_family()), cast)
    version = case.version
    with pytest.raises(ApplicationError) as caught:
        act(case, "request_elimination", cast.community, later(case, days=60))
    error = caught.value
    assert (error.status, error.code) == (422, "conditions_not_met")
    assert {p.path for p in error.problems} == {"rules", "opened_at", "income_rules"}
    assert "R_BELOW_LINE" in error.message and "未满6个月" in error.message
    assert "less than 6 months" in error.message_en
    case.refresh_from_db()
    assert (case.state, case.version) == ("tracking", version)
    refusal = case.events.get(type="refused")
    assert {r["field"] for r in refusal.payload["reasons"]} == {"rules", "opened_at", "income_rules"}


def test_a_household_with_a_labour_member_needs_a_developmental_measure_to_be_eliminated(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    with pytest.raises(ApplicationError) as caught:
        walk_to_tracking(case, cast, measures=("water",))
    assert [p.path for p in caught.value.problems] == ["measures"]
    assert "开发式" in caught.value.message
    assert Case.objects.get(pk=case.pk).state == "assistance"


def test_a_household_without_any_labour_capacity_stays_tracked(cast: Cast, open_case: Opener) -> None:
    elderly = family(
        members=[
            member(date(1950, 3, 1), relation="户主", labor_skill="丧失劳动力"),
            member(date(1952, 4, 1), male=False, relation="配偶", labor_skill="无劳动力"),
        ],
        incomes=[income(2025, 40000, size=2), income(2026, 40000, size=2)],
        water_safe=False,
    )
    case = walk_to_tracking(open_case(elderly), cast, measures=("social_security",))
    with pytest.raises(ApplicationError) as caught:
        act(case, "request_elimination", cast.community, later(case, days=230))
    assert [p.path for p in caught.value.problems] == ["rules", "water_safe", "labour"]
    assert "暂不消除" in caught.value.message


def test_an_income_rule_that_fired_in_the_stable_period_counts_even_after_it_stopped(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    now = later(case, days=240)
    LightChange.objects.create(
        household=case.household,
        from_color="red",
        to_color="red",
        rules=[],
        previous_rules=["Y_NEAR_LINE"],
        rule_set_version=1,
        as_of=date(2027, 5, 1),
        cause="test",
        changed_at=now - timedelta(days=60),
        region_code="530113",
    )
    assert income_rules_fired(case.household_id or 0, now - timedelta(days=180), now) == {"Y_NEAR_LINE"}
    assert income_rules_fired(case.household_id or 0, now - timedelta(days=30), now) == set()
