"""What the case endpoints answer: explicit schemas (the OpenAPI document shows them) and the
functions that render cases, matters, alerts and notifications into them.

``next_steps`` tells the console which transitions the caller may take now, each with the
fields it requires and, when it may not be taken, every reason (role, 公示 not over, the
elimination conditions that fail).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from ninja import Schema

from lianbang.cases.conf import APPROVAL_LEVELS, workflow_settings
from lianbang.cases.models import Alert, Case, CaseEvent, CaseStep, Measure, Notification
from lianbang.cases.permissions import Verdict, roles_for, subject_of_case, verdict
from lianbang.cases.services.guards import guards_run
from lianbang.cases.services.records import MEASURE_STATES
from lianbang.cases.services.transitions import FIELD_NAMES
from lianbang.cases.vocab import (
    STEP_KIND_EN,
    CaseKind,
    Channel,
    EventType,
    Level,
    MeasureType,
    NotificationKind,
    RiskType,
    StepKind,
)
from lianbang.cases.workflow import Transition, state_label, workflow_of

# The kinds as the API names them (the matters endpoints take these names).
API_KINDS = {
    CaseKind.RISK: "risk",
    CaseKind.REQUEST: "resident_request",
    CaseKind.DISPUTE: "dispute",
    CaseKind.ENTERPRISE: "enterprise_issue",
}
# Optional data a transition keeps besides its required fields.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {"request_elimination": ("elimination_kind",)}
OPTIONAL_NAMES = {"note": ("说明", "note"), "elimination_kind": ("消除方式", "elimination kind")}


class UnitRefOut(Schema):
    id: int
    name: str


class RiskTypeOut(Schema):
    code: str
    label: str


class CaseRowOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    state_label_en: str
    closed: bool
    level: str
    title: str
    household_id: int | None
    household_no: str | None
    unit: UnitRefOut
    handling_unit: UnitRefOut
    escalations: int
    assignee_id: int | None
    assignee: str | None
    channel: str
    risk_types: list[RiskTypeOut]
    opened_at: datetime
    closed_at: datetime | None
    next_due_at: datetime | None
    overdue: bool
    version: int


class CasePageOut(Schema):
    items: list[CaseRowOut]
    next_cursor: str | None


class FieldSpecOut(Schema):
    name: str
    label: str
    label_en: str
    required: bool


class ReasonOut(Schema):
    field: str
    message: str
    message_en: str


class NextStepOut(Schema):
    action: str
    name: str
    name_en: str
    target: str
    target_label: str
    fields: list[FieldSpecOut]
    allowed: bool
    reasons: list[ReasonOut]


class MeasureOut(Schema):
    id: int
    type: str
    type_label: str
    developmental: bool
    description: str
    responsible_unit: UnitRefOut | None
    responsible_name: str
    amount: str | None
    start_date: date
    end_date: date | None
    created_at: datetime
    created_by: str | None


class StepOut(Schema):
    id: int
    kind: str
    label: str
    label_en: str
    started_at: datetime
    due_at: datetime
    done_at: datetime | None
    cancelled_at: datetime | None
    overdue: bool
    escalations: int


class EventOut(Schema):
    id: int
    type: str
    type_label: str
    action: str
    from_state: str
    to_state: str
    actor: str | None
    at: datetime
    payload: dict[str, Any]


class ApprovalOut(Schema):
    code: str
    name: str
    name_en: str
    status: str  # done | awaiting | pending


class CaseDetailOut(CaseRowOut):
    summary: str
    disaster_subtype: str
    approval: list[ApprovalOut]
    publicity_started_at: datetime | None
    publicity_ends_at: datetime | None
    elimination_kind: str
    close_reason: str
    relapse_of_id: int | None
    measures: list[MeasureOut]
    steps: list[StepOut]
    events: list[EventOut]
    next_steps: list[NextStepOut]
    may: dict[str, bool]


class PartyOut(Schema):
    name: str
    side: str


class SessionOut(Schema):
    id: int
    held_at: datetime
    mediator: str
    summary: str


class RequestDetailOut(Schema):
    requester_name: str
    content: str
    reply: str
    satisfaction: str


class DisputeDetailOut(Schema):
    category: str
    parties: list[PartyOut]
    agreement: str
    outcome: str
    sessions: list[SessionOut]


class EnterpriseDetailOut(Schema):
    enterprise_name: str
    credit_code: str
    meeting_date: date
    issue: str
    team: str
    deadline: date
    resolution: str


class MatterDetailOut(CaseDetailOut):
    request: RequestDetailOut | None
    dispute: DisputeDetailOut | None
    enterprise: EnterpriseDetailOut | None


class AlertOut(Schema):
    id: int
    household_id: int
    household_no: str
    unit_id: int
    risk_type: str
    level: str
    channel: str
    channel_label: str
    rules: list[str]
    status: str
    case_id: int | None
    note: str
    reported_by: str | None
    raised_at: datetime
    closed_at: datetime | None


class AlertPageOut(Schema):
    items: list[AlertOut]
    next_cursor: str | None


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    case_id: int
    case_kind: str
    case_title: str
    message: str
    message_en: str
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class UnreadOut(Schema):
    unread: int


class PublicityRowOut(Schema):
    number: int
    case_id: int
    household_id: int
    household_no: str
    head_name: str
    size: int
    unit: str
    building: str
    matter: str
    starts: date
    ends: date


class PublicityOut(Schema):
    unit: UnitRefOut
    days: int
    items: list[PublicityRowOut]


class OpenCountOut(Schema):
    kind: str
    state: str
    state_label: str
    level: str
    count: int


class CaseFiguresOut(Schema):
    unit: UnitRefOut
    open: list[OpenCountOut]
    open_total: int
    overdue_cases: int
    overdue_steps: int
    median_hours_to_first_visit: float | None
    steps_within_deadline: float | None
    eliminated_this_month: int
    relapses: int


def unit_ref(unit: Any) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def risk_types_out(codes: list[str]) -> list[dict[str, str]]:
    labels = dict(RiskType.choices)
    return [{"code": code, "label": str(labels.get(code, code))} for code in codes]


def case_row(case: Case, now: datetime) -> dict[str, Any]:
    name, name_en = state_label(case.kind, case.state)
    next_due = getattr(case, "next_due_at", None)
    household = case.household
    return {
        "id": case.pk,
        "kind": API_KINDS[CaseKind(case.kind)],
        "kind_label": CaseKind(case.kind).label,
        "state": case.state,
        "state_label": name,
        "state_label_en": name_en,
        "closed": not case.is_open,
        "level": case.level,
        "title": case.title,
        "household_id": case.household_id,
        "household_no": household.household_no if household else None,
        "unit": unit_ref(case.unit),
        "handling_unit": unit_ref(case.handling_unit),
        "escalations": case.escalations,
        "assignee_id": case.assignee_id,
        "assignee": str(case.assignee) if case.assignee else None,
        "channel": case.channel,
        "risk_types": risk_types_out(case.risk_types),
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "next_due_at": next_due,
        "overdue": next_due is not None and next_due < now and case.is_open,
        "version": case.version,
    }


def case_detail(case: Case, user: Any, now: datetime) -> dict[str, Any]:
    steps = list(case.steps.order_by("started_at", "pk"))
    open_due = [s.due_at for s in steps if s.is_open]
    case.next_due_at = min(open_due) if open_due else None  # type: ignore[attr-defined]
    detail = case_row(case, now)
    detail.update(
        summary=case.summary,
        disaster_subtype=case.disaster_subtype,
        approval=_approval(case),
        publicity_started_at=case.publicity_started_at,
        publicity_ends_at=_publicity_ends(case),
        elimination_kind=case.elimination_kind,
        close_reason=case.close_reason,
        relapse_of_id=case.relapse_of_id,
        measures=[_measure(m) for m in case.measures.select_related("responsible_unit", "created_by")],
        steps=[_step(s, now) for s in steps],
        events=[event_row(e) for e in case.events.select_related("actor").order_by("at", "pk")],
        next_steps=next_steps(case, user, now),
        may=_may(case, user),
    )
    return detail


def matter_detail(case: Case, user: Any, now: datetime) -> dict[str, Any]:
    detail = case_detail(case, user, now)
    detail.update(request=None, dispute=None, enterprise=None)
    if case.kind == CaseKind.REQUEST:
        r = case.request
        detail["request"] = {
            "requester_name": r.requester_name,
            "content": r.content,
            "reply": r.reply,
            "satisfaction": r.satisfaction,
        }
    elif case.kind == CaseKind.DISPUTE:
        d = case.dispute
        detail["dispute"] = {
            "category": d.category,
            "parties": d.parties,
            "agreement": d.agreement,
            "outcome": d.outcome,
            "sessions": list(d.sessions.values("id", "held_at", "mediator", "summary")),
        }
    elif case.kind == CaseKind.ENTERPRISE:
        e = case.enterprise
        detail["enterprise"] = {
            "enterprise_name": e.enterprise_name,
            "credit_code": e.credit_code,
            "meeting_date": e.meeting_date,
            "issue": e.issue,
            "team": e.team,
            "deadline": e.deadline,
            "resolution": e.resolution,
        }
    return detail


def _approval(case: Case) -> list[dict[str, Any]]:
    rows = []
    for index, code in enumerate(case.approval_levels):
        level = APPROVAL_LEVELS[code]
        if index < case.approval_stage or case.state in ("assistance", "tracking", "eliminated"):
            status = "done"
        elif index == case.approval_stage and case.state == "identification":
            status = "awaiting"
        else:
            status = "pending"
        rows.append({"code": code, "name": level.name, "name_en": level.name_en, "status": status})
    return rows


def _publicity_ends(case: Case) -> datetime | None:
    if case.publicity_started_at is None:
        return None
    return case.publicity_started_at + timedelta(days=workflow_settings().publicity_days)


def _measure(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "type": measure.type,
        "type_label": MeasureType(measure.type).label,
        "developmental": measure.developmental,
        "description": measure.description,
        "responsible_unit": unit_ref(measure.responsible_unit),
        "responsible_name": measure.responsible_name,
        "amount": None if measure.amount is None else str(measure.amount),
        "start_date": measure.start_date,
        "end_date": measure.end_date,
        "created_at": measure.created_at,
        "created_by": str(measure.created_by) if measure.created_by else None,
    }


def _step(step: CaseStep, now: datetime) -> dict[str, Any]:
    late = step.done_at > step.due_at if step.done_at else step.is_open and step.due_at < now
    return {
        "id": step.pk,
        "kind": step.kind,
        "label": StepKind(step.kind).label,
        "label_en": STEP_KIND_EN[StepKind(step.kind)],
        "started_at": step.started_at,
        "due_at": step.due_at,
        "done_at": step.done_at,
        "cancelled_at": step.cancelled_at,
        "overdue": bool(late) and step.cancelled_at is None,
        "escalations": step.escalations,
    }


def event_row(event: CaseEvent) -> dict[str, Any]:
    """One timeline event of a case as the API shows it (case detail, 提事知情)."""
    return {
        "id": event.pk,
        "type": event.type,
        "type_label": EventType(event.type).label,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": str(event.actor) if event.actor else None,
        "at": event.at,
        "payload": event.payload,
    }


def next_steps(case: Case, user: Any, now: datetime) -> list[dict[str, Any]]:
    """The transitions out of the current state: may the caller take each now, and if not, why."""
    if not case.is_open:
        return []
    flow = workflow_of(case.kind)
    return [_next_step(case, transition, user, now) for transition in flow.actions_from(case.state)]


def _next_step(case: Case, transition: Transition, user: Any, now: datetime) -> dict[str, Any]:
    name, name_en = transition.name, transition.name_en
    target = "assistance" if _last_approval(case, transition) else transition.target
    if transition.action in ("approve", "reject") and case.approval_stage < len(case.approval_levels):
        level = APPROVAL_LEVELS[case.approval_levels[case.approval_stage]]
        name, name_en = f"{name}（{level.name}）", f"{name_en} ({level.name_en})"
    reasons = _role_reasons(case, transition, user, name, name_en)
    reasons += [
        {"field": p.path, "message": p.message, "message_en": p.message_en}
        for p in _guard_problems(case, transition, now)
    ]
    return {
        "action": transition.action,
        "name": name,
        "name_en": name_en,
        "target": target,
        "target_label": state_label(case.kind, target)[0],
        "fields": _fields(transition),
        "allowed": not reasons,
        "reasons": reasons,
    }


def _last_approval(case: Case, transition: Transition) -> bool:
    return transition.action == "approve" and case.approval_stage + 1 >= len(case.approval_levels)


def _role_reasons(
    case: Case, transition: Transition, user: Any, name: str, name_en: str
) -> list[dict[str, str]]:
    if verdict(user, subject_of_case(case), roles_for(case, transition.action)) is Verdict.ALLOWED:
        return []
    return [
        {"field": "role", "message": f"您的角色不能「{name}」", "message_en": f"your role may not {name_en}"}
    ]


def _guard_problems(case: Case, transition: Transition, now: datetime) -> list[Any]:
    """The guards, checked as the transition would check them — in a transaction rolled back at
    once, since checking the elimination conditions re-judges the household."""
    if not transition.guards:
        return []
    with transaction.atomic():
        problems = guards_run(transition.guards, case, {}, now)
        transaction.set_rollback(True)
    return problems


def _fields(transition: Transition) -> list[dict[str, Any]]:
    fields = [
        {"name": key, "label": FIELD_NAMES[key][0], "label_en": FIELD_NAMES[key][1], "required": True}
        for key in transition.requires
    ]
    for key in (*OPTIONAL_FIELDS.get(transition.action, ()), "note"):
        label, label_en = OPTIONAL_NAMES[key]
        fields.append({"name": key, "label": label, "label_en": label_en, "required": False})
    return fields


def _may(case: Case, user: Any) -> dict[str, bool]:
    """The actions that are not transitions: may the caller take them on this case now?"""

    def allowed(action: str) -> bool:
        return verdict(user, subject_of_case(case), roles_for(case, action)) is Verdict.ALLOWED

    measure_state = case.kind == CaseKind.RISK and case.state in MEASURE_STATES[Level(case.level or "yellow")]
    mediation = case.kind == CaseKind.DISPUTE and case.state == "mediating"
    return {
        "visit": case.is_open and case.kind == CaseKind.RISK and allowed("visit"),
        "add_measure": case.is_open and measure_state and allowed("add_measure"),
        "set_risk_types": case.is_open and case.kind == CaseKind.RISK and allowed("set_risk_types"),
        "comment": allowed("comment"),
        "mediate": mediation and allowed("mediate"),
    }


def alert_out(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "household_id": alert.household_id,
        "household_no": alert.household.household_no,
        "unit_id": alert.household.unit_id,
        "risk_type": alert.risk_type,
        "level": alert.level,
        "channel": alert.channel,
        "channel_label": Channel(alert.channel).label,
        "rules": list(alert.rules),
        "status": alert.status,
        "case_id": alert.case_id,
        "note": alert.note,
        "reported_by": str(alert.reported_by) if alert.reported_by else None,
        "raised_at": alert.raised_at,
        "closed_at": alert.closed_at,
    }


def notification_out(note: Notification) -> dict[str, Any]:
    return {
        "id": note.pk,
        "kind": note.kind,
        "kind_label": NotificationKind(note.kind).label,
        "case_id": note.case_id,
        "case_kind": note.case.kind,
        "case_title": note.case.title,
        "message": note.message,
        "message_en": note.message_en,
        "created_at": note.created_at,
        "read_at": note.read_at,
    }


def figures_out(unit: Any, figures: Any) -> dict[str, Any]:
    open_rows = [
        {
            "kind": API_KINDS[CaseKind(kind)],
            "state": state,
            "state_label": state_label(kind, state)[0],
            "level": level,
            "count": count,
        }
        for (kind, state, level), count in sorted(figures.open_by_state_and_level.items())
    ]
    return {
        "unit": unit_ref(unit),
        "open": open_rows,
        "open_total": sum(row["count"] for row in open_rows),
        "overdue_cases": figures.overdue_cases,
        "overdue_steps": figures.overdue_steps,
        "median_hours_to_first_visit": figures.median_hours_to_first_visit,
        "steps_within_deadline": figures.steps_within_deadline,
        "eliminated_this_month": figures.eliminated_this_month,
        "relapses": figures.relapses,
    }
