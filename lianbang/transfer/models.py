"""Thresholds of the department screening lists (DOMAIN §8), editable by an administrator."""

from __future__ import annotations

from django.db import models


class ScreeningThreshold(models.Model):
    """A configurable threshold; a key without a row uses the default of ``departments.py``."""

    key = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "部门筛查阈值"
        verbose_name_plural = "部门筛查阈值"

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"
