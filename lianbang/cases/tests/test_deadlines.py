"""Deadlines (DOMAIN §5), reminders, overdue steps and escalation to the next level up."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import CaseStep, Notification
from lianbang.cases.services.deadlines import cases_tick
from lianbang.cases.tests.conftest import Cast, Opener, family, later, visit


def test_an_overdue_first_visit_escalates_to_the_branch_and_then_to_the_area(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    first = cases_tick(now=later(case, hours=25), deliver=False)
    case.refresh_from_db()
    assert (first.overdue, first.escalated) == (1, 1)
    assert (case.handling_unit, case.escalations) == (cast.tree.branch, 1)

    assert cases_tick(now=later(case, hours=30), deliver=False).escalated == 0
    second = cases_tick(now=later(case, hours=49, minutes=1), deliver=False)
    case.refresh_from_db()
    assert (second.overdue, second.escalated) == (0, 1)
    assert (case.handling_unit, case.escalations) == (cast.tree.area, 2)

    step = CaseStep.objects.get(case=case, kind="first_visit")
    assert (step.escalations, step.overdue_at) == (2, later(case, hours=25))
    assert [e.type for e in case.events.filter(type__in=["overdue", "escalated"])] == [
        "overdue",
        "escalated",
        "escalated",
    ]
    assert Notification.objects.get(user=cast.grid_worker, kind="overdue").step == step
    assert Notification.objects.get(user=cast.branch_secretary, kind="escalated").case == case
    assert Notification.objects.get(user=cast.area_leader, kind="escalated").case == case


def test_a_step_done_in_time_neither_goes_overdue_nor_escalates(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    visit(case, cast.grid_worker, later(case, hours=20))
    report = cases_tick(now=later(case, hours=30), deliver=False)
    case.refresh_from_db()
    assert (report.overdue, case.escalations, case.handling_unit) == (0, 0, cast.tree.floor_group)


def test_a_reminder_goes_out_once_before_the_deadline(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    assert cases_tick(now=later(case, hours=13), deliver=False).due_soon == 1
    assert cases_tick(now=later(case, hours=14), deliver=False).due_soon == 0
    note = Notification.objects.get(kind="due_soon")
    assert (note.user, note.step.kind) == (cast.grid_worker, "first_visit")


def test_deadlines_follow_the_settings(cast: Cast, open_case: Opener) -> None:
    config = workflow_settings()
    config.red_visit_hours, config.identification_days = 12, 10
    config.save()
    case = open_case(family(water_safe=False))
    due = {s.kind: (s.due_at - case.opened_at).total_seconds() / 3600 for s in case.steps.all()}
    assert (due["first_visit"], due["identification"]) == (12, 240)


def test_the_tick_command_reports_what_it_did(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    out = StringIO()
    call_command("tick", "--now", later(case, hours=25).isoformat(), "--no-deliver", stdout=out)
    assert "超时 1" in out.getvalue() and "escalated 1" in out.getvalue()
