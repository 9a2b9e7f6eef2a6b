from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from lianbang.accounts.lockout import unlock
from lianbang.accounts.models import (
    ApiToken,
    Assignment,
    BreakGlassGrant,
    DepartmentMatch,
    HelperPairing,
    LoginLock,
    RolePermissionOverride,
    SecurityNotice,
    User,
)
from lianbang.accounts.tokens import token_revoke


class IssuedPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator must be changed by its owner at the next login."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.password_changed_at = None
        if commit:
            user.save()
        return user


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class LianbangUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "is_active", "is_staff", "password_changed_at"]
    search_fields = ["username", "full_name"]
    inlines = [AssignmentInline]
    change_password_form = IssuedPasswordForm
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("链帮", {"fields": ("full_name", "phone", "password_changed_at")}),
    )


@admin.register(RolePermissionOverride)
class RolePermissionOverrideAdmin(admin.ModelAdmin):
    list_display = ["role", "permission", "granted"]
    list_filter = ["role", "permission"]


@admin.register(HelperPairing)
class HelperPairingAdmin(admin.ModelAdmin):
    list_display = ["helper", "household", "since"]
    raw_id_fields = ["helper", "household"]
    search_fields = ["helper__username", "household__household_no"]


@admin.register(DepartmentMatch)
class DepartmentMatchAdmin(admin.ModelAdmin):
    list_display = ["department", "household", "source", "matched_at"]
    list_filter = ["department"]
    raw_id_fields = ["household"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "household", "reason", "granted_at", "expires_at"]


@admin.register(SecurityNotice)
class SecurityNoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "unit", "kind", "message"]
    list_filter = ["kind"]


@admin.register(LoginLock)
class LoginLockAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "failures", "locked_until"]
    readonly_fields = ["kind", "key", "failures", "window_started_at", "locked_until"]
    list_filter = ["kind"]
    search_fields = ["key"]
    actions = ["unlock_selected"]

    @admin.action(description="解除锁定")
    def unlock_selected(self, request: HttpRequest, queryset: QuerySet[LoginLock]) -> None:
        for lock in queryset:
            unlock(lock=lock, actor=request.user)
        self.message_user(request, f"已解除 {queryset.count()} 项锁定", messages.SUCCESS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Actions need change permission; the form itself shows no editable field.
        return bool(request.user.is_staff and request.user.has_perm("accounts.change_loginlock"))


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "role", "unit", "name", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = [
        "user",
        "unit",
        "role",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "created_by",
    ]
    exclude = ["digest"]
    search_fields = ["prefix", "user__username"]
    actions = ["revoke_selected"]

    @admin.action(description="吊销令牌")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token, actor=request.user)
        self.message_user(request, "已吊销", messages.SUCCESS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and request.user.has_perm("accounts.change_apitoken"))
