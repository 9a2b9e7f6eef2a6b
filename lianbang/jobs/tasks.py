"""The one Celery task: run a job by id. The work is the registered task function."""

from __future__ import annotations

from lianbang.celery import app
from lianbang.jobs.runner import TASK_NAME, job_run


@app.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> str:
    return job_run(job_id).status
