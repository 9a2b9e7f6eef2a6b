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


class ScopeExit(models.Model):
    """A household that left a user's scope (moved out of their micro-grid, or the grid given to
    another worker): the user's next incremental pull lists it under ``removed`` so that the
    phone drops its copy. Rows older than any cursor still in use can be pruned."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "离开范围的户"
        verbose_name_plural = "离开范围的户"
        indexes = [models.Index(fields=["user", "at"], name="scope_exit_user_time")]

    def __str__(self) -> str:
        return f"{self.user_id} ↛ {self.household_id}"
