"""Every change a phone uploaded, kept under its client-generated UUID so a replay is a no-op."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SyncChange(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "已应用"
        CONFLICT = "conflict", "有冲突"
        REJECTED = "rejected", "被拒绝"

    uuid = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices)
    # The per-item result exactly as first returned; a replay returns it again.
    result = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "同步变更"
        verbose_name_plural = "同步变更"

    def __str__(self) -> str:
        return f"{self.uuid} {self.status}"
