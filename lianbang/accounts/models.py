"""Users, the units and roles they hold, and what login security and scoping keep about them.

The permission matrix (which role may do what) is in ``permissions.py``; who sees which
households is in ``scope.py``. See docs/permissions.md.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from lianbang.org.models import Unit


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区管理员"
    STREET_OFFICIAL = "street_official", "街道干部"
    COMMUNITY_OFFICIAL = "community_official", "社区干部"
    AREA_LEADER = "area_leader", "片区长"
    BRANCH_SECRETARY = "branch_secretary", "楼栋长/支部书记"
    FLOOR_LEADER = "floor_leader", "党小组长"
    GRID_WORKER = "grid_worker", "网格员"
    DEPARTMENT = "department", "部门用户"
    HELPER = "helper", "帮扶责任人"
    LEADER = "leader", "领导"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


class Department(models.TextChoices):
    """The departments that push screening lists (部门筛查预警, DOMAIN §8)."""

    HUMAN_RESOURCES = "hrss", "人社"
    CIVIL_AFFAIRS = "civil_affairs", "民政"
    MEDICAL_SECURITY = "medical_security", "医保"
    HEALTH = "health", "卫健"
    EDUCATION = "education", "教育"
    DISABLED_FEDERATION = "disabled_federation", "残联"
    EMERGENCY = "emergency", "应急"
    HOUSING = "housing", "住建"
    WATER = "water", "水利"


class Permission(models.TextChoices):
    UNIT_VIEW = "unit.view", "查看单位及汇总数"
    HOUSEHOLD_VIEW = "household.view", "查看户和成员（脱敏）"
    HOUSEHOLD_EDIT = "household.edit", "录入和修改户信息"
    SENSITIVE_REVEAL = "sensitive.reveal", "查看单项敏感信息（须填理由）"
    BREAK_GLASS = "break_glass", "辖区外紧急访问（须填理由，报上级）"
    EXPORT = "export", "导出（脱敏）"
    DEPARTMENT_UPLOAD = "department.upload", "上传部门筛查名单"
    AUDIT_VIEW = "audit.view", "查询和导出审计日志"
    USERS_MANAGE = "users.manage", "管理账号和任职"
    CONFIG_MANAGE = "config.manage", "系统配置"
    EMPLOYMENT_VIEW = "employment.view", "查看就业数据（企业、岗位、就业率）"
    EMPLOYMENT_RECORD = "employment.record", "登记摸底、就业意愿、推荐和回访"
    EMPLOYMENT_MANAGE = "employment.manage", "管理企业、岗位、招聘会、培训和转运"


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=11, blank=True)
    # Set when the owner chooses their own password; empty means the password was issued by
    # someone else (a new account, an administrator's reset) and must be changed at login.
    password_changed_at = models.DateTimeField("本人修改密码时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class Assignment(models.Model):
    """A user's role in one unit: they see that unit's subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    # db_default: bulk loaders (the demo's COPY) that name only the older columns still insert.
    department = models.CharField(
        "部门",
        max_length=30,
        blank=True,
        default="",
        db_default="",
        choices=Department.choices,
        help_text="仅部门用户填写",
    )

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="assignment_unique"),
            models.CheckConstraint(
                condition=Q(role="department", department__gt="")
                | (~Q(role="department") & Q(department="")),
                name="assignment_department_iff_department_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class RolePermissionOverride(models.Model):
    """An administrator's change to the default matrix: grant or withdraw one permission."""

    role = models.CharField("角色", max_length=30, choices=Role.choices)
    permission = models.CharField("权限", max_length=40, choices=Permission.choices)
    granted = models.BooleanField("授予", help_text="勾选为授予，不勾选为收回")

    class Meta:
        verbose_name = "权限调整"
        verbose_name_plural = "权限调整"
        constraints = [
            models.UniqueConstraint(fields=["role", "permission"], name="role_permission_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {'+' if self.granted else '−'} {self.permission}"


class HelperPairing(models.Model):
    """帮扶责任人 ↔ household (结对帮扶): a helper sees the households they are paired with."""

    helper = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pairings")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="pairings")
    since = models.DateField("结对日期", auto_now_add=True)

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        constraints = [models.UniqueConstraint(fields=["helper", "household"], name="helper_pairing_unique")]

    def __str__(self) -> str:
        return f"{self.helper} ↔ {self.household}"


class DepartmentMatch(models.Model):
    """A household matched by a department's list: that department's users may see it."""

    department = models.CharField("部门", max_length=30, choices=Department.choices)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="department_matches"
    )
    source = models.CharField("名单", max_length=200, blank=True)
    matched_at = models.DateTimeField("匹配时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门名单匹配"
        verbose_name_plural = "部门名单匹配"
        constraints = [
            models.UniqueConstraint(fields=["department", "household"], name="department_match_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_department_display()} · {self.household}"


class BreakGlassGrant(models.Model):
    """Access to one household outside the user's scope, with a reason, for a limited time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="break_glass_grants")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("理由", max_length=500)
    granted_at = models.DateTimeField("开始", auto_now_add=True)
    expires_at = models.DateTimeField("截止", db_index=True)

    class Meta:
        verbose_name = "紧急访问"
        verbose_name_plural = "紧急访问"

    def __str__(self) -> str:
        return f"{self.user} → {self.household}"


class SecurityNotice(models.Model):
    """A report to a unit's officials (e.g. a break-the-glass access by someone below them)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="security_notices")
    kind = models.CharField("类型", max_length=30)
    message = models.CharField("内容", max_length=500)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "安全通知"
        verbose_name_plural = "安全通知"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so that the last few are not chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginLock(models.Model):
    """Failed logins per account name or per IP address, and the lock they lead to."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "账号"
        IP = "ip", "IP地址"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    key = models.CharField("账号或IP", max_length=150)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    window_started_at = models.DateTimeField("首次失败时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_lock_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class ApiToken(models.Model):
    """A bearer token for scripts and integrations, acting as one role in one unit.

    Only a sha256 digest is stored; the token itself is shown once when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
