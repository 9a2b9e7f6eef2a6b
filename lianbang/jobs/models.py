"""Background jobs (后台任务): imports, department lists, bulk evaluation, exports.

A job is a record the console shows with a progress bar; the work itself is a task function
registered by the app that owns it (``registry.py``) and run by ``runner.py``, in-process or
by a Celery worker.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

# A running job that has not reported progress for this long was interrupted (worker killed).
STALE_AFTER = timedelta(minutes=5)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=40, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # What to do: e.g. {"dry_run": true, "income_year": 2025} or an export's filters.
    params = models.JSONField("参数", default=dict, blank=True)
    input_name = models.CharField("上传文件名", max_length=255, blank=True)
    input_path = models.CharField("输入文件", max_length=500, blank=True)
    result_path = models.CharField("结果文件", max_length=500, blank=True)
    error_path = models.CharField("错误报告", max_length=500, blank=True)
    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    counts = models.JSONField("计数", default=dict, blank=True)
    # The task's summary for the page (e.g. the preview rows), JSON; large lists live in files.
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    task_id = models.CharField("任务ID", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["created_by", "created_at"], name="job_owner_time")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.status}"

    @property
    def directory(self) -> Path:
        return Path(settings.VAR_DIR) / "jobs" / str(self.pk)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stale(self) -> bool:
        """Running, but silent for too long: its worker died. Re-running it is safe."""
        last = self.heartbeat_at or self.started_at
        return self.status == self.Status.RUNNING and last is not None and timezone.now() - last > STALE_AFTER
