"""Administrators edit the workflow settings and see dead letters (and put them back in the queue)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from lianbang.cases.conf import approval_levels_check
from lianbang.cases.models import Alert, Case, CaseEvent, OutboxMessage, WorkflowSettings
from lianbang.cases.services.delivery import outbox_retry
from lianbang.cases.vocab import OutboxStatus
from lianbang.common.errors import ApplicationError


class WorkflowSettingsForm(forms.ModelForm):
    class Meta:
        model = WorkflowSettings
        fields = [f.name for f in WorkflowSettings._meta.concrete_fields if f.name != "id"]

    def clean_approval_levels(self) -> list[str]:
        try:
            return approval_levels_check(self.cleaned_data["approval_levels"])
        except ApplicationError as error:
            raise forms.ValidationError(f"{error.message} ({error.message_en})") from error


@admin.register(WorkflowSettings)
class WorkflowSettingsAdmin(admin.ModelAdmin):
    form = WorkflowSettingsForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not WorkflowSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "action", "from_state", "to_state", "actor", "at", "payload"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "title", "state", "level", "handling_unit", "opened_at", "closed_at"]
    list_filter = ["kind", "state", "level", "channel"]
    search_fields = ["title", "household__household_no"]
    readonly_fields = [f.name for f in Case._meta.concrete_fields]
    inlines = [EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["pk", "household", "risk_type", "level", "channel", "status", "case", "raised_at"]
    list_filter = ["status", "channel", "level"]
    readonly_fields = [f.name for f in Alert._meta.concrete_fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Dead letters: filter by status 死信, read the last error, retry once the receiver is fixed."""

    list_display = ["pk", "channel", "kind", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    readonly_fields = [f.name for f in OutboxMessage._meta.concrete_fields]
    actions = ["retry"]

    @admin.action(description="重新发送所选死信 (retry dead letters)")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        retried = 0
        for message in queryset.filter(status=OutboxStatus.DEAD):
            try:
                outbox_retry(message_id=message.pk)
                retried += 1
            except ApplicationError as error:
                self.message_user(request, error.message, messages.WARNING)
        self.message_user(request, f"已重新排队 {retried} 条")
