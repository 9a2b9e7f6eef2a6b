"""The phone app's own reads: its tasks and notices, and the photos of a household's visits."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for, members_for
from lianbang.api.households import actor_of, require
from lianbang.cases.models import Alert, CaseStep
from lianbang.cases.selectors import cases_visible_to, inbox
from lianbang.cases.vocab import STEP_KIND_EN, AlertStatus, StepKind
from lianbang.employment import vocab
from lianbang.employment.labour import labour_q
from lianbang.employment.models import FollowUp, Wish
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


class PhoneEmploymentOut(Schema):
    as_of: str
    labour: list[int]
    wishes: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    choices: dict[str, list[list[str]]]


FOLLOW_UP_DAYS = 14


@router.get("/mobile/employment", response=PhoneEmploymentOut)
def employment(request: HttpRequest) -> dict[str, Any]:
    """What the phone's 就业意愿 and 回访 forms need, for the caller's households: who is labour,
    their current wishes, follow-ups due within 14 days, and the choices of each list."""
    require(request, Permission.EMPLOYMENT_VIEW)
    today = timezone.localdate()
    members = members_for(request.user, Permission.EMPLOYMENT_VIEW).filter(
        household__in=households_for(request.user)
    )
    labour = list(members.filter(labour_q(today)).values_list("pk", flat=True)[:2000])
    wishes = Wish.objects.filter(member__in=members.values("pk"))[:2000]
    due = (
        FollowUp.objects.filter(
            placement__member__in=members.values("pk"),
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=FOLLOW_UP_DAYS),
        )
        .select_related("placement")
        .order_by("due_on")[:500]
    )
    return {
        "as_of": today.isoformat(),
        "labour": labour,
        "wishes": [_wish(w) for w in wishes],
        "follow_ups": [_due(f, today) for f in due],
        "choices": {
            "job_types": _choices(vocab.JobType),
            "places": _choices(vocab.Place),
            "constraints": _choices(vocab.Constraint),
            "methods": _choices(vocab.FollowUpMethod),
        },
    }


def _wish(wish: Wish) -> dict[str, Any]:
    return {
        "member_id": wish.member_id,
        "seeking": wish.seeking,
        "job_types": wish.job_types,
        "places": wish.places,
        "min_wage": str(wish.min_wage) if wish.min_wage is not None else None,
        "wants_training": wish.wants_training,
        "training_types": wish.training_types,
        "constraints": wish.constraints,
        "note": wish.note,
        "recorded_on": wish.recorded_on.isoformat(),
    }


def _due(follow_up: FollowUp, today: Any) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "member_id": follow_up.placement.member_id,
        "employer": follow_up.placement.employer,
        "due_on": follow_up.due_on.isoformat(),
        "overdue": follow_up.due_on < today,
    }


def _choices(choices: Any) -> list[list[str]]:
    return [[str(value), str(label)] for value, label in choices.choices]
