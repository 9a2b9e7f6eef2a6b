"""``lianbang jobs``: list background jobs, run one in this process, or re-run an interrupted one.

lianbang jobs list [--limit 20]
lianbang jobs run ID      run a queued (or interrupted) job here, without a worker
lianbang jobs rerun ID    run a job again (safe: every task is idempotent)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.jobs.models import Job
from lianbang.jobs.registry import label_of
from lianbang.jobs.runner import job_run


class Command(BaseCommand):
    help = "List, run or re-run background jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "run", "rerun"])
        parser.add_argument("job_id", nargs="?", type=int)
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["limit"])
            return
        if options["job_id"] is None:
            raise CommandError("give the job id")
        if not Job.objects.filter(pk=options["job_id"]).exists():
            raise CommandError(f"no job {options['job_id']}")
        if options["action"] == "rerun":
            Job.objects.filter(pk=options["job_id"]).update(status=Job.Status.QUEUED)
        job = job_run(options["job_id"])
        self.stdout.write(self._line(job))
        if job.status == Job.Status.FAILED:
            raise CommandError(job.message)

    def _list(self, limit: int) -> None:
        for job in Job.objects.order_by("-pk")[:limit]:
            self.stdout.write(self._line(job))

    def _line(self, job: Job) -> str:
        stale = " (interrupted)" if job.is_stale else ""
        return (
            f"#{job.pk} {label_of(job.kind)} {job.status}{stale} "
            f"{job.progress_done}/{job.progress_total} {job.counts} {job.message}"
        )
