"""The console's case board (个案/预警, ``GET /cases``) and other-matters list (``GET /matters``):
one query each (``CaseQuery``, ``MatterQuery``) and one function each (``cases_listed``,
``matters_listed``), shared by the lists and their Excel exports, so that an export holds
exactly the rows the list shows, in the same order.

Every value is checked by the query's parser (a bad one is a 400 naming field, value and
reason; all of them at once); every id is looked up in the caller's scope (a unit, building or
micro-grid outside it answers 404 naming the field)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import unit_for
from lianbang.cases.models import Case, CaseStep
from lianbang.cases.selectors import cases_visible_to
from lianbang.cases.vocab import CaseKind, Level, RiskType
from lianbang.cases.workflow import workflow_of
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.filters import BadValue, one_of, parse_filters, parse_flag, parse_id
from lianbang.dashboards.household_list import building_in_scope, grid_in_scope, month_bounds
from lianbang.org.models import path_prefix_q

# The board's sorts; ties by id in the same direction.
CASE_SORTS = ("-opened_at", "opened_at", "-id", "id")
_CASE_ORDER = {
    "-opened_at": ("-opened_at", "-pk"),
    "opened_at": ("opened_at", "pk"),
    "-id": ("-pk",),
    "id": ("pk",),
}
# The kinds of other matters as the API names them, and as they are stored.
MATTER_KINDS = {
    "resident_request": CaseKind.REQUEST,
    "dispute": CaseKind.DISPUTE,
    "enterprise_issue": CaseKind.ENTERPRISE,
}
CASE_STATES = tuple(state.code for state in workflow_of(CaseKind.RISK).states)
MATTER_STATES = tuple(
    sorted({state.code for kind in MATTER_KINDS.values() for state in workflow_of(kind).states})
)
LEVELS = (Level.RED.value, Level.YELLOW.value)
MAX_DUE_HOURS = 24 * 90


def _hours(raw: Any) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_DUE_HOURS:
        raise BadValue(f"应为1到{MAX_DUE_HOURS}小时之间", f"must be from 1 to {MAX_DUE_HOURS} hours")
    return int(text)


def _month(raw: Any) -> str:
    try:
        month_bounds("closed_in", str(raw))
    except ApplicationError as error:
        raise BadValue(error.message, error.message_en) from None
    return str(raw)


def risk_code(value: str) -> str:
    """A risk type's DOMAIN §5 code from the code or its Chinese name; else a 400."""
    try:
        return _risk(value)
    except BadValue as bad:
        raise ApplicationError(
            "invalid", bad.zh, bad.en, [FieldProblem("risk_type", value, bad.zh, bad.en)]
        ) from None


def _risk(raw: Any) -> str:
    by_label = {str(label): code for code, label in RiskType.choices}
    text = str(raw).strip()
    return one_of(tuple(RiskType.values))(by_label.get(text, text))


def _as_params(query: Any) -> dict[str, str]:
    """A query as strings (what an export job carries and the audit log keeps)."""
    out: dict[str, str] = {}
    for name, value in asdict(query).items():
        if value is None:
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


@dataclass(frozen=True)
class CaseQuery:
    """The case board's filters and sort (``GET /cases``), already checked."""

    unit_id: int | None = None
    building_id: int | None = None
    grid_id: int | None = None
    state: str | None = None
    level: str | None = None
    risk_type: str | None = None
    assigned_to_me: bool = False
    overdue: bool | None = None
    due_within_hours: int | None = None
    open: bool | None = None
    closed_in: str | None = None
    sort: str = "-opened_at"

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> CaseQuery:
        """The query from ``params`` (typed values, or strings as a query string or a JSON
        body carries them)."""
        return cls(**parse_filters(params, _CASE_PARSERS))

    def as_params(self) -> dict[str, str]:
        return _as_params(self)


_CASE_PARSERS: dict[str, Callable[[Any], Any]] = {
    "unit_id": parse_id,
    "building_id": parse_id,
    "grid_id": parse_id,
    "state": one_of(CASE_STATES),
    "level": one_of(LEVELS),
    "risk_type": _risk,
    "assigned_to_me": parse_flag,
    "overdue": parse_flag,
    "due_within_hours": _hours,
    "open": parse_flag,
    "closed_in": _month,
    "sort": one_of(CASE_SORTS),
}


@dataclass(frozen=True)
class MatterQuery:
    """The other matters' filters (``GET /matters``), already checked; newest first."""

    kind: str | None = None
    state: str | None = None
    unit_id: int | None = None
    open: bool | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> MatterQuery:
        return cls(**parse_filters(params, _MATTER_PARSERS))

    def as_params(self) -> dict[str, str]:
        return _as_params(self)


_MATTER_PARSERS: dict[str, Callable[[Any], Any]] = {
    "kind": one_of(tuple(MATTER_KINDS)),
    "state": one_of(MATTER_STATES),
    "unit_id": parse_id,
    "open": parse_flag,
}


def open_steps() -> QuerySet[CaseStep]:
    """The open steps (deadlines) of the case of the outer query."""
    return CaseStep.objects.filter(case=OuterRef("pk"), done_at__isnull=True, cancelled_at__isnull=True)


def with_next_due(rows: QuerySet[Case]) -> QuerySet[Case]:
    """The rows with what a list row shows: household, units, assignee, ``next_due_at``."""
    next_due = Subquery(open_steps().order_by("due_at").values("due_at")[:1])
    return rows.select_related("household", "unit", "handling_unit", "assignee").annotate(
        next_due_at=next_due
    )


def cases_listed(
    user: Any, query: CaseQuery, now: datetime, *, permission: str = Permission.HOUSEHOLD_VIEW
) -> QuerySet[Case]:
    """The risk cases the caller sees (scoped for ``permission``) matching ``query``, annotated
    with ``next_due_at`` and in the query's order."""
    rows = cases_visible_to(user, permission).filter(kind=CaseKind.RISK)
    rows = rows.filter(_unit_q(user, query.unit_id, permission))
    if query.building_id is not None:
        rows = rows.filter(household__building=building_in_scope(user, query.building_id, permission))
    if query.grid_id is not None:
        rows = rows.filter(household__grid=grid_in_scope(user, query.grid_id, permission))
    if query.closed_in is not None:
        start, end = month_bounds("closed_in", query.closed_in)
        rows = rows.filter(closed_at__gte=start, closed_at__lt=end)
    if query.state:
        rows = rows.filter(state=query.state)
    if query.level:
        rows = rows.filter(level=query.level)
    if query.risk_type:
        rows = rows.filter(risk_types__icontains=f'"{query.risk_type}"')
    if query.assigned_to_me:
        rows = rows.filter(assignee=user)
    if query.open is not None:
        rows = rows.filter(closed_at__isnull=query.open)
    rows = _deadlines(rows, now, query.overdue, query.due_within_hours)
    return with_next_due(rows).order_by(*_CASE_ORDER[query.sort])


def matters_listed(
    user: Any, query: MatterQuery, *, permission: str = Permission.HOUSEHOLD_VIEW
) -> QuerySet[Case]:
    """The other matters the caller sees (scoped for ``permission``) matching ``query``,
    annotated with ``next_due_at``, newest first."""
    rows = cases_visible_to(user, permission).exclude(kind=CaseKind.RISK)
    rows = rows.filter(_unit_q(user, query.unit_id, permission))
    if query.kind:
        rows = rows.filter(kind=MATTER_KINDS[query.kind])
    if query.state:
        rows = rows.filter(state=query.state)
    if query.open is not None:
        rows = rows.filter(closed_at__isnull=query.open)
    return with_next_due(rows).order_by("-pk")


def _unit_q(user: Any, unit_id: int | None, permission: str) -> Q:
    """The unit's subtree, the unit looked up in the caller's scope (else a 404 naming it)."""
    if unit_id is None:
        return Q()
    unit = unit_for(user, unit_id, permission)
    if unit is None:
        message, message_en = "找不到该单位或无权访问", "no such unit in your scope"
        problem = FieldProblem("unit_id", unit_id, message, message_en)
        raise ApplicationError("not_found", message, message_en, [problem], 404)
    return path_prefix_q(unit.path, "unit__path")


def _deadlines(
    rows: QuerySet[Case], now: datetime, overdue: bool | None, due_within_hours: int | None
) -> QuerySet[Case]:
    """Overdue (an open step past its deadline) and due within the next hours (open cases)."""
    if overdue is not None:
        late = Exists(open_steps().filter(due_at__lt=now))
        rows = rows.filter(late, closed_at__isnull=True) if overdue else rows.exclude(late)
    if due_within_hours is not None:
        soon = open_steps().filter(due_at__gte=now, due_at__lte=now + timedelta(hours=due_within_hours))
        rows = rows.filter(Exists(soon), closed_at__isnull=True)
    return rows
