"""The shape every Excel export job shares: start it in the background, and run it as a thin
wrapper that checks which export was asked for, writes the one file and keeps its row count.

The transfer app's exports and the employment app's use both halves; each app keeps only its
own table of exports and the function that writes one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError
from lianbang.jobs.models import Job
from lianbang.jobs.runner import JobContext, job_dispatch, job_submit

#: Writes export ``what`` with the job's params to the path; answers the rows written.
Writer = Callable[[JobContext, str, dict[str, Any], Path], int]


def export_start(*, kind: str, actor: User, params: dict[str, Any]) -> Job:
    """Submit an export job of ``kind`` and start it in the background (after commit)."""
    with transaction.atomic():
        job = job_submit(kind=kind, actor=actor, params=params)
        job_dispatch(job, background=True)
    job.refresh_from_db()
    return job


def export_run(ctx: JobContext, *, exports: Mapping[str, str], write: Writer) -> None:
    """Run the export named by ``params["what"]`` (one of ``exports``, name → Chinese title)
    into ``<what>.xlsx``; the job keeps the file, the row count and a one-line message."""
    what = str(ctx.params.get("what", ""))
    if what not in exports:
        raise ApplicationError("unknown_export", f"未知的导出类型「{what}」", f"unknown export {what!r}")
    path = ctx.path(f"{what}.xlsx")
    rows = write(ctx, what, ctx.params, path)
    ctx.job.result_path = str(path)
    ctx.job.counts = {"rows": rows}
    ctx.job.message = f"{exports[what]}：{rows} 行"
