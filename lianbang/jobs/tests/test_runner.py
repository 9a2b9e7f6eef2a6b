"""Jobs: recorded, run in-process (or by a worker), failures kept on the job, re-runs safe."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError
from lianbang.jobs.models import Job
from lianbang.jobs.registry import register
from lianbang.jobs.runner import JobContext, job_dispatch, job_rerun, job_run, job_submit

calls: list[int] = []


@register("test_count", "测试计数")
def count_task(ctx: JobContext) -> None:
    total = int(ctx.params.get("total", 3))
    for done in range(1, total + 1):
        ctx.progress(done, total, force=True)
    calls.append(ctx.job.pk)
    ctx.job.counts = {"counted": total}


@register("test_refuse", "测试拒绝")
def refuse_task(ctx: JobContext) -> None:
    raise ApplicationError("bad", "数据有误，未处理", "bad data")


@register("test_crash", "测试崩溃")
def crash_task(ctx: JobContext) -> None:
    raise RuntimeError("disk full")


@pytest.fixture
def user(db: None) -> User:
    return User.objects.create_user("clerk", password="x")


def test_a_job_runs_in_process_and_keeps_its_progress_and_counts(user: User) -> None:
    job = job_submit(kind="test_count", actor=user, params={"total": 4})
    job_dispatch(job)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.percent) == ("done", 4, 4, 100)
    assert job.counts == {"counted": 4} and job.attempts == 1 and job.finished_at is not None


def test_a_refused_job_keeps_the_reason_for_the_user(user: User) -> None:
    job = job_run(job_submit(kind="test_refuse", actor=user).pk)
    assert (job.status, job.message) == ("failed", "数据有误，未处理")


def test_an_unexpected_error_fails_the_job_instead_of_the_page(user: User) -> None:
    job = job_run(job_submit(kind="test_crash", actor=user).pk)
    assert job.status == "failed" and job.message == "RuntimeError: disk full"


def test_an_unknown_kind_is_refused_when_submitted(user: User) -> None:
    with pytest.raises(ApplicationError):
        job_submit(kind="no_such_kind", actor=user)


def test_a_finished_job_is_not_run_twice_by_a_second_delivery(user: User) -> None:
    calls.clear()
    job = job_submit(kind="test_count", actor=user)
    job_run(job.pk)
    job_run(job.pk)  # the broker delivered it again
    assert calls.count(job.pk) == 1


def test_a_rerun_runs_a_failed_job_again(user: User) -> None:
    job = job_run(job_submit(kind="test_crash", actor=user).pk)
    Job.objects.filter(pk=job.pk).update(kind="test_count")
    job = job_rerun(job)
    assert job.status == "done" and job.attempts == 2


def test_a_running_job_that_went_silent_is_shown_as_interrupted(user: User) -> None:
    job = job_submit(kind="test_count", actor=user)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now() - timedelta(minutes=6))
    job.refresh_from_db()
    assert job.is_stale
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    job.refresh_from_db()
    assert not job.is_stale


def test_the_input_file_is_kept_in_the_jobs_folder(user: User, tmp_path: Path) -> None:
    source = tmp_path / "upload.csv"
    source.write_text("户编号,姓名\n", encoding="utf-8")
    job = job_submit(kind="test_count", actor=user, upload=source, input_name="名单.csv")
    assert Path(job.input_path).read_text(encoding="utf-8") == "户编号,姓名\n"
    assert Path(job.input_path).parent == job.directory and job.input_name == "名单.csv"


def test_the_jobs_command_lists_and_reruns(user: User, capsys: pytest.CaptureFixture[str]) -> None:
    job = job_run(job_submit(kind="test_crash", actor=user).pk)
    call_command("jobs", "list")
    assert f"#{job.pk} 测试崩溃 failed" in capsys.readouterr().out
    Job.objects.filter(pk=job.pk).update(kind="test_count")
    call_command("jobs", "rerun", str(job.pk))
    assert Job.objects.get(pk=job.pk).status == "done"
