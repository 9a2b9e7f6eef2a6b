"""The periodic job (``lianbang tick``; Celery beat in production): reminders, overdue steps,
escalation to the next unit up, cases for alerts left pending, and outbox delivery.

Several ticks may run at once: every step is claimed with a conditional UPDATE, so only one of
them marks it overdue or escalates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from lianbang.cases.clock import current
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case, CaseStep, WorkflowSettings
from lianbang.cases.services.delivery import DeliveryReport, outbox_deliver
from lianbang.cases.services.notify import Note, due_text, notifications_send, officials_at, step_label
from lianbang.cases.services.opening import cases_open_pending
from lianbang.cases.services.timeline import event_add
from lianbang.cases.vocab import EventType, NotificationKind

BATCH = 1000


@dataclass
class TickReport:
    opened: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def summary(self) -> str:
        d = self.delivery
        return (
            f"立案 {self.opened}，到期提醒 {self.due_soon}，超时 {self.overdue}，上报 {self.escalated}，"
            f"推送成功 {d.sent}、待重试 {d.failed}、死信 {d.dead} "
            f"(opened {self.opened}, due soon {self.due_soon}, overdue {self.overdue}, "
            f"escalated {self.escalated}, sent {d.sent}, retrying {d.failed}, dead {d.dead})"
        )


def cases_tick(*, now: datetime | None = None, deliver: bool = True) -> TickReport:
    moment = current(now)
    config = workflow_settings()
    report = TickReport(opened=cases_open_pending(now=moment))
    report.due_soon = steps_remind_due_soon(now=moment, config=config)
    report.overdue, report.escalated = steps_mark_overdue(now=moment, config=config)
    report.escalated += steps_escalate_again(now=moment, config=config)
    if deliver:
        report.delivery = outbox_deliver(now=moment)
    return report


def steps_remind_due_soon(*, now: datetime, config: WorkflowSettings) -> int:
    """One reminder per step and person, ``due_soon_hours`` before the deadline."""
    soon = now + timedelta(hours=config.due_soon_hours)
    steps = list(
        CaseStep.objects.filter(
            done_at__isnull=True,
            cancelled_at__isnull=True,
            case__closed_at__isnull=True,
            due_at__gt=now,
            due_at__lte=soon,
        ).select_related("case")[:BATCH]
    )
    responsible = _responsible([s.case for s in steps])
    notes = [_due_soon(user, step) for step in steps for user in responsible[step.case_id]]
    return len(notifications_send(notes, now))


def _responsible(cases: list[Case]) -> dict[int, list[int]]:
    """Per case: its assignee, else the officials of its handling unit (one query for all)."""
    officials = officials_at(c.handling_unit_id for c in cases if c.assignee_id is None)
    return {c.pk: [c.assignee_id] if c.assignee_id else officials.get(c.handling_unit_id, []) for c in cases}


def _due_soon(user_id: int, step: CaseStep) -> Note:
    zh, en = step_label(step.kind)
    return Note(
        user_id,
        NotificationKind.DUE_SOON,
        step.case,
        f"「{step.case.title}」的{zh}将于{due_text(step.due_at)}到期",
        f"{en} of matter #{step.case_id} is due at {due_text(step.due_at)}",
        step,
    )


def steps_mark_overdue(*, now: datetime, config: WorkflowSettings) -> tuple[int, int]:
    """Steps past their deadline: marked, reported to whoever owns them, escalated one level up
    (a case escalates once per tick however many of its steps fell due)."""
    due = CaseStep.objects.filter(
        done_at__isnull=True,
        cancelled_at__isnull=True,
        case__closed_at__isnull=True,
        overdue_at__isnull=True,
        due_at__lte=now,
    ).order_by("due_at")
    overdue, escalated, seen = 0, 0, set()
    for step in due.select_related("case")[:BATCH]:
        with transaction.atomic():
            claimed = CaseStep.objects.filter(pk=step.pk, overdue_at__isnull=True).update(
                overdue_at=now, next_escalation_at=now + timedelta(hours=config.escalation_hours)
            )
            if not claimed:
                continue
            overdue += 1
            _overdue(step, now)
            if step.case_id not in seen:
                escalated += _escalate(step, now)
                seen.add(step.case_id)
    return overdue, escalated


def _overdue(step: CaseStep, now: datetime) -> None:
    zh, en = step_label(step.kind)
    event_add(
        step.case, EventType.OVERDUE, now, payload={"step": step.kind, "due_at": step.due_at.isoformat()}
    )
    notes = [
        Note(
            user,
            NotificationKind.OVERDUE,
            step.case,
            f"「{step.case.title}」的{zh}已超时",
            f"{en} of matter #{step.case_id} is overdue",
            step,
        )
        for user in _responsible([step.case])[step.case_id]
    ]
    notifications_send(notes, now)


def steps_escalate_again(*, now: datetime, config: WorkflowSettings) -> int:
    """Steps still not done ``escalation_hours`` after the last escalation go up another level."""
    due = CaseStep.objects.filter(
        done_at__isnull=True,
        cancelled_at__isnull=True,
        case__closed_at__isnull=True,
        overdue_at__isnull=False,
        next_escalation_at__lte=now,
    ).order_by("next_escalation_at")
    escalated = 0
    for step in due.select_related("case")[:BATCH]:
        with transaction.atomic():
            claimed = CaseStep.objects.filter(pk=step.pk, next_escalation_at=step.next_escalation_at).update(
                next_escalation_at=now + timedelta(hours=config.escalation_hours)
            )
            escalated += _escalate(step, now) if claimed else 0
    return escalated


def _escalate(step: CaseStep, now: datetime) -> int:
    """The case goes to the next unit up (its parent); its officials are told."""
    case = Case.objects.select_for_update(of=("self",)).select_related("handling_unit").get(pk=step.case_id)
    before = case.handling_unit
    target = before.parent or before
    case.handling_unit, case.escalations = target, case.escalations + 1
    case.save(update_fields=["handling_unit", "escalations"])
    CaseStep.objects.filter(pk=step.pk).update(escalations=F("escalations") + 1)
    event_add(
        case,
        EventType.ESCALATED,
        now,
        payload={
            "step": step.kind,
            "from_unit": before.pk,
            "to_unit": target.pk,
            "to_unit_name": target.name,
        },
    )
    zh, en = step_label(step.kind)
    notes = [
        Note(
            user,
            NotificationKind.ESCALATED,
            case,
            f"「{case.title}」的{zh}超时未办，已上报至{target.name}",
            f"{en} of matter #{case.pk} is overdue and was escalated to {target.name}",
            step,
        )
        for user in officials_at([target.pk]).get(target.pk, [])
    ]
    notifications_send(notes, now)
    return 1
