"""Submitting and running jobs: in-process (demo, tests) or through a Celery worker.

- ``LIANBANG_JOBS_EAGER=1``: the task runs in this process when the submitting transaction
  commits — in a background thread for a web request (``LIANBANG_JOBS_THREADED=1``, so the
  page can show progress), else right away.
- ``LIANBANG_JOBS_EAGER=0``: the job id goes to the Celery queue (Redis) on commit; a worker
  runs the same :func:`job_run`. Tasks are acknowledged late, so a killed worker's job is
  delivered again; every task is written so that running it again is safe.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError
from lianbang.jobs.models import Job
from lianbang.jobs.registry import kind_of

logger = logging.getLogger(__name__)
# Progress is written at most this often (seconds), so a fast job does not write per row.
PROGRESS_INTERVAL = 0.5
TASK_NAME = "lianbang.jobs.run"


@dataclass
class JobContext:
    """What a task sees: its job, its parameters, its folder, and a progress reporter."""

    job: Job
    _last_progress: float = field(default=0.0)

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params)

    @property
    def actor(self) -> User | None:
        return self.job.created_by

    @property
    def input_path(self) -> Path:
        return Path(self.job.input_path)

    def path(self, name: str) -> Path:
        self.job.directory.mkdir(parents=True, exist_ok=True)
        return self.job.directory / name

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Report progress; written outside any task transaction so that pollers see it."""
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self.job.progress_done = done
        if total is not None:
            self.job.progress_total = total
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=self.job.progress_total, heartbeat_at=timezone.now()
        )


def job_submit(
    *,
    kind: str,
    actor: User | None,
    params: dict[str, Any] | None = None,
    upload: IO[bytes] | Path | None = None,
    input_name: str = "",
) -> Job:
    """Record a job (and keep its input file in the job's folder); run it with :func:`job_dispatch`."""
    if kind_of(kind) is None:
        raise ApplicationError("unknown_job", f"未知的任务类型「{kind}」", f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, created_by=actor, params=params or {}, input_name=input_name[:255])
    if upload is not None:
        job.input_path = str(_store_input(job, upload, input_name))
        job.save(update_fields=["input_path"])
    return job


def _store_input(job: Job, upload: IO[bytes] | Path, name: str) -> Path:
    suffix = Path(name).suffix.lower()[:8] if name else ""
    job.directory.mkdir(parents=True, exist_ok=True)
    target = job.directory / f"input{suffix}"
    if isinstance(upload, Path):
        shutil.copyfile(upload, target)
    else:
        with target.open("wb") as out:
            shutil.copyfileobj(upload, out)
    return target


def job_dispatch(job: Job, *, background: bool = False) -> None:
    """Run the job in-process or hand it to the worker queue, once the caller commits."""
    if not settings.LIANBANG_JOBS_EAGER:
        transaction.on_commit(lambda: _enqueue(job.pk))
    elif background and settings.LIANBANG_JOBS_THREADED:
        transaction.on_commit(lambda: _start_thread(job.pk))
    else:
        job_run(job.pk)


def job_rerun(job: Job, *, background: bool = False) -> Job:
    """Run a job again (failed, interrupted, or to redo it): safe, since tasks are idempotent."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, finished_at=None)
    job.refresh_from_db()
    job_dispatch(job, background=background)
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from lianbang.celery import app

    try:
        result = app.send_task(TASK_NAME, args=[job_id])
    except Exception as exc:  # the broker is down: say so on the job instead of losing it
        logger.exception("could not queue job %s", job_id)
        _fail(job_id, f"任务队列不可用，请稍后重新运行（{exc}）")
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def _start_thread(job_id: int) -> None:
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"job-{job_id}", daemon=True)
    thread.start()


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    finally:
        connections.close_all()


def job_run(job_id: int) -> Job:
    """Claim the job and run its task; a job already done is left as it is."""
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id)
        .exclude(status=Job.Status.DONE)
        .update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
        )
    )
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise ApplicationError("not_found", f"任务 #{job_id} 不存在", f"no job {job_id}", status=404)
    if not claimed:
        return job
    kind = kind_of(job.kind)
    if kind is None:
        return _fail(job_id, f"未知的任务类型「{job.kind}」")
    try:
        kind.task(JobContext(job))
    except ApplicationError as error:
        return _fail(job_id, error.message)
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        return _fail(job_id, f"{type(exc).__name__}: {exc}")
    return _finish(job)


def _finish(job: Job) -> Job:
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.progress_done = max(job.progress_done, job.progress_total)
    job.save()
    return job


def _fail(job_id: int, message: str) -> Job:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, message=message[:4000], finished_at=timezone.now()
    )
    return Job.objects.get(pk=job_id)
