"""What people record on a case besides transitions: visits, measures, risk types, comments,
mediation sessions. Each is one transaction and one timeline event."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from lianbang.cases.clock import current
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Case, CaseEvent, Measure, MediationSession
from lianbang.cases.permissions import check_may_act
from lianbang.cases.services.steps import steps_complete, steps_open
from lianbang.cases.services.timeline import event_add
from lianbang.cases.services.transitions import case_lock, transition_apply
from lianbang.cases.vocab import (
    MAX_RISK_TYPES,
    CaseKind,
    DisasterSubtype,
    EventType,
    Level,
    MeasureType,
    RiskType,
    StepKind,
)
from lianbang.cases.workflow import state_label
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.org.models import Unit

# States in which measures are recorded: a red case is helped before it is identified
# (先帮扶后认定); a yellow one once identified.
MEASURE_STATES = {
    Level.RED: {"verifying", "identification", "assistance", "tracking"},
    Level.YELLOW: {"assistance", "tracking"},
}


def _locked_for(case_id: int, expected_version: int | None, actor: Any, action: str) -> Case:
    case = case_lock(case_id, expected_version)
    if not case.is_open:
        name, name_en = state_label(case.kind, case.state)
        raise ApplicationError("closed", f"事项已{name}，不能再登记", f"the matter is {name_en}", status=409)
    check_may_act(actor, case, action)
    return case


def _bump(case: Case) -> None:
    case.version += 1
    case.save(update_fields=["version"])


@transaction.atomic
def case_record_visit(
    *,
    case_id: int,
    actor: Any,
    expected_version: int | None,
    findings: str,
    visited_at: datetime | None = None,
    now: datetime | None = None,
) -> Case:
    """A visit (走访): the first one verifies the case (发现 → 入户核实); in 跟踪 it is the
    follow-up visit that the next one is due after."""
    moment = current(now)
    case = _locked_for(case_id, expected_version, actor, "visit")
    at = _visit_time(visited_at, moment)
    if not findings.strip():
        raise invalid("findings", findings, "须填写走访情况", "findings are required")
    event_add(case, EventType.VISIT, at, actor=actor, payload={"findings": findings.strip()[:2000]})
    if case.state == "discovered":
        transition_apply(case, "verify", actor, {"findings": findings}, moment)
        return case
    _follow_up_done(case, moment)
    _bump(case)
    return case


def _visit_time(visited_at: datetime | None, now: datetime) -> datetime:
    if visited_at is None:
        return now
    if visited_at > now:
        raise invalid(
            "visited_at", visited_at.isoformat(), "走访时间不能晚于现在", "a visit cannot be in the future"
        )
    return visited_at


def _follow_up_done(case: Case, now: datetime) -> None:
    if case.state == "tracking" and steps_complete(case, [StepKind.FOLLOW_UP], now):
        steps_open(workflow_settings(), case, [StepKind.FOLLOW_UP], now)


@transaction.atomic
def case_add_measure(
    *,
    case_id: int,
    actor: Any,
    expected_version: int | None,
    type: str,
    start_date: date,
    description: str = "",
    responsible_unit: Unit | None = None,
    responsible_user: Any = None,
    responsible_name: str = "",
    amount: Decimal | int | str | None = None,
    end_date: date | None = None,
    now: datetime | None = None,
) -> Measure:
    """A measure (帮扶措施) with its type, who answers for it, how much and from when to when."""
    moment = current(now)
    case = _locked_for(case_id, expected_version, actor, "add_measure")
    _check_measure_state(case)
    measure = Measure.objects.create(
        case=case,
        type=_measure_type(type),
        description=description.strip()[:500],
        responsible_unit=responsible_unit,
        responsible_user=responsible_user,
        responsible_name=responsible_name.strip()[:50] or (str(responsible_user) if responsible_user else ""),
        amount=_amount(amount),
        start_date=start_date,
        end_date=_end_date(start_date, end_date),
        created_at=moment,
        created_by=actor,
        region_code=case.region_code,
    )
    steps_complete(case, [StepKind.MEASURES], moment)
    event_add(case, EventType.MEASURE, moment, actor=actor, payload=_measure_payload(measure))
    _bump(case)
    return measure


def _check_measure_state(case: Case) -> None:
    if case.kind == CaseKind.RISK and case.state in MEASURE_STATES[Level(case.level)]:
        return
    name, name_en = state_label(case.kind, case.state)
    raise ApplicationError(
        "illegal_transition",
        f"当前状态「{name}」下不能登记帮扶措施",
        f"measures cannot be added while the case is {name_en}",
        status=409,
    )


def _measure_type(value: str) -> str:
    if value in MeasureType.values:
        return value
    by_label = {label: code for code, label in MeasureType.choices}
    if value in by_label:
        return by_label[value]
    raise invalid("type", value, "不是有效的帮扶措施类型", "is not a measure type")


def _amount(value: Decimal | int | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise invalid("amount", value, "金额须为数字", "the amount must be a number") from exc
    if amount < 0:
        raise invalid("amount", value, "金额不能为负数", "the amount cannot be negative")
    return amount


def _end_date(start: date, end: date | None) -> date | None:
    if end is not None and end < start:
        raise invalid("end_date", end.isoformat(), "结束日期不能早于开始日期", "the end is before the start")
    return end


def _measure_payload(measure: Measure) -> dict[str, Any]:
    return {
        "measure": measure.pk,
        "type": measure.type,
        "amount": str(measure.amount) if measure.amount is not None else None,
        "start_date": measure.start_date.isoformat(),
        "end_date": measure.end_date.isoformat() if measure.end_date else None,
        "responsible": measure.responsible_name,
        "responsible_unit": measure.responsible_unit_id,
    }


@transaction.atomic
def case_set_risk_types(
    *,
    case_id: int,
    actor: Any,
    expected_version: int | None,
    risk_types: list[str],
    disaster_subtype: str = "",
    now: datetime | None = None,
) -> Case:
    """The risk types the visit found (1–5; a disaster names its kind)."""
    moment = current(now)
    case = _locked_for(case_id, expected_version, actor, "set_risk_types")
    codes = risk_types_check(risk_types, disaster_subtype)
    event_add(
        case,
        EventType.RISK_TYPES,
        moment,
        actor=actor,
        payload={"from": case.risk_types, "to": codes, "disaster_subtype": disaster_subtype},
    )
    case.risk_types, case.disaster_subtype = codes, disaster_subtype
    case.version += 1
    case.save(update_fields=["risk_types", "disaster_subtype", "version"])
    return case


def risk_types_check(values: list[str], disaster_subtype: str) -> list[str]:
    by_label = {label: code for code, label in RiskType.choices}
    codes = list(dict.fromkeys(by_label.get(v, v) for v in values))
    unknown = [v for v in codes if v not in RiskType.values]
    problems = [FieldProblem("risk_types", v, "不是有效的风险类型", "is not a risk type") for v in unknown]
    if not codes or len(codes) > MAX_RISK_TYPES:
        problems.append(FieldProblem("risk_types", values, "风险类型须为1至5项", "name 1 to 5 risk types"))
    if disaster_subtype and (
        disaster_subtype not in DisasterSubtype.values or RiskType.DISASTER not in codes
    ):
        problems.append(
            FieldProblem(
                "disaster_subtype",
                disaster_subtype,
                "灾害类别无效或未选因自然灾害",
                "a disaster kind needs the risk type disaster and a known kind",
            )
        )
    if problems:
        raise ApplicationError("invalid", "风险类型有误", "the risk types are invalid", problems)
    return codes


def case_comment(*, case_id: int, actor: Any, text: str, now: datetime | None = None) -> CaseEvent:
    """A comment on the timeline; it changes nothing, so it needs no version."""
    case = Case.objects.select_related("household__grid", "unit").filter(pk=case_id).first()
    if case is None:
        raise ApplicationError("not_found", "事项不存在", "no such matter", status=404)
    check_may_act(actor, case, "comment")
    if not text.strip():
        raise invalid("text", text, "备注不能为空", "a comment cannot be empty")
    return event_add(
        case, EventType.COMMENT, current(now), actor=actor, payload={"text": text.strip()[:2000]}
    )


@transaction.atomic
def dispute_record_mediation(
    *,
    case_id: int,
    actor: Any,
    expected_version: int | None,
    mediator: str,
    summary: str,
    held_at: datetime | None = None,
    now: datetime | None = None,
) -> MediationSession:
    """One mediation session (调解) of a dispute in mediation."""
    moment = current(now)
    case = _locked_for(case_id, expected_version, actor, "mediate")
    if case.kind != CaseKind.DISPUTE or case.state != "mediating":
        raise ApplicationError(
            "illegal_transition",
            "只有调解中的纠纷可以登记调解",
            "only a dispute in mediation takes mediation sessions",
            status=409,
        )
    if not mediator.strip() or not summary.strip():
        raise invalid("summary", summary, "须填写调解员和调解情况", "the mediator and a summary are required")
    session = MediationSession.objects.create(
        dispute=case.dispute,
        held_at=_visit_time(held_at, moment),
        mediator=mediator.strip()[:50],
        summary=summary.strip(),
        recorded_by=actor,
    )
    event_add(
        case,
        EventType.MEDIATION,
        session.held_at,
        actor=actor,
        payload={"session": session.pk, "mediator": session.mediator, "summary": session.summary[:500]},
    )
    _bump(case)
    return session
