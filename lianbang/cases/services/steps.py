"""Deadlines: which steps a case has open, when each is due, and marking them done."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db.models import QuerySet

from lianbang.cases.clock import end_of_day
from lianbang.cases.conf import visit_deadline
from lianbang.cases.models import Case, CaseStep, EnterpriseIssue, WorkflowSettings
from lianbang.cases.vocab import Level, StepKind

S = StepKind

_PERIODS: dict[str, Callable[[WorkflowSettings, Case], timedelta]] = {
    S.FIRST_VISIT: lambda c, case: visit_deadline(c, case.level),
    S.MEASURES: lambda c, case: timedelta(hours=c.red_measures_hours),
    S.IDENTIFICATION: lambda c, case: timedelta(days=c.identification_days),
    S.FOLLOW_UP: lambda c, case: timedelta(days=c.follow_up_days),
    S.ELIMINATION_REVIEW: lambda c, case: timedelta(days=c.elimination_review_days),
    S.REPLY: lambda c, case: timedelta(days=c.request_reply_days),
    S.MEDIATION: lambda c, case: timedelta(days=c.dispute_days),
    S.RESOLUTION: lambda c, case: timedelta(days=c.enterprise_days),
}


def due_at(config: WorkflowSettings, case: Case, kind: str, start: datetime) -> datetime:
    """When a step started at ``start`` is due; an enterprise issue carries its own deadline."""
    if kind == S.RESOLUTION:
        issue = EnterpriseIssue.objects.filter(case_id=case.pk).first()
        if issue is not None:
            return end_of_day(issue.deadline)
    return start + _PERIODS[kind](config, case)


def applies(case: Case, kind: str) -> bool:
    """Measures within 72 h are a red case's deadline only (DOMAIN §5)."""
    return kind != S.MEASURES or case.level == Level.RED


def new_steps(config: WorkflowSettings, case: Case, kinds: Iterable[str], start: datetime) -> list[CaseStep]:
    return [
        CaseStep(
            case=case,
            kind=kind,
            started_at=start,
            due_at=due_at(config, case, kind, start),
            region_code=case.region_code,
        )
        for kind in kinds
        if applies(case, kind)
    ]


def open_steps(case: Case) -> list[CaseStep]:
    return list(case.steps.filter(done_at__isnull=True, cancelled_at__isnull=True))


def steps_open(config: WorkflowSettings, case: Case, kinds: Iterable[str], now: datetime) -> None:
    held = {step.kind for step in open_steps(case)}
    CaseStep.objects.bulk_create(new_steps(config, case, [k for k in kinds if k not in held], now))


def steps_complete(case: Case, kinds: Iterable[str], now: datetime) -> int:
    return _open(case, kinds).update(done_at=now)


def steps_cancel(case: Case, kinds: Iterable[str] | None, now: datetime) -> int:
    return _open(case, kinds).update(cancelled_at=now)


def _open(case: Case, kinds: Iterable[str] | None) -> QuerySet[CaseStep]:
    steps = CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True)
    return steps if kinds is None else steps.filter(kind__in=list(kinds))
