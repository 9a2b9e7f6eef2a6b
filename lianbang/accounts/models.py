"""Users and the units they are bound to. Permission rules per role come with the access issue."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

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


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=11, blank=True)

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

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
