"""Units, buildings and micro-grids, with the figures each level sees (六提六知)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router, Schema

from lianbang.accounts.scope import root_units, unit_for
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.models import HouseholdLight
from lianbang.org import selectors
from lianbang.org.models import Building, MicroGrid, Unit, path_prefix_q
from lianbang.registry.models import Household

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    name: str
    level: int
    level_label: str
    code: str
    party_org_name: str
    parent_id: int | None


class FiguresOut(Schema):
    unit: UnitOut
    households: int
    members: int
    lights: dict[str, int]


class BuildingOut(Schema):
    id: int
    number: str
    name: str
    branch_id: int
    entrance_count: int
    floor_count: int
    rooms_per_floor: int


class GridOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    building_id: int
    worker: str | None


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = unit_for(request.user, unit_id)
    if unit is None:
        raise ApplicationError(
            "not_found", "找不到该单位或无权访问", "no such unit in your scope", status=404
        )
    return unit


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "level": unit.level,
        "level_label": unit.get_level_display(),
        "code": unit.code,
        "party_org_name": unit.party_org_name,
        "parent_id": unit.parent_id,
    }


@router.get("/units", response=list[UnitOut])
def unit_roots(request: HttpRequest) -> list[dict[str, Any]]:
    """The units the caller is bound to: where their drill-down starts."""
    return [unit_out(unit) for unit in root_units(request.user)]


@router.get("/units/{unit_id}", response=FiguresOut)
def unit_detail(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    return unit_figures(_unit(request, unit_id))


@router.get("/units/{unit_id}/children", response=list[FiguresOut])
def unit_children(request: HttpRequest, unit_id: int) -> list[dict[str, Any]]:
    """The next level down, each with its figures: one drill-down step."""
    return [unit_figures(child) for child in _unit(request, unit_id).children.order_by("name")]


def unit_figures(unit: Unit) -> dict[str, Any]:
    """The selectors' counts of households and people, with the lights rolled up."""
    figures = selectors.unit_figures(unit)
    households = Household.objects.filter(path_prefix_q(unit.path, "unit__path"), status="active")
    lights = dict(
        HouseholdLight.objects.filter(household__in=households).values_list("color").annotate(n=Count("pk"))
    )
    return {
        "unit": unit_out(unit),
        "households": figures.households,
        "members": figures.members,
        "lights": {color: lights.get(color, 0) for color in ("red", "yellow", "green")},
    }


@router.get("/units/{unit_id}/buildings", response=list[BuildingOut])
def building_list(request: HttpRequest, unit_id: int) -> list[Building]:
    unit = _unit(request, unit_id)
    return list(Building.objects.filter(path_prefix_q(unit.path, "branch__path")).order_by("number"))


@router.get("/units/{unit_id}/grids", response=list[GridOut])
def grid_list(request: HttpRequest, unit_id: int) -> list[dict[str, Any]]:
    unit = _unit(request, unit_id)
    grids = MicroGrid.objects.filter(path_prefix_q(unit.path, "unit__path")).select_related("worker")
    return [
        {
            "id": g.pk,
            "code": g.code,
            "name": g.name,
            "unit_id": g.unit_id,
            "building_id": g.building_id,
            "worker": str(g.worker) if g.worker else None,
        }
        for g in grids.order_by("code")
    ]
