"""Moving a case through its state machine: ``case_transition`` and what a transition does.

Each call is one transaction: lock the case (``select_for_update``), check the version the
actor based the action on (409 with the current state if someone else acted first), the
transition is legal from the current state, the actor's role and scope, the required data
and the guards. Then the state, the steps (deadlines), the detail fields, one timeline event,
and on closing the alerts and the light floor. A refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from lianbang.cases.clock import current
from lianbang.cases.conf import APPROVAL_LEVELS, approval_levels_check, workflow_settings
from lianbang.cases.models import Alert, Case
from lianbang.cases.permissions import check_may_act
from lianbang.cases.services.guards import guards_run
from lianbang.cases.services.steps import steps_cancel, steps_complete, steps_open
from lianbang.cases.services.timeline import event_add
from lianbang.cases.vocab import AlertStatus, CaseKind, EliminationKind, EventType, StepKind
from lianbang.cases.workflow import Transition, Workflow, state_label, workflow_of
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.monitoring.engine import light_floor_set

# What the required data fields are called when one is missing.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "findings": ("核实情况", "findings"),
    "reason": ("理由", "reason"),
    "reply": ("答复内容", "reply"),
    "satisfaction": ("满意度", "satisfaction"),
    "agreement": ("调解协议", "agreement"),
    "outcome": ("处理结果", "outcome"),
    "resolution": ("办理结果", "resolution"),
}
# Data kept on the timeline event besides the required fields.
OPTIONAL_FIELDS = ("note", "elimination_kind")
MAX_TEXT = 2000


def case_transition(
    *,
    case_id: int,
    action: str,
    actor: Any,
    expected_version: int | None,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """Take ``action`` on the case as ``actor`` (None: the system), based on ``expected_version``."""
    moment = current(now)
    try:
        with transaction.atomic():
            case = case_lock(case_id, expected_version)
            transition_apply(case, action, actor, dict(data or {}), moment)
    except ApplicationError as error:
        if error.code == "conditions_not_met":
            _note_refusal(case_id, action, actor, error, moment)
        raise
    return case


def case_lock(case_id: int, expected_version: int | None) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("household__grid", "unit", "handling_unit")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise ApplicationError("not_found", "事项不存在", "no such matter", status=404)
    if expected_version is not None and case.version != expected_version:
        raise conflict(case)
    return case


def conflict(case: Case) -> ApplicationError:
    name, name_en = state_label(case.kind, case.state)
    return ApplicationError(
        "conflict",
        f"该事项已被他人处理（当前状态「{name}」，版本 {case.version}），请刷新后再操作",
        f"someone else acted on this matter first (now {name_en}, version {case.version}); reload it",
        [
            FieldProblem("state", case.state, f"当前状态：{name}", f"current state: {name_en}"),
            FieldProblem("version", case.version, "当前版本", "current version"),
        ],
        status=409,
    )


def transition_apply(case: Case, action: str, actor: Any, data: dict[str, Any], now: datetime) -> None:
    flow = workflow_of(case.kind)
    transition = flow.transition(action)
    _check_source(case, transition)
    check_may_act(actor, case, action)
    _check_required(transition, data)
    problems = guards_run(transition.guards, case, data, now)
    if problems:
        raise _refused(transition, problems)
    from_state = case.state
    payload = _move(case, transition, data, now)
    _update_steps(case, flow, transition, now)
    _store(case, transition, data)
    closing = case.state in flow.closed_states
    case.closed_at = now if closing else None
    case.version += 1
    case.save(update_fields=_CHANGING)
    event_add(
        case,
        EventType.TRANSITION,
        now,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        payload={**_kept(transition, data), **payload},
    )
    if closing:
        _release(case, now)


_CHANGING = [
    "state",
    "approval_levels",
    "approval_stage",
    "publicity_started_at",
    "elimination_kind",
    "close_reason",
    "closed_at",
    "version",
]


def _check_source(case: Case, transition: Transition) -> None:
    if case.state in transition.sources:
        return
    name, name_en = state_label(case.kind, case.state)
    raise ApplicationError(
        "illegal_transition",
        f"当前状态「{name}」下不能「{transition.name}」",
        f"cannot {transition.name_en} while the matter is {name_en}",
        [FieldProblem("action", transition.action, f"当前状态：{name}", f"current state: {name_en}")],
        status=409,
    )


def _check_required(transition: Transition, data: dict[str, Any]) -> None:
    missing = [key for key in transition.requires if not str(data.get(key) or "").strip()]
    if not missing:
        return
    problems = [
        FieldProblem(key, data.get(key), f"须填写{FIELD_NAMES[key][0]}", f"{FIELD_NAMES[key][1]} is required")
        for key in missing
    ]
    raise ApplicationError(
        "invalid",
        f"「{transition.name}」须填写：{'、'.join(FIELD_NAMES[k][0] for k in missing)}",
        f"to {transition.name_en}, give: {', '.join(FIELD_NAMES[k][1] for k in missing)}",
        problems,
    )


def _refused(transition: Transition, problems: list[FieldProblem]) -> ApplicationError:
    return ApplicationError(
        "conditions_not_met",
        f"不能「{transition.name}」：{'；'.join(p.message for p in problems)}",
        f"cannot {transition.name_en}: {'; '.join(p.message_en for p in problems)}",
        problems,
        status=422,
    )


def _move(case: Case, transition: Transition, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Set the new state; approval and closing carry a little more. Returns extra event data."""
    mover = _MOVERS.get(transition.action)
    if mover is not None:
        return mover(case, transition, data, now)
    case.state = transition.target
    if transition.target in workflow_of(case.kind).closed_states:
        case.close_reason = _text(data.get("reason") or data.get("outcome") or data.get("satisfaction"))
    return {}


def _submit(case: Case, transition: Transition, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    case.state = transition.target
    case.approval_levels = approval_levels_check(workflow_settings().approval_levels)
    case.approval_stage = 0
    case.publicity_started_at = now if _awaited(case).is_publicity else None
    return {"awaiting": case.approval_levels[0]}


def _approve(case: Case, transition: Transition, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    level = _awaited(case)
    case.approval_stage += 1
    if case.approval_stage >= len(case.approval_levels):
        case.state = "assistance"
        return {"level": level.code, "identified": True}
    case.state = transition.target
    if _awaited(case).is_publicity:
        case.publicity_started_at = now
    return {"level": level.code, "awaiting": _awaited(case).code}


def _reject(case: Case, transition: Transition, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    level = _awaited(case)
    case.state = transition.target
    case.close_reason = _text(data["reason"])
    return {"level": level.code}


def _request_elimination(
    case: Case, transition: Transition, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    kind = data.get("elimination_kind") or EliminationKind.ASSISTED
    if kind not in {EliminationKind.ASSISTED, EliminationKind.NATURAL}:
        raise ApplicationError(
            "invalid",
            "消除方式须为帮扶消除或自然消除",
            "elimination_kind must be assisted or natural",
            [FieldProblem("elimination_kind", kind, "不是有效的消除方式", "not an elimination kind")],
        )
    case.state, case.elimination_kind = transition.target, kind
    return {}


def _awaited(case: Case) -> Any:
    return APPROVAL_LEVELS[case.approval_levels[case.approval_stage]]


_MOVERS = {
    "submit": _submit,
    "approve": _approve,
    "reject": _reject,
    "request_elimination": _request_elimination,
}


def _update_steps(case: Case, flow: Workflow, transition: Transition, now: datetime) -> None:
    completes = list(transition.completes)
    if case.kind == CaseKind.RISK and case.state == "assistance":
        completes.append(StepKind.IDENTIFICATION)
    if completes:
        steps_complete(case, completes, now)
    if case.state in flow.closed_states:
        steps_cancel(case, None, now)
        return
    if transition.cancels:
        steps_cancel(case, transition.cancels, now)
    if transition.opens:
        steps_open(workflow_settings(), case, transition.opens, now)


def _store(case: Case, transition: Transition, data: dict[str, Any]) -> None:
    if not transition.stores:
        return
    detail = detail_of(case)
    for key in transition.stores:
        setattr(detail, key, _text(data.get(key)))
    detail.save(update_fields=list(transition.stores))


def detail_of(case: Case) -> Any:
    """The matter's own row (群众诉求 / 矛盾纠纷 / 企业诉求)."""
    return {
        CaseKind.REQUEST: lambda: case.request,
        CaseKind.DISPUTE: lambda: case.dispute,
        CaseKind.ENTERPRISE: lambda: case.enterprise,
    }[CaseKind(case.kind)]()


def _kept(transition: Transition, data: dict[str, Any]) -> dict[str, Any]:
    keys = (*transition.requires, *transition.stores, *OPTIONAL_FIELDS)
    return {key: _text(data[key]) for key in keys if data.get(key) not in (None, "")}


def _text(value: object) -> str:
    return str(value or "").strip()[:MAX_TEXT]


def _release(case: Case, now: datetime) -> None:
    """A closed case closes its alerts and, for a risk case, releases the light's floor."""
    Alert.objects.filter(case=case, status=AlertStatus.OPEN).update(status=AlertStatus.CLOSED, closed_at=now)
    if case.kind == CaseKind.RISK and case.household_id:
        light_floor_set(household_id=case.household_id, color="green", cause=f"case_{case.state}")


def _note_refusal(case_id: int, action: str, actor: Any, error: ApplicationError, now: datetime) -> None:
    """A refused request leaves the case as it was; the refusal and its reasons go on the timeline."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    reasons = [{"field": p.path, "message": p.message, "message_en": p.message_en} for p in error.problems]
    event_add(case, EventType.REFUSED, now, actor=actor, action=action, payload={"reasons": reasons})
