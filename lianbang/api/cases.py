"""Alerts, risk cases, other matters, the inbox, the 公示 list and the case figures (docs/cases.md).

Thin: scope from ``accounts.scope`` / ``cases.selectors`` (outside it a case does not exist:
404), the gate permission of the route (``accounts.routes``), then the cases services, which
check the role for each action (403), the version the caller based the action on (409 with the
current state), the required fields (400) and the conditions (422 with every reason). A refusal
changes nothing. Every write answers with the case as it now is.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import StrictBool, StrictInt

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import household_for, households_for, root_units, unit_for
from lianbang.api.cases_out import (
    AlertOut,
    AlertPageOut,
    CaseDetailOut,
    CaseFiguresOut,
    CasePageOut,
    CaseRowOut,
    InboxOut,
    MatterDetailOut,
    PublicityOut,
    UnreadOut,
    alert_out,
    case_detail,
    case_row,
    figures_out,
    matter_detail,
    notification_out,
)
from lianbang.api.households import ExportStartedOut, actor_of, require
from lianbang.api.pagination import MAX_LIMIT, page
from lianbang.api.schemas import ErrorOut, StrictIn
from lianbang.cases.clock import current
from lianbang.cases.conf import workflow_settings
from lianbang.cases.figures import case_figures
from lianbang.cases.listing import (
    CASE_SORTS,
    CASE_STATES,
    MATTER_KINDS,
    MAX_DUE_HOURS,
    CaseQuery,
    MatterQuery,
    cases_listed,
    matters_listed,
    risk_code,
    with_next_due,
)
from lianbang.cases.models import Alert, Case, Notification
from lianbang.cases.selectors import cases_visible_to, inbox
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.export import publicity_list_export, publicity_rows
from lianbang.cases.services.matters import dispute_register, enterprise_issue_register, request_register
from lianbang.cases.services.notify import notifications_mark_read
from lianbang.cases.services.opening import case_open
from lianbang.cases.services.records import (
    case_add_measure,
    case_comment,
    case_record_visit,
    case_set_risk_types,
    dispute_record_mediation,
)
from lianbang.cases.services.transitions import case_transition
from lianbang.cases.vocab import AlertStatus, CaseKind, Channel, Level, RiskType
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.org.models import Unit, path_prefix_q
from lianbang.transfer.tasks import list_export_start

router = Router(tags=["cases"])

P = Permission
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ID = 2**63


# ---------------------------------------------------------------- request bodies


class AlertIn(StrictIn):
    household_id: int
    risk_type: str
    level: Literal["red", "yellow"]
    channel: Literal["self_declared", "grid_worker", "department"]
    note: str = ""


class CaseOpenIn(StrictIn):
    """Open the case of a household: from its pending ``alert_id``, or directly (a report with
    ``risk_type`` and ``level`` is recorded first)."""

    household_id: int | None = None
    alert_id: int | None = None
    risk_type: str | None = None
    level: Literal["red", "yellow"] | None = None
    channel: Literal["self_declared", "grid_worker", "department"] = "grid_worker"
    note: str = ""


class TransitionIn(StrictIn):
    action: str
    base_version: int
    findings: str | None = None
    reason: str | None = None
    reply: str | None = None
    satisfaction: str | None = None
    agreement: str | None = None
    outcome: str | None = None
    resolution: str | None = None
    elimination_kind: Literal["assisted", "natural"] | None = None
    note: str | None = None


class CaseVisitIn(StrictIn):
    base_version: int
    findings: str
    visited_at: datetime | None = None


class RiskTypesIn(StrictIn):
    base_version: int
    risk_types: list[str]
    disaster_subtype: str = ""


class MeasureIn(StrictIn):
    base_version: int
    type: str
    start_date: date
    end_date: date | None = None
    description: str = ""
    responsible_unit_id: int | None = None
    responsible_name: str = ""
    amount: Decimal | None = None


class CommentIn(StrictIn):
    text: str


class PartyIn(StrictIn):
    name: str
    side: str = ""


class MatterIn(StrictIn):
    """A matter of one ``kind``; each kind reads its own fields (docs/cases.md)."""

    kind: Literal["resident_request", "dispute", "enterprise_issue"]
    household_id: int | None = None
    unit_id: int | None = None
    requester_name: str = ""
    content: str = ""
    channel: Literal["self_declared", "grid_worker", "department"] = "self_declared"
    category: str = ""
    parties: list[PartyIn] = []
    summary: str = ""
    enterprise_name: str = ""
    credit_code: str = ""
    meeting_date: date | None = None
    issue: str = ""
    team: str = ""
    deadline: date | None = None


class SessionIn(StrictIn):
    base_version: int
    mediator: str
    summary: str
    held_at: datetime | None = None


class PublicityQuery(Schema):
    unit_id: int | None = None


# ---------------------------------------------------------------- helpers


def _text(value: str | None) -> str:
    """Free text as stored: no NUL characters (PostgreSQL text cannot hold them)."""
    return (value or "").replace("\x00", "")


def _not_found(what: str = "事项", what_en: str = "matter") -> ApplicationError:
    return ApplicationError(
        "not_found", f"找不到该{what}或无权访问", f"no such {what_en} in your scope", status=404
    )


def _visible_case(request: HttpRequest, case_id: int, *, risk: bool) -> Case:
    if not 0 < case_id < MAX_ID:
        raise _not_found()
    rows = cases_visible_to(request.user).filter(pk=case_id)
    rows = rows.filter(kind=CaseKind.RISK) if risk else rows.exclude(kind=CaseKind.RISK)
    found = rows.select_related("household__grid", "unit", "handling_unit", "assignee").first()
    if found is None:
        raise _not_found()
    return found


def _scope_unit(request: HttpRequest, unit_id: int | None, permission: str) -> Unit:
    """The unit asked for (in scope, else 404), or the caller's only top unit."""
    if unit_id is not None:
        unit = unit_for(request.user, unit_id, permission)
        if unit is None:
            raise _not_found("单位", "unit")
        return unit
    roots = root_units(request.user, permission)
    if len(roots) != 1:
        raise invalid("unit_id", None, "请指明单位", "name the unit (unit_id)")
    return roots[0]


def _unit_filter(request: HttpRequest, unit_id: int | None, field: str) -> Q:
    if unit_id is None:
        return Q()
    unit = unit_for(request.user, unit_id, P.HOUSEHOLD_VIEW)
    if unit is None:
        raise _not_found("单位", "unit")
    return path_prefix_q(unit.path, field)


def _one_of(name: str, value: str | None, allowed: list[str]) -> None:
    if value is not None and value not in allowed:
        raise invalid(name, value, f"可选：{'、'.join(allowed)}", f"one of {', '.join(allowed)}")


def _detail(request: HttpRequest, case: Case) -> dict[str, Any]:
    fresh = Case.objects.select_related("household__grid", "unit", "handling_unit", "assignee").get(
        pk=case.pk
    )
    render = case_detail if fresh.kind == CaseKind.RISK else matter_detail
    return render(fresh, request.user, current())


# ---------------------------------------------------------------- alerts


@router.get("/alerts", response={200: AlertPageOut, **ERRORS})
def alert_list(
    request: HttpRequest,
    unit_id: int | None = None,
    level: str | None = None,
    risk_type: str | None = None,
    channel: str | None = None,
    status: str | None = None,
    open: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Alerts of the caller's households, newest first: unit subtree, level, risk type (its
    Chinese name or DOMAIN §5 code), discovery channel, status (open / duplicate / closed)."""
    rows = Alert.objects.filter(household__in=households_for(request.user).values("pk"))
    rows = rows.filter(_unit_filter(request, unit_id, "household__unit__path"))
    _one_of("level", level, [Level.RED, Level.YELLOW])
    _one_of("channel", channel, list(Channel.values))
    _one_of("status", status, list(AlertStatus.values))
    if level:
        rows = rows.filter(level=level)
    if channel:
        rows = rows.filter(channel=channel)
    if status:
        rows = rows.filter(status=status)
    if risk_type:
        rows = rows.filter(risk_type=RiskType(risk_code(risk_type)).label)
    if open is not None:
        rows = rows.filter(status=AlertStatus.OPEN) if open else rows.exclude(status=AlertStatus.OPEN)
    rows = rows.select_related("household", "reported_by")
    return page(rows, cursor=cursor, limit=limit, render=alert_out)


@router.post("/alerts", response={201: AlertOut, **ERRORS})
def alert_create(request: HttpRequest, body: AlertIn) -> tuple[int, dict[str, Any]]:
    """A person's report (自主申报, 网格员排查, 部门筛查预警). A report of a risk that already has an
    open alert is kept as a duplicate; a new one opens (or joins) the household's case."""
    require(request, P.HOUSEHOLD_EDIT)
    household = household_for(request.user, body.household_id, P.HOUSEHOLD_EDIT)
    if household is None:
        raise _not_found("户", "household")
    alert = alert_raise(
        household=household,
        risk_type=body.risk_type,
        level=body.level,
        channel=body.channel,
        actor=actor_of(request),
        note=_text(body.note),
    )
    alert = Alert.objects.select_related("household", "reported_by").get(pk=alert.pk)
    return 201, alert_out(alert)


# ---------------------------------------------------------------- risk cases


@router.get("/cases", response={200: CasePageOut, **ERRORS})
def case_list(
    request: HttpRequest,
    unit_id: int | None = None,
    state: str | None = None,
    level: str | None = None,
    risk_type: str | None = None,
    assigned_to_me: bool = False,
    overdue: bool | None = None,
    due_within_hours: int | None = None,
    open: bool | None = None,
    building_id: int | None = None,
    grid_id: int | None = None,
    closed_in: str | None = None,
    sort: str = "-opened_at",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Risk cases in the caller's scope: unit subtree, building or micro-grid of the household,
    state, level, risk type, assigned to me, overdue (an open step past its deadline), due
    within the next N hours, open or closed, closed in a month (``YYYY-MM``); sorted by
    ``-opened_at`` (default), ``opened_at``, ``-id`` or ``id``; a page at a time. The filters
    are ``cases.listing.CaseQuery``, shared with the export (``POST /cases/export``)."""
    now = current()
    filters = {name: value for name, value in locals().items() if name in CaseQuery.__dataclass_fields__}
    query = CaseQuery.parse(filters)
    return _case_page(cases_listed(actor_of(request), query, now), query.sort, cursor, limit, now)


class CaseExportIn(StrictIn):
    """The case board's filters and sort as a JSON body: a field the board does not know is
    refused (a misspelt filter would otherwise export the whole scope); ids, flags and hours
    may be JSON values or strings as the board's URL carries them; every value is checked as
    the board checks it."""

    unit_id: StrictInt | str | None = None
    building_id: StrictInt | str | None = None
    grid_id: StrictInt | str | None = None
    state: str | None = Field(None, description=f"one of {', '.join(CASE_STATES)}")
    level: str | None = Field(None, description="red or yellow")
    risk_type: str | None = Field(None, description="a DOMAIN §5 code or its Chinese name")
    assigned_to_me: StrictBool | str | None = None
    overdue: StrictBool | str | None = None
    due_within_hours: StrictInt | str | None = Field(None, description=f"1 to {MAX_DUE_HOURS}")
    open: StrictBool | str | None = None
    closed_in: str | None = Field(None, description="a month, YYYY-MM")
    sort: str | None = Field(None, description=f"one of {', '.join(CASE_SORTS)}")


@router.post("/cases/export", response={201: ExportStartedOut, **ERRORS})
def case_export(request: HttpRequest, filters: CaseExportIn) -> tuple[int, dict[str, Any]]:
    """Export the case board's list as it is filtered and sorted to Excel through a transfer
    job (masked, audited); ``url`` is the job's page, where the file is downloaded when done."""
    require(request, P.EXPORT)
    query = CaseQuery.parse(filters.dict())
    cases_listed(actor_of(request), query, current(), permission=P.EXPORT).exists()  # 400 / 404 now
    job = list_export_start(actor=actor_of(request), what="cases", params=query.as_params())
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


def _case_page(
    rows: QuerySet[Case], sort: str, cursor: str | None, limit: int, now: datetime
) -> dict[str, Any]:
    render = lambda case: case_row(case, now)  # noqa: E731
    if sort in ("id", "-id"):
        return page(rows, cursor=cursor, limit=limit, render=render, order=sort.replace("id", "pk"))
    return _by_opening(rows, descending=sort.startswith("-"), cursor=cursor, limit=limit, render=render)


def _by_opening(
    rows: QuerySet[Case], *, descending: bool, cursor: str | None, limit: int, render: Any
) -> dict[str, Any]:
    """Keyset pages on (opened_at, id): stable when cases open while someone pages."""
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", limit, f"应为1到{MAX_LIMIT}之间", f"must be from 1 to {MAX_LIMIT}")
    after = _cursor_decode(cursor)
    if after is not None:
        at, pk = after
        if descending:
            rows = rows.filter(Q(opened_at__lt=at) | Q(opened_at=at, pk__lt=pk))
        else:
            rows = rows.filter(Q(opened_at__gt=at) | Q(opened_at=at, pk__gt=pk))
    order = ("-opened_at", "-pk") if descending else ("opened_at", "pk")
    batch = list(rows.order_by(*order)[: limit + 1])
    items = batch[:limit]
    next_cursor = None
    if len(batch) > limit:
        last = items[-1]
        raw = json.dumps(["opened_at", last.opened_at.isoformat(), last.pk]).encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {"items": [render(case) for case in items], "next_cursor": next_cursor}


def _cursor_decode(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        name, at, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        moment = datetime.fromisoformat(at)
        if name == "opened_at" and isinstance(pk, int) and 0 < pk < MAX_ID and timezone.is_aware(moment):
            return moment, pk
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise invalid(
        "cursor", cursor, "翻页游标无效，请从第一页重新开始", "invalid cursor; start from the first page"
    )


@router.get("/cases/figures", response={200: CaseFiguresOut, **ERRORS})
def figures(request: HttpRequest, unit_id: int | None = None) -> dict[str, Any]:
    """The board's figures for a unit's subtree (the caller's own unit when there is one): open
    cases by kind, state and level; overdue cases and steps; median hours to the first visit;
    the share of steps done by their deadline; eliminated this month; relapses."""
    require(request, P.UNIT_VIEW)
    unit = _scope_unit(request, unit_id, P.UNIT_VIEW)
    return figures_out(unit, case_figures(unit=unit))


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def case_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """A risk case with its risk types, approval levels, measures, deadlines, timeline, and the
    ``next_steps`` the caller may (or may not yet, and why) take."""
    return _detail(request, _visible_case(request, case_id, risk=True))


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut, **ERRORS})
def case_create(request: HttpRequest, body: CaseOpenIn) -> tuple[int, dict[str, Any]]:
    """Open a household's case from a pending alert (``alert_id``) or directly (``household_id``
    with ``risk_type`` and ``level``). A household that already has an open case gets the report
    attached to it: 200 with that case; a new case is 201."""
    require(request, P.HOUSEHOLD_EDIT)
    actor = actor_of(request)
    household_id = body.household_id
    if body.alert_id is not None:
        alert = _visible_alert(request, body.alert_id)
        household_id = alert.household_id
        if alert.case_id is not None:
            return 200, _detail(request, alert.case)  # type: ignore[arg-type]
    elif body.risk_type is None or body.level is None:
        raise ApplicationError(
            "invalid",
            "须指明预警（alert_id），或户、风险类型和等级",
            "give alert_id, or household_id with risk_type and level",
            [FieldProblem("alert_id", None, "须填写预警或风险类型和等级", "alert_id or risk_type and level")],
        )
    household = household_for(request.user, household_id, P.HOUSEHOLD_EDIT) if household_id else None
    if household is None:
        raise _not_found("户", "household")
    held = Case.objects.filter(kind=CaseKind.RISK, household=household, closed_at__isnull=True).first()
    if body.alert_id is None:
        alert_raise(
            household=household,
            risk_type=body.risk_type or "",
            level=body.level or "",
            channel=body.channel,
            actor=actor,
            note=_text(body.note),
        )
    if held is not None:
        return 200, _detail(request, held)
    return 201, _detail(request, case_open(household=household, actor=actor))


def _visible_alert(request: HttpRequest, alert_id: int) -> Alert:
    if not 0 < alert_id < MAX_ID:
        raise _not_found("预警", "alert")
    visible = households_for(request.user, P.HOUSEHOLD_EDIT).values("pk")
    alert = Alert.objects.filter(pk=alert_id, household__in=visible).select_related("case").first()
    if alert is None:
        raise _not_found("预警", "alert")
    return alert


@router.post("/cases/{case_id}/transitions", response={200: CaseDetailOut, **ERRORS})
def case_move(request: HttpRequest, case_id: int, body: TransitionIn) -> dict[str, Any]:
    """Take ``action`` (see the case's ``next_steps``) based on ``base_version``. A stale version
    is a 409 naming the current state and version; an illegal action a 409; a missing field a
    400; failed conditions (公示 not over, elimination conditions) a 422 with every reason."""
    case = _visible_case(request, case_id, risk=True)
    return _transition(request, case, body)


def _transition(request: HttpRequest, case: Case, body: TransitionIn) -> dict[str, Any]:
    require(request, P.HOUSEHOLD_EDIT)
    actor = actor_of(request)
    data = {k: _text(v) for k, v in body.dict(exclude={"action", "base_version"}).items() if v is not None}
    if case.kind == CaseKind.RISK and body.action == "verify":  # verifying is recording the first visit
        case_record_visit(
            case_id=case.pk,
            actor=actor,
            expected_version=body.base_version,
            findings=data.get("findings", ""),
        )
    else:
        case_transition(
            case_id=case.pk,
            action=_text(body.action)[:40],
            actor=actor,
            expected_version=body.base_version,
            data=data,
        )
    return _detail(request, case)


@router.post("/cases/{case_id}/visits", response={201: CaseDetailOut, **ERRORS})
def case_visit(request: HttpRequest, case_id: int, body: CaseVisitIn) -> tuple[int, dict[str, Any]]:
    """A visit (走访): the first one verifies the case; in 跟踪 it is the follow-up visit."""
    case = _visible_case(request, case_id, risk=True)
    require(request, P.HOUSEHOLD_EDIT)
    case_record_visit(
        case_id=case.pk,
        actor=actor_of(request),
        expected_version=body.base_version,
        findings=_text(body.findings),
        visited_at=body.visited_at,
    )
    return 201, _detail(request, case)


@router.put("/cases/{case_id}/risk-types", response={200: CaseDetailOut, **ERRORS})
def case_risk_types(request: HttpRequest, case_id: int, body: RiskTypesIn) -> dict[str, Any]:
    """The risk types the visit found (1–5 DOMAIN §5 codes or names; a disaster names its kind)."""
    case = _visible_case(request, case_id, risk=True)
    require(request, P.HOUSEHOLD_EDIT)
    case_set_risk_types(
        case_id=case.pk,
        actor=actor_of(request),
        expected_version=body.base_version,
        risk_types=[_text(v) for v in body.risk_types],
        disaster_subtype=_text(body.disaster_subtype),
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/measures", response={201: CaseDetailOut, **ERRORS})
def case_measure(request: HttpRequest, case_id: int, body: MeasureIn) -> tuple[int, dict[str, Any]]:
    """A measure (帮扶措施): type (code or Chinese name), responsible unit or person, amount, dates."""
    case = _visible_case(request, case_id, risk=True)
    require(request, P.HOUSEHOLD_EDIT)
    responsible = None
    if body.responsible_unit_id is not None:
        responsible = unit_for(request.user, body.responsible_unit_id, P.HOUSEHOLD_VIEW)
        if responsible is None:
            raise invalid(
                "responsible_unit_id",
                body.responsible_unit_id,
                "不是您辖区内的单位",
                "not a unit in your scope",
            )
    if body.amount is not None and not body.amount.is_finite():
        raise invalid("amount", str(body.amount), "金额须为数字", "the amount must be a number")
    if body.amount is not None and abs(body.amount) >= Decimal("1e10"):
        raise invalid("amount", str(body.amount), "金额过大", "the amount is too large")
    case_add_measure(
        case_id=case.pk,
        actor=actor_of(request),
        expected_version=body.base_version,
        type=_text(body.type),
        start_date=body.start_date,
        end_date=body.end_date,
        description=_text(body.description),
        responsible_unit=responsible,
        responsible_name=_text(body.responsible_name),
        amount=body.amount,
    )
    return 201, _detail(request, case)


@router.post("/cases/{case_id}/comments", response={201: CaseDetailOut, **ERRORS})
def case_comment_add(request: HttpRequest, case_id: int, body: CommentIn) -> tuple[int, dict[str, Any]]:
    """A comment on the timeline (changes nothing else, needs no version)."""
    case = _visible_case(request, case_id, risk=True)
    case_comment(case_id=case.pk, actor=actor_of(request), text=_text(body.text))
    return 201, _detail(request, case)


@router.get("/households/{household_id}/cases", response={200: list[CaseRowOut], **ERRORS})
def household_cases(request: HttpRequest, household_id: int) -> list[dict[str, Any]]:
    """Every matter of one household (risk cases and others), newest first."""
    household = household_for(request.user, household_id)
    if household is None:
        raise _not_found("户", "household")
    now = current()
    rows = with_next_due(cases_visible_to(request.user).filter(household=household))
    return [case_row(case, now) for case in rows.order_by("-opened_at", "-pk")[:MAX_LIMIT]]


# ---------------------------------------------------------------- other matters


@router.get("/matters", response={200: CasePageOut, **ERRORS})
def matter_list(
    request: HttpRequest,
    kind: str | None = None,
    state: str | None = None,
    unit_id: int | None = None,
    open: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """群众诉求, 矛盾纠纷 and 企业诉求 in the caller's scope, newest first. The filters are
    ``cases.listing.MatterQuery``, shared with the export (``POST /matters/export``)."""
    query = MatterQuery.parse({"kind": kind, "state": state, "unit_id": unit_id, "open": open})
    now = current()
    rows = matters_listed(request.user, query)
    return page(rows, cursor=cursor, limit=limit, render=lambda c: case_row(c, now))


class MatterExportIn(StrictIn):
    """The matters list's filters as a JSON body, refused and checked as the case board's."""

    kind: str | None = Field(None, description=f"one of {', '.join(MATTER_KINDS)}")
    state: str | None = Field(None, description="a state of the matter's kind")
    unit_id: StrictInt | str | None = None
    open: StrictBool | str | None = None


@router.post("/matters/export", response={201: ExportStartedOut, **ERRORS})
def matter_export(request: HttpRequest, filters: MatterExportIn) -> tuple[int, dict[str, Any]]:
    """Export the matters list as it is filtered to Excel through a transfer job (masked,
    audited); ``url`` is the job's page, where the file is downloaded when it is done."""
    require(request, P.EXPORT)
    query = MatterQuery.parse(filters.dict())
    matters_listed(request.user, query, permission=P.EXPORT).exists()  # a bad unit is a 404 now
    job = list_export_start(actor=actor_of(request), what="matters", params=query.as_params())
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


@router.post("/matters", response={201: MatterDetailOut, **ERRORS})
def matter_create(request: HttpRequest, body: MatterIn) -> tuple[int, dict[str, Any]]:
    """Register a matter: a resident request (requester_name, content), a dispute (category, two
    or more parties, summary) or an enterprise issue (enterprise_name, credit_code,
    meeting_date, issue, team, deadline — street and district officials)."""
    require(request, P.HOUSEHOLD_EDIT)
    actor = actor_of(request)
    household = None
    if body.household_id is not None:
        household = household_for(request.user, body.household_id, P.HOUSEHOLD_EDIT)
        if household is None:
            raise _not_found("户", "household")
    unit = None
    if body.unit_id is not None:
        unit = unit_for(request.user, body.unit_id, P.HOUSEHOLD_VIEW)
        if unit is None:
            raise _not_found("单位", "unit")
    return 201, _detail(request, _register(body, actor, household, unit))


def _register(body: MatterIn, actor: Any, household: Any, unit: Unit | None) -> Case:
    if body.kind == "resident_request":
        return request_register(
            actor=actor,
            requester_name=_text(body.requester_name),
            content=_text(body.content),
            household=household,
            unit=unit,
            channel=body.channel,
        )
    if body.kind == "dispute":
        return dispute_register(
            actor=actor,
            category=_text(body.category),
            parties=[{"name": _text(p.name), "side": _text(p.side)} for p in body.parties],
            summary=_text(body.summary),
            unit=unit,
            household=household,
        )
    if unit is None or body.meeting_date is None:
        raise ApplicationError(
            "invalid",
            "企业诉求须填写所属单位和联席会议日期",
            "an enterprise issue needs unit_id and meeting_date",
            [
                FieldProblem(key, None, "必填", "required")
                for key, value in (("unit_id", unit), ("meeting_date", body.meeting_date))
                if value is None
            ],
        )
    return enterprise_issue_register(
        actor=actor,
        unit=unit,
        enterprise_name=_text(body.enterprise_name),
        credit_code=_text(body.credit_code),
        meeting_date=body.meeting_date,
        issue=_text(body.issue),
        team=_text(body.team),
        deadline=body.deadline,
    )


@router.get("/matters/{matter_id}", response={200: MatterDetailOut, **ERRORS})
def matter_get(request: HttpRequest, matter_id: int) -> dict[str, Any]:
    """A matter with its own fields (request, dispute with its mediation sessions, enterprise
    issue), deadlines, timeline and ``next_steps``."""
    return _detail(request, _visible_case(request, matter_id, risk=False))


@router.post("/matters/{matter_id}/transitions", response={200: MatterDetailOut, **ERRORS})
def matter_move(request: HttpRequest, matter_id: int, body: TransitionIn) -> dict[str, Any]:
    """As for cases: ``action`` based on ``base_version``; the matter's own fields go with it
    (``reply``, ``satisfaction``, ``agreement``, ``outcome``, ``resolution``, ``reason``)."""
    return _transition(request, _visible_case(request, matter_id, risk=False), body)


@router.post("/matters/{matter_id}/mediation-sessions", response={201: MatterDetailOut, **ERRORS})
def matter_mediation(request: HttpRequest, matter_id: int, body: SessionIn) -> tuple[int, dict[str, Any]]:
    """One mediation session (调解) of a dispute in mediation."""
    case = _visible_case(request, matter_id, risk=False)
    require(request, P.HOUSEHOLD_EDIT)
    dispute_record_mediation(
        case_id=case.pk,
        actor=actor_of(request),
        expected_version=body.base_version,
        mediator=_text(body.mediator),
        summary=_text(body.summary),
        held_at=body.held_at,
    )
    return 201, _detail(request, case)


@router.post("/matters/{matter_id}/comments", response={201: MatterDetailOut, **ERRORS})
def matter_comment(request: HttpRequest, matter_id: int, body: CommentIn) -> tuple[int, dict[str, Any]]:
    case = _visible_case(request, matter_id, risk=False)
    case_comment(case_id=case.pk, actor=actor_of(request), text=_text(body.text))
    return 201, _detail(request, case)


# ---------------------------------------------------------------- inbox


@router.get("/inbox", response={200: InboxOut, **ERRORS})
def inbox_list(
    request: HttpRequest, unread_only: bool = False, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """My notifications (assigned, due soon, overdue, escalated), newest first, and how many are unread."""
    user = actor_of(request)
    rows = inbox(user, unread_only=unread_only)
    result = page(rows, cursor=cursor, limit=limit, render=notification_out)
    return {**result, "unread": inbox(user, unread_only=True).count()}


@router.post("/inbox/{notification_id}/read", response={200: UnreadOut, **ERRORS})
def inbox_read(request: HttpRequest, notification_id: int) -> dict[str, int]:
    """Mark one of my notifications read; answers how many remain unread."""
    user = actor_of(request)
    if (
        not 0 < notification_id < MAX_ID
        or not Notification.objects.filter(pk=notification_id, user=user).exists()
    ):
        raise _not_found("通知", "notification")
    notifications_mark_read(user=user, ids=[notification_id])
    return {"unread": inbox(user, unread_only=True).count()}


# ---------------------------------------------------------------- 公示


@router.get("/publicity", response={200: PublicityOut, **ERRORS})
def publicity(request: HttpRequest, unit_id: int | None = None) -> dict[str, Any]:
    """The 公示 list of a unit (households under public notice): never an ID number, phone, bank
    account, health or risk type."""
    require(request, P.EXPORT)
    unit = _scope_unit(request, unit_id, P.EXPORT)
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "days": workflow_settings().publicity_days,
        "items": publicity_rows(unit=unit),
    }


@router.get(
    "/publicity/export",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "the 公示 list as .xlsx",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def publicity_export(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    """The 公示 list as an Excel workbook (masked writer; the export is in the audit log)."""
    require(request, P.EXPORT)
    unit = _scope_unit(request, unit_id, P.EXPORT)
    output = io.BytesIO()
    publicity_list_export(actor=actor_of(request), unit=unit, output=output, request=request)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="publicity-{unit.pk}.xlsx"'
    return response
