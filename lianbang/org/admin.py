from django.contrib import admin

from lianbang.org.models import Building, MicroGrid, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "party_org_name", "path"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    # Paths are kept by org.services (unit_create, unit_move); the admin only reads them. The
    # console's 单位与网格 adds and renames units and buildings (org.services.unit_add …, audited).
    readonly_fields = ["path", "parent", "level"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "branch", "entrance_count", "floor_count", "rooms_per_floor"]
    search_fields = ["name", "number"]


@admin.register(MicroGrid)
class MicroGridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "building", "worker"]
    search_fields = ["code", "name"]
    raw_id_fields = ["worker"]
