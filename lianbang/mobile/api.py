"""The phone app's own reads: its tasks and notices, and the photos of a household's visits."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for
from lianbang.api.households import actor_of, require
from lianbang.cases.models import Alert, CaseStep
from lianbang.cases.selectors import cases_visible_to, inbox
from lianbang.cases.vocab import STEP_KIND_EN, AlertStatus, StepKind
from lianbang.mobile.models import VisitPhoto

router = Router(tags=["phone"])
LIMIT = 100


class PhoneTasksOut(Schema):
    steps: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    notices: list[dict[str, Any]]


class PhotoOut(Schema):
    visit_id: int
    visited_at: str
    content_type: str
    size: int
    data_url: str


@router.get("/mobile/tasks", response=PhoneTasksOut)
def tasks(request: HttpRequest) -> dict[str, Any]:
    """Open case steps of the caller's matters (theirs first), open alerts, unread notices."""
    require(request, Permission.HOUSEHOLD_VIEW)
    user = actor_of(request)
    steps = (
        CaseStep.objects.filter(
            case__in=cases_visible_to(user), done_at__isnull=True, cancelled_at__isnull=True
        )
        .select_related("case__household")
        .order_by("due_at")[:LIMIT]
    )
    alerts = (
        Alert.objects.filter(household__in=households_for(user), status=AlertStatus.OPEN)
        .select_related("household")
        .order_by("-raised_at")[:LIMIT]
    )
    now = timezone.now()
    return {
        "steps": [_step(step, user.pk, now) for step in steps],
        "alerts": [_alert(alert) for alert in alerts],
        "notices": [_notice(n) for n in inbox(user, unread_only=True)[:LIMIT]],
    }


def _step(step: CaseStep, user_id: int, now: Any) -> dict[str, Any]:
    case = step.case
    return {
        "id": step.pk,
        "kind": step.kind,
        "label": StepKind(step.kind).label,
        "label_en": STEP_KIND_EN.get(StepKind(step.kind), step.kind),
        "due_at": step.due_at.isoformat(),
        "overdue": step.due_at < now,
        "mine": case.assignee_id == user_id,
        "case_id": case.pk,
        "case_title": case.title,
        "household_id": case.household_id,
        "household_no": case.household.household_no if case.household else "",
    }


def _alert(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "household_id": alert.household_id,
        "household_no": alert.household.household_no,
        "risk_type": alert.risk_type,
        "level": alert.level,
        "channel": alert.channel,
        "raised_at": alert.raised_at.isoformat(),
    }


def _notice(notice: Any) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "message": notice.message,
        "message_en": notice.message_en,
        "created_at": notice.created_at.isoformat(),
        "case_id": notice.case_id,
    }


@router.get("/households/{household_id}/visit-photos", response=list[PhotoOut])
def visit_photos(request: HttpRequest, household_id: int) -> list[dict[str, Any]]:
    """The photos of the household's latest visits (at most 20), as data URLs."""
    household = get_object_or_404(households_for(request.user), pk=household_id)
    rows = (
        VisitPhoto.objects.filter(visit__household=household)
        .select_related("visit")
        .order_by("-visit__visited_at")[:20]
    )
    return [
        {
            "visit_id": p.visit_id,
            "visited_at": p.visit.visited_at.isoformat(),
            "content_type": p.content_type,
            "size": p.size,
            "data_url": f"data:{p.content_type};base64,{base64.b64encode(bytes(p.data)).decode()}",
        }
        for p in rows
    ]
