"""A red case from the alert to its elimination, and the light that goes with it."""

from __future__ import annotations

import pytest

from lianbang.cases.models import Alert, Case, CaseStep, Notification
from lianbang.cases.services.records import case_record_visit
from lianbang.cases.tests.conftest import Cast, Opener, act, family, later, measure, save
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.models import HouseholdLight


def test_unsafe_water_opens_a_red_case_assigned_to_the_grid_worker_with_its_deadlines(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    assert (case.kind, case.state, case.level, case.channel) == ("risk", "discovered", "red", "system")
    assert case.risk_types == ["water"]
    assert case.assignee == cast.grid_worker and case.handling_unit == cast.tree.floor_group
    due = {s.kind: s.due_at - case.opened_at for s in CaseStep.objects.filter(case=case)}
    assert {k: v.total_seconds() / 3600 for k, v in due.items()} == {
        "first_visit": 24,
        "measures": 72,
        "identification": 15 * 24,
    }
    assert Alert.objects.get(case=case).risk_type == "三保障/饮水"
    assert Notification.objects.get(user=cast.grid_worker).kind == "assigned"
    assert HouseholdLight.objects.get(household=case.household).floor_color == "red"


def test_a_red_case_walks_from_the_alert_to_elimination(cast: Cast, open_case: Opener) -> None:
    document = family(water_safe=False)
    case = open_case(document)
    case_record_visit(
        case_id=case.pk,
        actor=cast.grid_worker,
        expected_version=case.version,
        findings="自来水管损坏，需维修",
        now=later(case, hours=5),
    )
    measure(case, cast.community, "饮水安全保障", later(case, hours=10))
    act(case, "submit", cast.grid_worker, later(case, hours=20))
    act(case, "approve", cast.community, later(case, days=1))
    with pytest.raises(ApplicationError) as early:
        act(case, "approve", cast.community, later(case, days=3))
    assert early.value.problems[0].path == "publicity"
    act(case, "approve", cast.community, later(case, days=6, hours=1))
    act(case, "approve", cast.street, later(case, days=8))
    act(case, "approve", cast.district, later(case, days=10))
    case.refresh_from_db()
    assert case.state == "assistance"

    with pytest.raises(ApplicationError) as refused:
        act(case, "start_tracking", cast.community, later(case, days=11))
    assert [p.path for p in refused.value.problems] == ["measures"]
    measure(case, cast.community, "employment", later(case, days=11))
    act(case, "start_tracking", cast.community, later(case, days=12))

    document["water_safe"] = True
    save(document)  # the water is repaired: no rule fires, but the open case holds the light
    light = HouseholdLight.objects.get(household=case.household)
    assert (light.color, light.rules) == ("red", [])

    case_record_visit(
        case_id=case.pk,
        actor=cast.grid_worker,
        expected_version=Case.objects.get(pk=case.pk).version,
        findings="回访：用水正常，两人在昆明务工",
        now=later(case, days=40),
    )
    act(case, "request_elimination", cast.community, later(case, days=215))
    act(case, "pass_review", cast.street, later(case, days=218))
    act(case, "approve_elimination", cast.district, later(case, days=220))

    case.refresh_from_db()
    assert (case.state, case.elimination_kind, case.closed_at) == (
        "eliminated",
        "assisted",
        later(case, days=220),
    )
    light = HouseholdLight.objects.get(household=case.household)
    assert (light.color, light.floor_color) == ("green", "green")
    assert not Alert.objects.filter(case=case, status="open").exists()
    assert not CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True).exists()
    actions = [e.action if e.type == "transition" else e.type for e in case.events.order_by("at", "pk")]
    assert actions == [
        "opened",
        "visit",
        "verify",
        "measure",
        "submit",
        "approve",
        "refused",
        "approve",
        "approve",
        "approve",
        "refused",
        "measure",
        "start_tracking",
        "visit",
        "request_elimination",
        "pass_review",
        "approve_elimination",
    ]
