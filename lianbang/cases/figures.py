"""Figures for the dashboards, for one unit's subtree (path prefix): the board at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, QuerySet

from lianbang.cases.clock import current, month_start
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case, CaseStep
from lianbang.cases.selectors import cases_in_unit
from lianbang.cases.vocab import CaseKind, StepKind
from lianbang.monitoring.models import LightChange
from lianbang.org.models import Unit, path_prefix_q


@dataclass(frozen=True)
class CaseFigures:
    open_by_state_and_level: dict[tuple[str, str, str], int]  # (kind, state, level) → cases
    overdue_cases: int
    overdue_steps: int
    median_hours_to_first_visit: float | None
    steps_within_deadline: float | None  # share, 0–1
    eliminated_this_month: int
    relapses: int


def case_figures(*, unit: Unit, now: datetime | None = None) -> CaseFigures:
    moment = current(now)
    cases = cases_in_unit(unit)
    steps = CaseStep.objects.filter(path_prefix_q(unit.path, "case__unit__path"))
    overdue = _overdue_steps(steps, moment)
    return CaseFigures(
        open_by_state_and_level=open_by_state_and_level(cases),
        overdue_cases=overdue.values("case_id").distinct().count(),
        overdue_steps=overdue.count(),
        median_hours_to_first_visit=median_hours_to_first_visit(steps),
        steps_within_deadline=steps_within_deadline(steps, moment),
        eliminated_this_month=eliminated_between(cases, month_start(moment), moment),
        relapses=relapses(cases, moment),
    )


def open_by_state_and_level(cases: QuerySet[Case]) -> dict[tuple[str, str, str], int]:
    rows = cases.filter(closed_at__isnull=True).values("kind", "state", "level").annotate(n=Count("pk"))
    return {(r["kind"], r["state"], r["level"]): r["n"] for r in rows}


def _overdue_steps(steps: QuerySet[CaseStep], now: datetime) -> QuerySet[CaseStep]:
    return steps.filter(
        done_at__isnull=True, cancelled_at__isnull=True, due_at__lt=now, case__closed_at__isnull=True
    )


def median_hours_to_first_visit(steps: QuerySet[CaseStep]) -> float | None:
    """From the case's opening to its first visit, over the cases visited so far."""
    rows = steps.filter(kind=StepKind.FIRST_VISIT, done_at__isnull=False).values_list(
        "done_at", "case__opened_at"
    )
    hours = [(done - opened).total_seconds() / 3600 for done, opened in rows if done is not None]
    return round(median(hours), 1) if hours else None


def steps_within_deadline(steps: QuerySet[CaseStep], now: datetime) -> float | None:
    """Steps done by their deadline, out of the steps decided so far: done, or open past due."""
    done = steps.filter(done_at__isnull=False)
    on_time = done.filter(done_at__lte=F("due_at")).count()
    decided = done.count() + _overdue_steps(steps, now).count()
    return round(on_time / decided, 4) if decided else None


def eliminated_between(cases: QuerySet[Case], start: datetime, end: datetime) -> int:
    return cases.filter(
        kind=CaseKind.RISK, state="eliminated", closed_at__gte=start, closed_at__lte=end
    ).count()


def relapses(cases: QuerySet[Case], now: datetime) -> int:
    """Eliminated cases whose household came back within the observation period (12 months):
    a rule lit its light red or yellow again, or a person's report opened a new case. A light
    only held up by a case's floor (no rule firing) is not a relapse."""
    months = workflow_settings().relapse_months
    until = ExpressionWrapper(
        OuterRef("closed_at") + timedelta(days=round(months * 30.44)), output_field=DateTimeField()
    )
    lit_again = LightChange.objects.filter(
        household_id=OuterRef("household_id"),
        to_color__in=["red", "yellow"],
        rules__0__isnull=False,
        changed_at__gt=OuterRef("closed_at"),
        changed_at__lte=until,
    )
    reopened = Case.objects.filter(relapse_of_id=OuterRef("pk"))
    eliminated = cases.filter(kind=CaseKind.RISK, state="eliminated", closed_at__lte=now)
    return eliminated.filter(Exists(lit_again) | Exists(reopened)).count()
