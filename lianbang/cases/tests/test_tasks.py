"""Celery beat runs the tick and the outbox: the schedule names real tasks, and the tick task
does what ``lianbang tick`` does (run eagerly here)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lianbang.audit.models import AuditEntry
from lianbang.cases.models import Case, CaseEvent, CaseStep
from lianbang.cases.tasks import OUTBOX_TASK, TICK_TASK, deliver_outbox, tick
from lianbang.cases.tests.conftest import Cast, Opener, family
from lianbang.celery import app


def test_the_beat_schedule_names_the_registered_tasks() -> None:
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {TICK_TASK, OUTBOX_TASK}
    assert all(entry["task"] in app.tasks for entry in schedule.values())
    assert schedule["cases-tick"]["schedule"] == float(settings.LIANBANG_TICK_SECONDS)


def test_the_tick_task_marks_overdue_steps_and_escalates(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    CaseStep.objects.filter(case=case, kind="first_visit").update(due_at=timezone.now() - timedelta(hours=1))

    summary = tick.apply().get()

    assert "超时 1" in summary and "escalated 1" in summary
    case.refresh_from_db()
    assert (case.handling_unit, case.escalations) == (cast.tree.branch, 1)
    assert CaseEvent.objects.filter(case=case, type="escalated").exists()
    escalation = AuditEntry.objects.get(action="case.escalated", object_id=str(case.pk))
    assert escalation.actor_id is None and escalation.changes["payload"]["to_unit"] == cast.tree.branch.pk
    assert Case.objects.get(pk=case.pk).version == case.version  # escalation is not a state change


def test_the_outbox_task_delivers(cast: Cast) -> None:
    assert deliver_outbox.apply().get() == "sent 0, retrying 0, dead 0"
