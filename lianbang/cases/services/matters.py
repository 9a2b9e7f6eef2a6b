"""Registering the other matters (群众诉求, 矛盾纠纷, 企业诉求): they then run through the same
engine (``case_transition``) with their own state machines and fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction

from lianbang.cases.clock import current
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case, CaseStep, Dispute, EnterpriseIssue, ResidentRequest
from lianbang.cases.permissions import (
    ACTION_NAMES,
    ACTION_ROLES,
    check,
    subject_of_household,
    subject_of_unit,
)
from lianbang.cases.services.notify import Note, notifications_send, officials_at
from lianbang.cases.services.steps import new_steps
from lianbang.cases.services.timeline import event_add
from lianbang.cases.vocab import CASE_KIND_EN, CaseKind, Channel, EventType, NotificationKind
from lianbang.cases.workflow import workflow_of
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.common.validators import InvalidValue, normalize_credit_code
from lianbang.org.models import Unit
from lianbang.registry.models import Household


@dataclass(frozen=True)
class _Matter:
    kind: str
    unit: Unit
    household: Household | None
    title: str
    summary: str
    channel: str
    action: str = "open_matter"


@transaction.atomic
def request_register(
    *,
    actor: Any,
    requester_name: str,
    content: str,
    household: Household | None = None,
    unit: Unit | None = None,
    channel: str = Channel.SELF_DECLARED,
    now: datetime | None = None,
) -> Case:
    """群众诉求: who asks, what for; to be answered within the configured days."""
    _required({"requester_name": (requester_name, "诉求人"), "content": (content, "诉求内容")})
    matter = _Matter(
        CaseKind.REQUEST,
        _unit_of(household, unit),
        household,
        f"群众诉求：{content.strip()[:40]}",
        content.strip(),
        channel,
    )
    return _open(
        matter,
        actor,
        current(now),
        lambda case: ResidentRequest.objects.create(
            case=case, requester_name=requester_name.strip()[:50], content=content.strip()
        ),
    )


@transaction.atomic
def dispute_register(
    *,
    actor: Any,
    category: str,
    parties: list[dict[str, str]],
    summary: str,
    unit: Unit | None = None,
    household: Household | None = None,
    now: datetime | None = None,
) -> Case:
    """矛盾纠纷: its kind, at least two parties (name and side), what it is about."""
    _required({"category": (category, "纠纷类别"), "summary": (summary, "纠纷情况")})
    cleaned = _parties(parties)
    matter = _Matter(
        CaseKind.DISPUTE,
        _unit_of(household, unit),
        household,
        f"矛盾纠纷：{category.strip()[:20]}（{'、'.join(p['name'] for p in cleaned)[:60]}）",
        summary.strip(),
        Channel.GRID_WORKER,
    )
    return _open(
        matter,
        actor,
        current(now),
        lambda case: Dispute.objects.create(case=case, category=category.strip()[:50], parties=cleaned),
    )


@transaction.atomic
def enterprise_issue_register(
    *,
    actor: Any,
    unit: Unit,
    enterprise_name: str,
    credit_code: str,
    meeting_date: date,
    issue: str,
    team: str,
    deadline: date | None = None,
    now: datetime | None = None,
) -> Case:
    """企业诉求 from the weekly government–enterprise meeting: the enterprise (统一社会信用代码),
    its difficulty, the team that answers for it and the deadline set at the meeting."""
    _required(
        {
            "enterprise_name": (enterprise_name, "企业名称"),
            "issue": (issue, "困难诉求"),
            "team": (team, "责任专班"),
        }
    )
    code = _credit_code(credit_code)
    due = deadline or _default_deadline(meeting_date)
    if due < meeting_date:
        raise invalid(
            "deadline", due.isoformat(), "办结期限不能早于会议日期", "the deadline is before the meeting"
        )
    matter = _Matter(
        CaseKind.ENTERPRISE,
        unit,
        None,
        f"企业诉求：{enterprise_name.strip()[:60]}",
        issue.strip(),
        Channel.MEETING,
        "open_enterprise_issue",
    )
    return _open(
        matter,
        actor,
        current(now),
        lambda case: EnterpriseIssue.objects.create(
            case=case,
            enterprise_name=enterprise_name.strip()[:150],
            credit_code=code,
            meeting_date=meeting_date,
            issue=issue.strip(),
            team=team.strip()[:100],
            deadline=due,
        ),
    )


def _default_deadline(meeting_date: date) -> date:
    from datetime import timedelta

    return meeting_date + timedelta(days=workflow_settings().enterprise_days)


def _open(matter: _Matter, actor: Any, now: datetime, detail: Callable[[Case], object]) -> Case:
    subject = subject_of_household(matter.household) if matter.household else subject_of_unit(matter.unit)
    check(actor, subject, ACTION_ROLES[matter.action], ACTION_NAMES[matter.action])
    flow = workflow_of(matter.kind)
    household = matter.household
    case = Case.objects.create(
        kind=matter.kind,
        state=flow.initial,
        household=household,
        unit=matter.unit,
        handling_unit=matter.unit,
        assignee_id=household.grid.worker_id if household and household.grid else None,
        channel=matter.channel,
        title=matter.title[:200],
        summary=matter.summary,
        opened_at=now,
        region_code=matter.unit.region_code,
        created_by=actor,
    )
    detail(case)
    CaseStep.objects.bulk_create(new_steps(workflow_settings(), case, flow.opening_steps, now))
    event_add(case, EventType.OPENED, now, actor=actor, to_state=case.state)
    notifications_send(_assigned(case), now)
    return case


def _assigned(case: Case) -> list[Note]:
    users = [case.assignee_id] if case.assignee_id else officials_at([case.unit_id]).get(case.unit_id, [])
    kind_en = CASE_KIND_EN[CaseKind(case.kind)]
    return [
        Note(
            user,
            NotificationKind.ASSIGNED,
            case,
            f"新{case.get_kind_display()}：{case.title}",
            f"new {kind_en} #{case.pk}",
        )
        for user in users
    ]


def _unit_of(household: Household | None, unit: Unit | None) -> Unit:
    if household is not None:
        return household.unit
    if unit is None:
        raise invalid("unit", None, "须指明所属单位或户", "give the unit or the household")
    return unit


def _required(fields: dict[str, tuple[str, str]]) -> None:
    problems = [
        FieldProblem(key, value, f"须填写{name}", f"{key} is required")
        for key, (value, name) in fields.items()
        if not str(value or "").strip()
    ]
    if problems:
        raise ApplicationError("invalid", "信息不完整", "required fields are missing", problems)


def _parties(parties: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = [
        {"name": str(p.get("name", "")).strip()[:50], "side": str(p.get("side", "")).strip()[:50]}
        for p in parties
        if str(p.get("name", "")).strip()
    ]
    if len(cleaned) < 2:
        raise invalid("parties", parties, "纠纷须至少有两方当事人", "a dispute has at least two parties")
    return cleaned


def _credit_code(raw: str) -> str:
    try:
        return normalize_credit_code(raw)
    except InvalidValue as exc:
        raise invalid(
            "credit_code", raw, f"统一社会信用代码{exc.reason.zh}", f"credit code {exc.reason.en}"
        ) from exc
