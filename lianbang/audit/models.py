"""The audit log (审计日志): append-only entries, each carrying the hash of the one before."""

from __future__ import annotations

from django.db import models

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    """Actions this project records; other apps may record their own codes too."""

    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    MOVE = "move", "迁移"
    DEATH = "death", "死亡"
    MOVE_OUT = "move_out", "迁出"
    REVEAL = "reveal", "查看敏感信息"
    BREAK_GLASS = "break_glass", "越权紧急访问"
    EXPORT = "export", "导出"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    PASSWORD_CHANGE = "password_change", "修改密码"
    OTP_ENROL = "otp_enrol", "绑定动态口令"
    OTP_FAILED = "otp_failed", "动态口令错误"
    PERMISSION_CHANGE = "permission_change", "权限变更"
    TOKEN_CREATE = "token_create", "创建接口令牌"
    TOKEN_REVOKE = "token_revoke", "吊销接口令牌"
    ADMIN_CHANGE = "admin_change", "后台修改"
    AUDIT_PRUNE = "audit_prune", "清理过期审计日志"


class AuditEntry(models.Model):
    """One audited act. Never updated or deleted, except by the retention job (see services).

    ``hash`` = sha256(prev_hash + canonical JSON of the entry); ``prev_hash`` is unique, so two
    writers can never both extend the chain from the same entry.
    """

    seq = models.BigIntegerField("序号", db_index=True)
    at = models.DateTimeField("时间", db_index=True)
    # Plain columns, not a foreign key: deleting a user must never touch the log.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    action = models.CharField("操作", max_length=40)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.CharField("原因", max_length=500, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["seq", "id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["action"], name="audit_action"),
        ]
        # Unique as constraints, not ``unique=True``: no varchar_pattern_ops twin on PostgreSQL
        # (a hash is never searched by prefix), one index fewer to keep up on every entry.
        constraints = [
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
            models.UniqueConstraint(fields=["hash"], name="audit_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The end of the chain (one row). Writers lock it to append; verify compares against it."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
