from django.contrib import admin

from lianbang.transfer.models import ScreeningThreshold


@admin.register(ScreeningThreshold)
class ScreeningThresholdAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "amount"]
    readonly_fields = ["key"]
