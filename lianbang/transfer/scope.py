"""Where the user of a page may write households: the units of their ``household.edit``
grants (``lianbang.accounts.scope``), and for a grid worker the grids they work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from lianbang.accounts.models import Permission, Role, User
from lianbang.accounts.scope import grants_with, households_for
from lianbang.org.models import Building, MicroGrid


@dataclass
class EditScope:
    user: User
    unit_paths: tuple[str, ...]
    everywhere: bool
    grid_worker: bool
    _places: dict[tuple[str, str], tuple[str, int | None] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User) -> EditScope:
        grants = grants_with(user, Permission.HOUSEHOLD_EDIT)
        units = tuple(g.unit.path for g in grants if g.unit is not None and g.role != Role.GRID_WORKER)
        return cls(
            user=user,
            unit_paths=units,
            everywhere=any(g.unit is None for g in grants),
            grid_worker=any(g.role == Role.GRID_WORKER for g in grants),
        )

    def editable_numbers(self, numbers: list[str]) -> set[str]:
        """Which of these stored households the user may change."""
        found = households_for(self.user, Permission.HOUSEHOLD_EDIT).filter(household_no__in=numbers)
        return set(found.values_list("household_no", flat=True))

    def allows_new(self, document: dict[str, Any]) -> bool:
        """A new household may be placed where the document puts it (its grid, else its building)."""
        if self.everywhere:
            return True
        grid = str(document.get("grid") or "")
        building = str((document.get("address") or {}).get("building") or "")
        place = self._place("grid", grid) if grid else self._place("building", building)
        if place is None:
            return True  # no such grid or building: the registry refuses it with its own message
        path, worker_id = place
        return any(path.startswith(p) for p in self.unit_paths) or (
            self.grid_worker and worker_id == self.user.pk
        )

    def _place(self, kind: str, code: str) -> tuple[str, int | None] | None:
        key = (kind, code)
        if key not in self._places:
            self._places[key] = _grid_place(code) if kind == "grid" else _building_place(code)
        return self._places[key]


def _grid_place(code: str) -> tuple[str, int | None] | None:
    grid = MicroGrid.objects.select_related("unit").filter(code=code).first()
    return (grid.unit.path, grid.worker_id) if grid else None


def _building_place(number: str) -> tuple[str, int | None] | None:
    building = (
        Building.objects.select_related("branch")
        .filter(region_code=settings.LIANBANG_REGION_CODE, number=number)
        .first()
    )
    return (building.branch.path, None) if building else None
