"""Who may act on a case: role (by level) and scope (unit subtree, or the grid worker's grid)."""

from __future__ import annotations

import pytest

from lianbang.cases.conf import workflow_settings
from lianbang.cases.selectors import cases_visible_to
from lianbang.cases.services.transitions import case_transition
from lianbang.cases.tests.conftest import Cast, Opener, act, family, later, visit
from lianbang.common.errors import ApplicationError


def test_an_official_of_another_street_finds_no_such_case(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    with pytest.raises(ApplicationError) as caught:
        visit(case, cast.outsider)
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    assert case not in cases_visible_to(cast.outsider)


def test_a_grid_worker_cannot_take_a_level_of_identification(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    visit(case, cast.grid_worker, later(case, hours=1))
    act(case, "submit", cast.grid_worker, later(case, hours=2))
    with pytest.raises(ApplicationError) as caught:
        act(case, "approve", cast.grid_worker, later(case, hours=3))
    assert (caught.value.status, caught.value.code) == (403, "forbidden")
    assert "审批通过" in caught.value.message


def test_each_level_of_identification_belongs_to_its_own_level(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    visit(case, cast.grid_worker, later(case, hours=1))
    act(case, "submit", cast.grid_worker, later(case, hours=2))
    with pytest.raises(ApplicationError):
        act(case, "approve", cast.street, later(case, hours=3))  # 民主评议 is the community's
    act(case, "approve", cast.community, later(case, hours=3))
    act(case, "approve", cast.community, later(case, days=6))
    with pytest.raises(ApplicationError):
        act(case, "approve", cast.district, later(case, days=7))  # 街道审核 is the street's
    act(case, "approve", cast.street, later(case, days=7))


def test_the_approval_levels_are_configurable(cast: Cast, open_case: Opener) -> None:
    config = workflow_settings()
    config.approval_levels = ["democratic_review", "street_review"]
    config.save()
    case = open_case(family(water_safe=False))
    visit(case, cast.grid_worker, later(case, hours=1))
    act(case, "submit", cast.grid_worker, later(case, hours=2))
    act(case, "approve", cast.community, later(case, hours=3))
    act(case, "approve", cast.street, later(case, hours=4))
    case.refresh_from_db()
    assert (case.state, case.approval_levels) == ("assistance", ["democratic_review", "street_review"])


def test_an_illegal_transition_names_the_current_state_and_changes_nothing(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    with pytest.raises(ApplicationError) as caught:
        act(case, "request_elimination", cast.community, later(case, hours=1))
    assert (caught.value.status, caught.value.code) == (409, "illegal_transition")
    assert "发现" in caught.value.message and "discovered" in caught.value.message_en
    case.refresh_from_db()
    assert (case.state, case.version) == ("discovered", 1)


def test_an_unknown_action_is_refused(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    with pytest.raises(ApplicationError) as caught:
        act(case, "teleport", cast.community)
    assert caught.value.code == "unknown_action"


def test_an_action_based_on_an_old_version_conflicts_with_the_current_state(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    stale = case.version
    visit(case, cast.grid_worker, later(case, hours=1))
    with pytest.raises(ApplicationError) as caught:
        case_transition(
            case_id=case.pk,
            action="not_identified",
            actor=cast.community,
            expected_version=stale,
            data={"reason": "重复"},
            now=later(case, hours=2),
        )
    error = caught.value
    assert (error.status, error.code) == (409, "conflict")
    assert {p.path: p.value for p in error.problems} == {"state": "verifying", "version": stale + 1}
    case.refresh_from_db()
    assert case.state == "verifying"


def test_the_grid_worker_sees_the_cases_of_their_grid_and_officials_their_subtree(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    for user in (cast.grid_worker, cast.branch_secretary, cast.street, cast.district, cast.leader):
        assert list(cases_visible_to(user)) == [case]
    assert list(cases_visible_to(cast.outsider)) == []
