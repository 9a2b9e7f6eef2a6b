"""Reads: cases a user may see, a case's timeline, the inbox, dead letters, the 公示 list."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from lianbang.accounts.models import Assignment, Role
from lianbang.cases.models import Case, CaseEvent, Notification, OutboxMessage
from lianbang.cases.vocab import OutboxStatus
from lianbang.org.models import Unit, path_prefix_q


def cases_in_unit(unit: Unit) -> QuerySet[Case]:
    """Every matter of the unit's subtree (one index range scan on the unit path)."""
    return Case.objects.filter(path_prefix_q(unit.path, "unit__path"))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The matters inside the user's scope: their units' subtrees, or their grids' households."""
    if user.is_superuser:
        return Case.objects.all()
    parts = [_grant_q(user, role, path) for role, path in _grants(user)]
    condition = reduce(or_, parts) if parts else None
    return Case.objects.filter(condition) if condition is not None else Case.objects.none()


def _grants(user: Any) -> list[tuple[str, str]]:
    return list(Assignment.objects.filter(user=user).values_list("role", "unit__path"))


def _grant_q(user: Any, role: str, path: str) -> Q:
    if role == Role.GRID_WORKER:
        return Q(household__grid__worker=user)
    if role == Role.HELPER:
        return Q(pk__in=[])
    return path_prefix_q(path, "unit__path")


def case_list(user: Any, *, state: str | None = None, kind: str | None = None) -> QuerySet[Case]:
    cases = cases_visible_to(user).select_related("household", "unit", "handling_unit", "assignee")
    if state:
        cases = cases.filter(state=state)
    if kind:
        cases = cases.filter(kind=kind)
    return cases.order_by("-opened_at", "-pk")


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user).select_related("case")
    return rows.filter(read_at__isnull=True) if unread_only else rows


def dead_letters() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(status=OutboxStatus.DEAD).order_by("-next_attempt_at")


def cases_in_publicity(unit: Unit) -> list[Case]:
    """Risk cases whose identification awaits the end of the public notice (公示)."""
    candidates = (
        cases_in_unit(unit)
        .filter(kind="risk", state="identification", publicity_started_at__isnull=False)
        .select_related("household__building", "unit")
        .order_by("household__household_no")
    )
    return [c for c in candidates if c.approval_levels[c.approval_stage] == "publicity"]
