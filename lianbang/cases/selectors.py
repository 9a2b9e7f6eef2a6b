"""Reads: cases a user may see, a case's timeline, the inbox, dead letters, the 公示 list."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from lianbang.accounts.models import Permission, Role
from lianbang.accounts.scope import grants_with, households_for
from lianbang.cases.models import Case, CaseEvent, Notification, OutboxMessage
from lianbang.cases.vocab import OutboxStatus
from lianbang.org.models import Unit, path_prefix_q


def cases_in_unit(unit: Unit) -> QuerySet[Case]:
    """Every matter of the unit's subtree (one index range scan on the unit path)."""
    return Case.objects.filter(path_prefix_q(unit.path, "unit__path"))


# Roles that see every matter of their unit's subtree, including those of no household (企业诉求).
_HOUSEHOLD_BOUND_ROLES = frozenset({Role.GRID_WORKER, Role.HELPER, Role.DEPARTMENT})


def cases_visible_to(user: Any, permission: str = Permission.HOUSEHOLD_VIEW) -> QuerySet[Case]:
    """The matters inside the user's scope (``accounts.scope``): those of the households the user
    may see, and — for unit roles — the household-less matters of their units' subtrees."""
    if user.is_superuser:
        return Case.objects.all()
    grants = grants_with(user, permission)
    if not grants:
        return Case.objects.none()
    condition = Q(household__in=households_for(user, permission).values("pk"))
    units = [
        Q(pk__isnull=False) if g.unit is None else path_prefix_q(g.unit.path, "unit__path")
        for g in grants
        if g.role not in _HOUSEHOLD_BOUND_ROLES
    ]
    if units:
        condition |= Q(household__isnull=True) & reduce(or_, units)
    return Case.objects.filter(condition)


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
