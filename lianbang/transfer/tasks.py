"""The transfer app's background jobs: household import, department lists, bulk evaluation
and exports. Each is a thin wrapper around a service; the job record keeps the counts, a
summary for the page and the files to download."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from lianbang.accounts.models import Permission, User
from lianbang.accounts.scope import grants_with, households_for, unit_for
from lianbang.care.exports import CARE_EXPORTS, care_export, care_export_name
from lianbang.cases.exports import CASE_LIST_EXPORTS
from lianbang.common.errors import ApplicationError
from lianbang.dashboards.household_list import HouseholdQuery, households_listed
from lianbang.dashboards.people import PeopleQuery, people_listed
from lianbang.dashboards.services import moment_at
from lianbang.jobs.exports import export_run, export_start
from lianbang.jobs.models import Job
from lianbang.jobs.registry import register
from lianbang.jobs.runner import JobContext
from lianbang.monitoring.bulk import households_evaluate_all
from lianbang.org.models import Unit, path_prefix_q
from lianbang.policies.exports import MISSED_EXPORT, MISSED_TITLE, missed_export
from lianbang.registry.models import Household
from lianbang.transfer.errorfile import write_error_file
from lianbang.transfer.exports import ListFilter, households_export, members_export, people_export
from lianbang.transfer.importing import ImportReport, households_import
from lianbang.transfer.reports import employment_report, monthly_report, publicity_list
from lianbang.transfer.scope import EditScope
from lianbang.transfer.screening import STATUS_LABELS, ScreeningReport, department_list_process

PREVIEW_ROWS = 300
IMPORT = "import_households"
DEPARTMENT = "department_list"
EVALUATE = "evaluate_all"
EXPORT = "export"
EXPORTS = {
    "members": "成员名单",
    "households": "户名单",
    "people": "人员名单",
    "cases": "案件清单",
    "matters": "诉求与纠纷清单",
    "monthly": "月度监测报告",
    "employment": "就业情况报告",
    "publicity": "公示名单",
}
# The console's lists exported with that list's own filters (POST /api/v1/people/export,
# /cases/export, /matters/export): neither the transfer export form nor the CLI offers them.
CONSOLE_LIST_EXPORTS = frozenset({"people", *CASE_LIST_EXPORTS})
# Other apps' console lists, each written by its app's own module with the list's own query
# (``list_export_start``): name → (title, writer). Not offered on the transfer page's form.
ListWriter = Callable[..., int]
LIST_EXPORTS: dict[str, tuple[str, ListWriter]] = {
    MISSED_EXPORT: (MISSED_TITLE, missed_export),
    **{
        care_export_name(what): (export.title, functools.partial(care_export, what))
        for what, export in CARE_EXPORTS.items()
    },
}
EXPORT_TITLES = {**EXPORTS, **{what: title for what, (title, _) in LIST_EXPORTS.items()}}


@register(IMPORT, "户信息导入")
def import_households_task(ctx: JobContext) -> None:
    params = ctx.params
    report = households_import(
        path=ctx.input_path,
        name=ctx.job.input_name,
        actor=ctx.actor,
        dry_run=bool(params.get("dry_run")),
        income_year=_int(params.get("income_year")),
        scope=EditScope.of(ctx.actor) if ctx.actor else None,
        progress=ctx.progress,
    )
    job = ctx.job
    job.counts = report.summary()
    job.summary = _import_summary(report)
    if report.error_rows:
        path = ctx.path("errors.xlsx")
        write_error_file(
            path,
            report.titles,
            (
                (r.row, report.error_cells.get(r.row, []), ["；".join(e.reason for e in r.errors)])
                for r in report.error_rows
            ),
        )
        job.error_path = str(path)
    job.message = _import_message(report)


def _import_summary(report: ImportReport) -> dict[str, Any]:
    errors = [r.as_dict() for r in report.error_rows[:PREVIEW_ROWS]]
    first = [r.as_dict() for r in report.rows[:PREVIEW_ROWS]]
    return {
        "columns": report.columns,
        "unknown_columns": report.unknown_columns,
        "header_rows": report.header_rows,
        "sheet": report.sheet,
        "rows": first,
        "errors": errors,
        "more_rows": max(0, len(report.rows) - PREVIEW_ROWS),
        "more_errors": max(0, len(report.error_rows) - PREVIEW_ROWS),
    }


def _import_message(report: ImportReport) -> str:
    counts = report.summary()["households"]
    verb = "预计" if report.dry_run else "已"
    return (
        f"{verb}新增 {counts['created']} 户，{verb}更新 {counts['updated']} 户，"
        f"无变化 {counts['unchanged']} 户，有误 {counts['error']} 户（{len(report.error_rows)} 行）"
    )


@register(DEPARTMENT, "部门筛查名单")
def department_list_task(ctx: JobContext) -> None:
    params = ctx.params
    report = department_list_process(
        path=ctx.input_path,
        name=ctx.job.input_name,
        department=str(params.get("department", "")),
        actor=ctx.actor,
        dry_run=bool(params.get("dry_run")),
        unit_paths=_upload_paths(ctx),
        progress=ctx.progress,
    )
    job = ctx.job
    job.counts = report.summary()
    job.summary = {
        "rows": [_list_row(r) for r in report.rows[:PREVIEW_ROWS]],
        "more_rows": max(0, len(report.rows) - PREVIEW_ROWS),
    }
    if report.reported_rows:
        path = ctx.path("unmatched.xlsx")
        write_error_file(
            path,
            report.titles,
            ((r.row, r.cells, [STATUS_LABELS[r.status], r.reason]) for r in report.reported_rows),
            notes=("结果", "原因"),
        )
        job.error_path = str(path)
    job.message = _list_message(report)


def _list_row(row: Any) -> dict[str, Any]:
    return {**row.as_dict(), "status_label": STATUS_LABELS.get(row.status, row.status)}


def _list_message(report: ScreeningReport) -> str:
    rows = report.summary()["rows"]
    return (
        "，".join(f"{STATUS_LABELS[status]} {count} 行" for status, count in rows.items() if count)
        or "名单为空"
    )


def _upload_paths(ctx: JobContext) -> tuple[str, ...] | None:
    if ctx.actor is None:
        return None
    grants = grants_with(ctx.actor, Permission.DEPARTMENT_UPLOAD)
    if any(g.unit is None for g in grants):
        return None
    return tuple(g.unit.path for g in grants if g.unit is not None)


@register(EVALUATE, "全量重新研判")
def evaluate_all_task(ctx: JobContext) -> None:
    # 全量: every household judged again, also one changed where no service saw it.
    result = households_evaluate_all(as_of=timezone.localdate(), cause="job", full=True)
    ctx.job.counts = {"households": result.households, "lights_changed": result.lights_changed}
    ctx.job.message = f"研判 {result.households} 户，灯色变化 {result.lights_changed} 户"


@register(EXPORT, "导出")
def export_task(ctx: JobContext) -> None:
    export_run(ctx, exports=EXPORT_TITLES, write=_export)


def household_list_export_start(*, actor: User, query: HouseholdQuery) -> Job:
    """Start the export of the console's household list exactly as ``query`` filters and sorts
    it (the job carries the query; the task parses it with the list's own parser)."""
    params = {"what": "households", "list": query.as_params()}
    return export_start(kind=EXPORT, actor=actor, params=params)


def people_list_export_start(*, actor: User, query: PeopleQuery) -> Job:
    """Start the export of the console's people list exactly as ``query`` filters and sorts it."""
    params = {"what": "people", "list": query.as_params()}
    return export_start(kind=EXPORT, actor=actor, params=params)


def list_export_start(*, actor: User, what: str, params: dict[str, str]) -> Job:
    """Start the export of another app's console list ``what`` (``LIST_EXPORTS``) with the
    list's filters, already checked by the caller with the list's own parser."""
    return export_start(kind=EXPORT, actor=actor, params={"what": what, "list": params})


def _export(ctx: JobContext, what: str, params: dict[str, Any], path: Any) -> int:
    actor = ctx.actor
    if what in CASE_LIST_EXPORTS:
        return CASE_LIST_EXPORTS[what](ctx, path, params.get("list") or {})
    if what in LIST_EXPORTS:
        _, writer = LIST_EXPORTS[what]
        return writer(path, actor=actor, list_params=params.get("list") or {}, progress=ctx.progress)
    if what == "households" and isinstance(params.get("list"), dict):
        return _list_export(ctx, path, params["list"])
    if what == "people":
        return _people_export(ctx, path, params.get("list") or {})
    unit = _unit(ctx, params.get("unit_id"))
    if what in ("members", "households"):
        households = _scoped_households(ctx, unit)
        writer = members_export if what == "members" else households_export
        return writer(
            path,
            households=households,
            actor=actor,
            list_filter=ListFilter.from_params(params),
            progress=ctx.progress,
        )
    if unit is None:
        raise ApplicationError("unit_required", "请选择单位", "choose a unit")
    if what == "monthly":
        return monthly_report(
            path, unit=unit, month=_day(params.get("month")) or timezone.localdate(), actor=actor
        )
    if what == "employment":
        return employment_report(
            path, unit=unit, as_of=_day(params.get("as_of")) or timezone.localdate(), actor=actor
        )
    return publicity_list(path, unit=unit, actor=actor)


def _list_export(ctx: JobContext, path: Any, list_params: dict[str, Any]) -> int:
    """The console list's export: the same parser, scope (for ``export``) and order as the list."""
    query = HouseholdQuery.parse(list_params)
    if ctx.actor is None:
        raise ApplicationError("forbidden", "导出须有操作人", "an export needs a user", status=403)
    rows = households_listed(ctx.actor, query, permission=Permission.EXPORT)
    return households_export(
        path, households=rows, actor=ctx.actor, progress=ctx.progress, audit_filter=query.as_params()
    )


def _people_export(ctx: JobContext, path: Any, list_params: dict[str, Any]) -> int:
    """The people list's export: the same parser, scope (for ``export``) and order as the list."""
    query = PeopleQuery.parse(list_params)
    if ctx.actor is None:
        raise ApplicationError("forbidden", "导出须有操作人", "an export needs a user", status=403)
    moment = moment_at()
    rows, _ = people_listed(ctx.actor, query, moment, permission=Permission.EXPORT)
    return people_export(
        path,
        members=rows,
        moment=moment,
        actor=ctx.actor,
        progress=ctx.progress,
        audit_filter=query.as_params(),
    )


def _unit(ctx: JobContext, unit_id: Any) -> Unit | None:
    if not unit_id:
        return None
    if ctx.actor is None:
        return Unit.objects.filter(pk=unit_id).first()
    unit = unit_for(ctx.actor, unit_id, Permission.EXPORT)
    if unit is None:
        raise ApplicationError(
            "not_found", "单位不存在或不在您的范围内", "no such unit in your scope", status=404
        )
    return unit


def _scoped_households(ctx: JobContext, unit: Unit | None) -> Any:
    households = households_for(ctx.actor, Permission.EXPORT) if ctx.actor else Household.objects.all()
    return households.filter(path_prefix_q(unit.path, "unit__path")) if unit else households


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def job_kind_label(job: Job) -> str:
    what = job.params.get("what")
    return EXPORT_TITLES.get(str(what), "") if job.kind == EXPORT else ""
