"""What a grid worker's phone adds to a visit: where it took place, the short form's answers, a photo."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lianbang.registry.models import Visit


class VisitDetail(models.Model):
    """The place and the form's answers of a visit recorded on a phone."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="detail")
    place = models.CharField("地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    # {"elderly_health": "stable", "employment": "stable", ...}: see lianbang.mobile.services.ANSWERS
    answers = models.JSONField("表单", default=dict)

    class Meta:
        verbose_name = "走访详情"
        verbose_name_plural = "走访详情"

    def __str__(self) -> str:
        return f"{self.visit_id} {self.place}"


class VisitPhoto(models.Model):
    """One photo taken on a visit, downscaled on the phone; kept in the database (small, audited)."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="photo")
    content_type = models.CharField(max_length=20)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"

    def __str__(self) -> str:
        return f"{self.visit_id} {self.size} B"
