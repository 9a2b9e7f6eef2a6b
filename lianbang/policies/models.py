"""The policy catalogue (政策库, 提情知策) and the record of who receives what.

A policy's eligibility, and where the registry already knows it, its receipt, are conditions in
the monitoring condition language (docs/rules.md), so that an administrator edits them as data
and the same engine judges them for one household or a whole unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianbang.cases.vocab import MeasureType
from lianbang.registry.models import Household, Member, money_field


class Policy(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("政策名称", max_length=100)
    department = models.CharField("主管部门", max_length=50)
    measure_type = models.CharField("措施类型", max_length=30, choices=MeasureType.choices)
    # 风险类型 codes (cases.vocab.RiskType) this policy answers: the measure form suggests it.
    risk_types = models.JSONField("适用风险类型", default=list)
    eligibility = models.JSONField("享受条件")
    # Where the registry records the benefit (低保, 残疾人两项补贴 …): the household receives
    # it when this holds. Without it, only BenefitReceipt rows say who receives it.
    receipt_condition = models.JSONField("已享受条件", null=True, blank=True)
    benefit = models.TextField("政策内容")
    how_to_apply = models.TextField("申请方式")
    note = models.CharField("说明", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class BenefitReceipt(models.Model):
    """A household (or one of its members) receives a policy from ``started_on``."""

    class Source(models.TextChoices):
        MANUAL = "manual", "人工登记"
        DEPARTMENT = "department", "部门名单"
        CASE = "case", "帮扶措施"
        IMPORT = "import", "导入"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="benefit_receipts")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="receipts")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    amount = money_field("金额（元）", null=True, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "政策享受记录"
        verbose_name_plural = "政策享受记录"
        indexes = [models.Index(fields=["policy", "household"], name="receipt_policy_household")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="receipt_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="receipt_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.policy_id}"
