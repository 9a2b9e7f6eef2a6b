"""The employment app's background job: its Excel exports (未摸底人员, 岗位清单, 就业情况报告).

A thin wrapper around ``employment.exports`` and the transfer app's employment report; the
scope is checked again when the job runs, with the permissions of the user who asked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import members_for, unit_for
from lianbang.employment import matching
from lianbang.employment.access import not_found, visible_units_q
from lianbang.employment.exports import postings_export, unreached_export
from lianbang.employment.models import JobPosting, SurveyCampaign
from lianbang.employment.selectors import unreached
from lianbang.jobs.exports import export_run
from lianbang.jobs.registry import register
from lianbang.jobs.runner import JobContext
from lianbang.org.models import Unit, path_prefix_q
from lianbang.transfer.reports import employment_report

EMPLOYMENT_EXPORT = "employment_export"
EMPLOYMENT_EXPORTS = {
    "unreached": "未摸底人员",
    "postings": "岗位清单",
    "report": "就业情况报告",
}


@register(EMPLOYMENT_EXPORT, "就业导出")
def employment_export_task(ctx: JobContext) -> None:
    export_run(ctx, exports=EMPLOYMENT_EXPORTS, write=_export)


def _export(ctx: JobContext, what: str, params: dict[str, Any], path: Any) -> int:
    actor = ctx.actor
    today = timezone.localdate()
    unit = _unit(ctx, params.get("unit_id"))
    if what == "postings":
        open_only = params.get("open_only", True) is not False
        postings = _postings(ctx, unit, open_only)
        return postings_export(path, postings=postings, unit=unit, actor=actor, open_only=open_only)
    if what == "report":
        return employment_report(path, unit=unit, as_of=today, actor=actor)
    campaigns = SurveyCampaign.objects.filter(visible_units_q(actor)) if actor else SurveyCampaign.objects
    campaign = campaigns.filter(pk=_pk(params.get("campaign_id"))).first()
    if campaign is None:
        raise not_found("摸底批次", "survey campaign")
    members = members_for(actor, Permission.EXPORT)
    return unreached_export(
        path,
        campaign=campaign,
        unit=unit,
        entries=unreached(campaign, unit),
        members=members,
        actor=actor,
        progress=ctx.progress,
    )


def _postings(ctx: JobContext, unit: Unit, open_only: bool) -> QuerySet[JobPosting]:
    """The postings of ``unit`` and the units below it (not those of the units above, which
    ``jobs.view`` also shows), still within what the user may see."""
    rows = matching.open_jobs(timezone.localdate()) if open_only else JobPosting.objects.all()
    rows = rows.filter(path_prefix_q(unit.path, "unit__path"))
    return rows.filter(visible_units_q(ctx.actor)) if ctx.actor else rows


def _unit(ctx: JobContext, unit_id: Any) -> Unit:
    unit = (
        unit_for(ctx.actor, unit_id, Permission.EXPORT)
        if ctx.actor
        else Unit.objects.filter(pk=unit_id).first()
    )
    if unit is None:
        raise not_found("单位", "unit")
    return unit


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
