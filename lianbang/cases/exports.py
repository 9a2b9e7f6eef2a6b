"""The Excel exports of the console's case board (案件清单, ``POST /api/v1/cases/export``) and
other-matters list (诉求与纠纷清单, ``POST /api/v1/matters/export``).

Each runs as the transfer app's ``export`` job (``what`` ``cases`` / ``matters``, the list's
query in ``params["list"]``): the rows are selected by the list's own function
(``listing.cases_listed`` / ``matters_listed``) scoped for ``export``, so the file holds exactly
the rows of the list in its order; they are written by the transfer app's streamed,
constant-memory writer, always masked (the household's phone; a minor head's name), and the
export is in the audit log (what, rows, filters)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from lianbang.accounts.models import Permission, User
from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record
from lianbang.cases.clock import current, local_day
from lianbang.cases.listing import CaseQuery, MatterQuery, cases_listed, matters_listed
from lianbang.cases.models import Case, CaseEvent
from lianbang.cases.vocab import CaseKind, Channel, EventType, Level, RiskType
from lianbang.cases.workflow import state_label, workflow_of
from lianbang.common.errors import ApplicationError
from lianbang.jobs.runner import JobContext
from lianbang.monitoring.models import Color
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.registry.vocab import MemberStatus, Relation
from lianbang.transfer.exports import CHUNK, Progress, write_rows
from lianbang.transfer.xlsx import Column

# What both lists' rows say of a matter's household, place, owner, deadlines and last action.
_HOUSEHOLD = (
    Column("household_no", "户编号", 16),
    Column("name", "户主姓名", 10),  # ``name``: masked when the head is a minor
    Column("phone", "联系电话", 14),
    Column("community", "所属社区", 14),
    Column("unit", "所属单位", 30),
    Column("handling_unit", "承办单位", 14),
)


def _progress(opened: str) -> tuple[Column, ...]:
    return (
        Column("state", "办理状态", 10),
        Column("assignee", "责任人", 10),
        Column("opened_at", opened, 17),
        Column("next_due_at", "下一期限", 17),
        Column("overdue", "是否逾期", 8),
        Column("escalations", "上报次数", 8),
        Column("closed_at", "办结时间", 17),
        Column("last_action", "最近办理", 16),
        Column("last_action_at", "最近办理时间", 17),
    )


CASE_COLUMNS = (
    Column("id", "案件编号", 10),
    *_HOUSEHOLD,
    Column("risk_types", "风险类型", 22),
    Column("level", "预警等级", 8),
    Column("color", "当前灯色", 8),
    Column("channel", "发现渠道", 14),
    *_progress("发现时间"),
)
MATTER_COLUMNS = (
    Column("id", "事项编号", 10),
    Column("kind", "事项类型", 10),
    Column("title", "事项", 36),
    *_HOUSEHOLD,
    Column("channel", "来源渠道", 14),
    *_progress("登记时间"),
)
_RISK_TYPES = {str(code): str(label) for code, label in RiskType.choices}
_COLORS = {**{str(code): str(label) for code, label in Color.choices}, "": "未研判"}


def cases_export(
    path: Path,
    *,
    cases: QuerySet[Case],
    now: datetime,
    actor: Actor = None,
    progress: Progress | None = None,
    audit_filter: dict[str, Any] | None = None,
) -> int:
    """The (already scoped, filtered and ordered) risk cases, one row each; returns the rows."""
    return _export(path, "cases", cases, now, actor, progress, audit_filter or {})


def matters_export(
    path: Path,
    *,
    matters: QuerySet[Case],
    now: datetime,
    actor: Actor = None,
    progress: Progress | None = None,
    audit_filter: dict[str, Any] | None = None,
) -> int:
    """The (already scoped, filtered and ordered) other matters, one row each."""
    return _export(path, "matters", matters, now, actor, progress, audit_filter or {})


def _export(
    path: Path,
    what: str,
    rows: QuerySet[Case],
    now: datetime,
    actor: Actor,
    progress: Progress | None,
    audit_filter: dict[str, Any],
) -> int:
    chosen = _with_export_facts(rows)
    units = UnitNames()
    render = _case_row if what == "cases" else _matter_row
    rendered: Iterator[dict[str, Any]] = (render(case, units, now) for case in chosen.iterator(CHUNK))
    sheet, columns = ("案件清单", CASE_COLUMNS) if what == "cases" else ("诉求与纠纷清单", MATTER_COLUMNS)
    total = chosen.count() if progress else 0
    count = write_rows(path, sheet, columns, rendered, today=local_day(now), progress=progress, total=total)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=what,
        changes={"rows": count, "masked": True, "filter": audit_filter},
    )
    return count


def _with_export_facts(rows: QuerySet[Case]) -> QuerySet[Case]:
    """The rows with the head of the household (name, birth date) and the last timeline event."""
    head = Member.objects.filter(
        household=OuterRef("household_id"), relation=Relation.HEAD, status=MemberStatus.ACTIVE
    ).order_by("pk")
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    return rows.select_related("household__light").annotate(
        head_name=Subquery(head.values("name")[:1]),
        head_birth_date=Subquery(head.values("birth_date")[:1]),
        last_event_type=Subquery(last.values("type")[:1]),
        last_event_action=Subquery(last.values("action")[:1]),
        last_event_at=Subquery(last.values("at")[:1]),
    )


class UnitNames:
    """Each unit's place as names (``街道/社区/…``, below the district) and its community,
    the units read once each as rows need them."""

    def __init__(self) -> None:
        self._units: dict[int, tuple[str, int]] = {}

    def _line(self, unit: Unit) -> list[tuple[str, int]]:
        ids = unit.ancestor_ids()
        missing = [pk for pk in ids if pk not in self._units]
        if missing:
            found = Unit.objects.filter(pk__in=missing).values_list("pk", "name", "level")
            self._units.update({pk: (name, level) for pk, name, level in found})
        return [self._units[pk] for pk in ids if pk in self._units]

    def path(self, unit: Unit) -> str:
        below = [name for name, level in self._line(unit) if level >= Unit.Level.STREET]
        return "/".join(below) or unit.name

    def community(self, unit: Unit) -> str:
        return next((name for name, level in self._line(unit) if level == Unit.Level.COMMUNITY), "")


def _case_row(case: Case, units: UnitNames, now: datetime) -> dict[str, Any]:
    household = case.household
    light = getattr(household, "light", None) if household else None
    return {
        **_common(case, units, now),
        "risk_types": "、".join(_RISK_TYPES.get(code, code) for code in case.risk_types),
        "level": Level(case.level).label if case.level else "",
        "color": _COLORS.get(light.color if light else "", "") if household else "",
        "channel": _channel(case.channel),
    }


def _matter_row(case: Case, units: UnitNames, now: datetime) -> dict[str, Any]:
    return {
        **_common(case, units, now),
        "kind": CaseKind(case.kind).label,
        "title": case.title,
        "channel": _channel(case.channel),
    }


def _common(case: Case, units: UnitNames, now: datetime) -> dict[str, Any]:
    """The household (the head's real name and birth date: ``write_rows`` masks a minor's name,
    and the phone always), the place, the state in Chinese, owner, deadlines, last action."""
    household = case.household
    next_due = getattr(case, "next_due_at", None)
    last_at = getattr(case, "last_event_at", None)
    return {
        "id": case.pk,
        "household_no": household.household_no if household else "",
        "name": getattr(case, "head_name", None) or "",
        "birth_date": getattr(case, "head_birth_date", None),
        "phone": household.phone if household else "",
        "community": units.community(case.unit),
        "unit": units.path(case.unit),
        "handling_unit": case.handling_unit.name,
        "state": state_label(case.kind, case.state)[0],
        "assignee": str(case.assignee) if case.assignee else "",
        "opened_at": _time(case.opened_at),
        "next_due_at": _time(next_due),
        "overdue": "是" if next_due is not None and next_due < now and case.is_open else "否",
        "escalations": case.escalations,
        "closed_at": _time(case.closed_at),
        "last_action": _event_label(case, getattr(case, "last_event_type", None)),
        "last_action_at": _time(last_at),
    }


def _event_label(case: Case, event_type: str | None) -> str:
    """What the last timeline event did: a transition's name (提请认定, 办结 …), else its type."""
    if not event_type:
        return ""
    action = getattr(case, "last_event_action", "") or ""
    if event_type == EventType.TRANSITION and action:
        found = next((t for t in workflow_of(case.kind).transitions if t.action == action), None)
        if found is not None:
            return found.name
    return str(EventType(event_type).label) if event_type in EventType.values else event_type


def _channel(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- the export job's writers (``transfer.tasks`` runs them for ``what`` cases / matters) ---


def _actor(ctx: JobContext) -> User:
    if ctx.actor is None:
        raise ApplicationError("forbidden", "导出须有操作人", "an export needs a user", status=403)
    return ctx.actor


def case_list_job(ctx: JobContext, path: Path, list_params: dict[str, Any]) -> int:
    """The case board's export: the board's parser, scope (for ``export``) and order."""
    query = CaseQuery.parse(list_params)
    actor, now = _actor(ctx), current()
    rows = cases_listed(actor, query, now, permission=Permission.EXPORT)
    return cases_export(
        path, cases=rows, now=now, actor=actor, progress=ctx.progress, audit_filter=query.as_params()
    )


def matter_list_job(ctx: JobContext, path: Path, list_params: dict[str, Any]) -> int:
    """The matters list's export: the list's parser, scope (for ``export``) and order."""
    query = MatterQuery.parse(list_params)
    actor, now = _actor(ctx), current()
    rows = matters_listed(actor, query, permission=Permission.EXPORT)
    return matters_export(
        path, matters=rows, now=now, actor=actor, progress=ctx.progress, audit_filter=query.as_params()
    )


CASE_LIST_EXPORTS: dict[str, Callable[[JobContext, Path, dict[str, Any]], int]] = {
    "cases": case_list_job,
    "matters": matter_list_job,
}
