"""A job sent through the real Celery app to a worker (Redis at 127.0.0.1:6379), when Redis runs."""

from __future__ import annotations

import socket
import time
import uuid
from typing import Any

import pytest
from django.db import transaction

from lianbang.accounts.models import User
from lianbang.jobs.models import Job
from lianbang.jobs.runner import job_dispatch, job_submit
from lianbang.jobs.tests.test_runner import count_task  # noqa: F401  (registers the test kinds)

BROKER = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running at 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_job_sent_through_the_queue(settings: Any, concurrent_connections: None) -> None:
    from celery.contrib.testing.worker import start_worker

    from lianbang.celery import app

    settings.LIANBANG_JOBS_EAGER = False
    # A queue of its own: no message of an earlier run, and no real worker on this Redis takes it.
    queue = f"lianbang-test-{uuid.uuid4().hex}"
    app.conf.update(broker_url=BROKER, broker_connection_retry_on_startup=False, task_default_queue=queue)
    user = User.objects.create_user("clerk", password="x")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
        with transaction.atomic():
            job = job_submit(kind="test_count", actor=user, params={"total": 2})
            job_dispatch(job)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Job.objects.get(pk=job.pk).status != "done":
            time.sleep(0.2)
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.counts) == ("done", {"counted": 2})
    assert job.task_id
