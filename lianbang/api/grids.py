"""Micro-grids (微网格) of a building for administrators: list with workers and household
counts, create, rename, assign the grid worker, move households between grids of the building.

Needs ``users.manage`` (a grid's worker decides who sees its households) over the building's
party branch; moving households also needs ``household.edit`` on each of them. The writes are
``org.services`` and ``registry.services.household_grid_move``, audited there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema

from lianbang.accounts.models import Assignment, Permission, Role, User
from lianbang.accounts.scope import households_for, unit_for, units_for
from lianbang.api.admin import ERRORS, MAX_ID, managed_account
from lianbang.api.households import actor_of, require
from lianbang.api.schemas import StrictIn
from lianbang.common.errors import ApplicationError, invalid
from lianbang.org.models import Building, MicroGrid, Unit, path_prefix_q
from lianbang.org.services import grid_assign_worker, grid_create, grid_rename
from lianbang.registry.services import household_grid_move
from lianbang.registry.vocab import HouseholdStatus

router = Router(tags=["administration"])

P = Permission
MAX_MOVE = 200


class GridWorkerOut(Schema):
    username: str
    full_name: str


class AdminGridOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    unit_name: str
    worker: GridWorkerOut | None
    households: int


class GridHouseholdOut(Schema):
    id: int
    household_no: str
    entrance: str
    floor: int | None
    room: str
    grid_id: int | None


class FloorGroupOut(Schema):
    id: int
    name: str


class BuildingGridsOut(Schema):
    building_id: int
    building_name: str
    floor_groups: list[FloorGroupOut]
    grids: list[AdminGridOut]
    households: list[GridHouseholdOut]
    workers: list[GridWorkerOut]


class GridCreateIn(StrictIn):
    building_id: int
    unit_id: int
    code: str
    name: str


class GridRenameIn(StrictIn):
    grid_id: int
    name: str


class GridWorkerIn(StrictIn):
    grid_id: int
    username: str | None = None


class GridMoveIn(StrictIn):
    grid_id: int
    household_ids: list[int]


@router.get("/admin/buildings/{building_id}/grids", response={200: BuildingGridsOut, **ERRORS})
def building_grids(request: HttpRequest, building_id: int) -> dict[str, Any]:
    """A building's grids with their workers and active household counts, its households (those
    the caller may see; address and number only) and the grid workers who may be assigned."""
    require(request, P.USERS_MANAGE)
    return _building_out(request, _building(request, building_id))


@router.post("/admin/grids", response={201: BuildingGridsOut, **ERRORS})
def grid_add(request: HttpRequest, body: GridCreateIn) -> tuple[int, dict[str, Any]]:
    require(request, P.USERS_MANAGE)
    building = _building(request, body.building_id, field="building_id")
    unit = unit_for(request.user, body.unit_id, P.USERS_MANAGE)
    if unit is None:
        raise invalid("unit_id", body.unit_id, "不是您管理范围内的单位", "not a unit you manage")
    grid_create(actor=actor_of(request), building=building, unit=unit, code=body.code, name=body.name)
    return 201, _building_out(request, building)


@router.post("/admin/grids/rename", response={200: BuildingGridsOut, **ERRORS})
def grid_name(request: HttpRequest, body: GridRenameIn) -> dict[str, Any]:
    require(request, P.USERS_MANAGE)
    grid = _grid(request, body.grid_id)
    grid_rename(actor=actor_of(request), grid=grid, name=body.name)
    return _building_out(request, grid.building)


@router.post("/admin/grids/worker", response={200: BuildingGridsOut, **ERRORS})
def grid_worker(request: HttpRequest, body: GridWorkerIn) -> dict[str, Any]:
    """Assign (or, with no user name, remove) the grid's worker: an account the caller manages
    holding the grid worker role."""
    require(request, P.USERS_MANAGE)
    grid = _grid(request, body.grid_id)
    worker = managed_account(request, body.username) if body.username else None
    grid_assign_worker(actor=actor_of(request), grid=grid, worker=worker)
    return _building_out(request, grid.building)


@router.post("/admin/grids/move", response={200: BuildingGridsOut, **ERRORS})
def grid_move(request: HttpRequest, body: GridMoveIn) -> dict[str, Any]:
    """Move households of the grid's building into the grid (all or none)."""
    require(request, P.USERS_MANAGE)
    grid = _grid(request, body.grid_id)
    ids = sorted({pk for pk in body.household_ids if 0 < pk < MAX_ID})
    if not ids or len(ids) > MAX_MOVE or len(ids) != len(set(body.household_ids)):
        raise invalid(
            "household_ids",
            body.household_ids,
            f"请选择1到{MAX_MOVE}户（有效的户ID）",
            f"choose 1 to {MAX_MOVE} households (valid ids)",
        )
    households = list(households_for(request.user, P.HOUSEHOLD_EDIT).filter(pk__in=ids))
    missing = set(ids) - {h.pk for h in households}
    if missing:
        raise invalid(
            "household_ids",
            sorted(missing),
            "这些户不存在或不在您可修改的范围",
            "these households do not exist or are not yours to change",
        )
    household_grid_move(households=households, grid=grid, actor=actor_of(request))
    return _building_out(request, grid.building)


def _managed_units(request: HttpRequest) -> Any:
    return units_for(request.user, P.USERS_MANAGE)


def _building(request: HttpRequest, building_id: int, field: str = "") -> Building:
    found = None
    if 0 < building_id < MAX_ID:
        found = (
            Building.objects.filter(pk=building_id, branch__in=_managed_units(request))
            .select_related("branch")
            .first()
        )
    if found is None:
        if field:
            raise invalid(field, building_id, "不是您管理范围内的楼栋", "not a building you manage")
        raise ApplicationError(
            "not_found", "找不到该楼栋或无权访问", "no such building in your scope", status=404
        )
    return found


def _grid(request: HttpRequest, grid_id: int) -> MicroGrid:
    grid = None
    if 0 < grid_id < MAX_ID:
        grid = (
            MicroGrid.objects.filter(pk=grid_id, unit__in=_managed_units(request))
            .select_related("unit", "building__branch", "worker")
            .first()
        )
    if grid is None:
        raise invalid("grid_id", grid_id, "无此网格或不在您的管理范围", "no such grid among those you manage")
    return grid


def _building_out(request: HttpRequest, building: Building) -> dict[str, Any]:
    active = Q(households__status=HouseholdStatus.ACTIVE)
    grids = (
        MicroGrid.objects.filter(building=building)
        .select_related("unit", "worker")
        .annotate(n=Count("households", filter=active))
        .order_by("code")
    )
    visible = households_for(request.user).filter(building=building, status=HouseholdStatus.ACTIVE)
    return {
        "building_id": building.pk,
        "building_name": building.name,
        "floor_groups": list(
            Unit.objects.filter(parent=building.branch, level=Unit.Level.FLOOR_GROUP)
            .order_by("name")
            .values("id", "name")
        ),
        "grids": [_grid_out(g) for g in grids],
        "households": list(
            visible.order_by("entrance", "floor", "room").values(
                "id", "household_no", "entrance", "floor", "room", "grid_id"
            )
        ),
        "workers": _workers(request, building),
    }


def _grid_out(grid: Any) -> dict[str, Any]:
    return {
        "id": grid.pk,
        "code": grid.code,
        "name": grid.name,
        "unit_id": grid.unit_id,
        "unit_name": grid.unit.name,
        "worker": {"username": grid.worker.username, "full_name": grid.worker.full_name}
        if grid.worker
        else None,
        "households": grid.n,
    }


def _workers(request: HttpRequest, building: Building) -> list[dict[str, str]]:
    """Active accounts holding the grid worker role in the building's branch or a unit above it,
    inside the caller's units."""
    above = building.branch.ancestor_ids()
    below = Q(unit__in=Unit.objects.filter(path_prefix_q(building.branch.path)))
    grants = Assignment.objects.filter(
        Q(unit_id__in=above) | below, role=Role.GRID_WORKER, unit__in=_managed_units(request)
    )
    users = User.objects.filter(is_active=True, assignments__in=grants).distinct().order_by("username")
    return [{"username": u.username, "full_name": u.full_name} for u in users]
