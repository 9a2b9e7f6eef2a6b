"""Roll-ups (汇总) of every unit, building and micro-grid, and the monthly light snapshots.

The rows are derived data: ``lianbang dashboards refresh`` rebuilds them set-based from the
registry, the lights and the cases; nothing else writes them.
"""

from __future__ import annotations

from django.db import models


class NodeKind(models.TextChoices):
    UNIT = "unit", "单位"
    BUILDING = "building", "楼栋"
    GRID = "grid", "微网格"


def _count(verbose_name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose_name, default=0)


class Rollup(models.Model):
    """Every dashboard figure of one node's subtree, as of ``computed_at``."""

    kind = models.CharField(max_length=10, choices=NodeKind.choices)
    node_id = models.PositiveBigIntegerField()
    households = _count("户数")
    people = _count("人数")
    red = _count("红灯户")
    yellow = _count("黄灯户")
    green = _count("绿灯户")
    unjudged = _count("未评估户")
    new_risks = _count("本月新增风险户")
    eliminated = _count("本月消除风险")
    open_cases = _count("未结事项")
    overdue_cases = _count("超时事项")
    income_households = _count("有收入记录户数")
    income_people = _count("收入记录人口")
    income_total = models.DecimalField("家庭纯收入合计", max_digits=18, decimal_places=2, default=0)
    median_per_capita = models.DecimalField(
        "人均纯收入中位数", max_digits=12, decimal_places=2, null=True, blank=True
    )
    labour = _count("劳动力")
    employed = _count("就业劳动力")
    stable = _count("稳定就业劳动力")
    elderly = _count("65岁及以上")
    aged_80_plus = _count("80岁及以上")
    children = _count("未满18岁")
    school_age = _count("6–15岁")
    dropouts = _count("辍学")
    unattended = _count("事实无人抚养儿童")
    # {label code: households carrying it}, for the elderly and children labels.
    labels = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "看板汇总"
        verbose_name_plural = "看板汇总"
        constraints = [models.UniqueConstraint(fields=["kind", "node_id"], name="rollup_one_per_node")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.node_id}"


class TrendMonth(models.Model):
    """A month whose end-of-month lights are stored in :class:`MonthlyLights` (all nodes)."""

    month = models.DateField("月份", unique=True)  # the first day of the month
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "趋势月份"
        verbose_name_plural = "趋势月份"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MonthlyLights(models.Model):
    """A node's red / yellow / green households at the end of a month (nodes with any)."""

    kind = models.CharField(max_length=10, choices=NodeKind.choices)
    node_id = models.PositiveBigIntegerField()
    month = models.DateField("月份")
    red = _count("红灯户")
    yellow = _count("黄灯户")
    green = _count("绿灯户")

    class Meta:
        verbose_name = "月末灯色"
        verbose_name_plural = "月末灯色"
        constraints = [
            models.UniqueConstraint(fields=["kind", "node_id", "month"], name="monthly_lights_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.node_id} {self.month:%Y-%m}"
