from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from lianbang.accounts.models import Assignment, User


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class LianbangUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    inlines = [AssignmentInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("链帮", {"fields": ("full_name", "phone")}))
