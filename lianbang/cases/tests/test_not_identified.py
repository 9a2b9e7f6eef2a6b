"""Cases that end as 不予认定: after the visit, or refused at a level of identification."""

from __future__ import annotations

import pytest

from lianbang.cases.models import Alert, CaseStep
from lianbang.cases.tests.conftest import Cast, Opener, act, family, later, visit
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.models import HouseholdLight


def jobless_family() -> dict[str, object]:
    """Both adults able to work and none employed: 零就业家庭, a yellow light."""
    document = family()
    for member in document["members"]:
        member.pop("employment", None)
    return document


def test_a_visit_that_finds_no_risk_ends_as_not_identified_with_its_reason(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(jobless_family())
    assert (case.level, case.risk_types) == ("yellow", ["employment"])
    visit(case, cast.grid_worker, later(case, hours=30), findings="两人均在本地帮扶车间上班，台账未更新")
    act(
        case, "not_identified", cast.community, later(case, hours=40), reason="核实两人均已就业，登记信息有误"
    )

    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("not_identified", "核实两人均已就业，登记信息有误")
    assert case.closed_at == later(case, hours=40)
    assert not Alert.objects.filter(case=case, status="open").exists()
    assert not CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True).exists()
    light = HouseholdLight.objects.get(household=case.household)
    assert (light.floor_color, light.color) == ("green", "yellow")  # released; the rules still say yellow


def test_a_level_of_identification_can_refuse_it_with_a_reason(cast: Cast, open_case: Opener) -> None:
    case = open_case(jobless_family())
    visit(case, cast.grid_worker, later(case, hours=2))
    act(case, "submit", cast.grid_worker, later(case, hours=3))
    act(case, "reject", cast.community, later(case, days=2), reason="民主评议：家庭有稳定经营收入")
    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("not_identified", "民主评议：家庭有稳定经营收入")
    event = case.events.get(action="reject")
    assert event.payload["level"] == "democratic_review"


def test_not_identified_without_a_reason_is_refused_and_changes_nothing(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(jobless_family())
    visit(case, cast.grid_worker, later(case, hours=2))
    case.refresh_from_db()
    version = case.version
    with pytest.raises(ApplicationError) as caught:
        act(case, "not_identified", cast.community, later(case, hours=3), reason="  ")
    assert (caught.value.status, caught.value.problems[0].path) == (400, "reason")
    assert "理由" in caught.value.message and "reason" in caught.value.message_en
    case.refresh_from_db()
    assert (case.state, case.version) == ("verifying", version)
