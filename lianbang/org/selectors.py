"""Reads over the hierarchy, always from the acting user's units down.

Who sees which unit is decided in one place, ``lianbang.accounts.scope``; the figures here
are counts for a unit the caller has already obtained through it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from lianbang.accounts.models import User
from lianbang.accounts.scope import root_units, unit_for
from lianbang.org.models import PATH_SEPARATOR, Unit, path_prefix_q
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import HouseholdStatus, MemberStatus


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    households: int
    members: int


def units_of_user(user: User) -> list[Unit]:
    """The top units of what the user may see (``accounts.scope``; none inside another)."""
    return root_units(user)


def unit_visible_to(user: User, unit_id: int) -> Unit | None:
    """The unit if it lies in one of the user's subtrees, else None (no existence leak)."""
    return unit_for(user, unit_id)


def unit_children_figures(unit: Unit) -> list[UnitFigures]:
    """Households and people per child unit, in two grouped queries however many children."""
    children = list(unit.children.order_by("name"))
    if not children:
        return []
    households = _count_by_child(
        unit, children, Household.objects.filter(status=HouseholdStatus.ACTIVE), "unit__path"
    )
    members = _count_by_child(
        unit, children, Member.objects.filter(status=MemberStatus.ACTIVE), "household__unit__path"
    )
    return [UnitFigures(child, households[child.pk], members[child.pk]) for child in children]


def unit_figures(unit: Unit) -> UnitFigures:
    households = Household.objects.filter(
        path_prefix_q(unit.path, "unit__path"), status=HouseholdStatus.ACTIVE
    ).count()
    members = Member.objects.filter(
        path_prefix_q(unit.path, "household__unit__path"), status=MemberStatus.ACTIVE
    ).count()
    return UnitFigures(unit, households, members)


def _count_by_child(unit: Unit, children: list[Unit], rows: QuerySet, path_field: str) -> Counter[int]:
    by_path = (
        rows.filter(path_prefix_q(unit.path, path_field))
        .values(path_field)
        .annotate(n=Count("pk"))
        .values_list(path_field, "n")
    )
    depth = unit.depth + 1
    child_ids = {child.pk for child in children}
    totals: Counter[int] = Counter()
    for path, n in by_path:
        parts = path.strip("/").split("/")
        # Rows attached to the unit itself (shorter path) belong to no child.
        if len(parts) > depth and int(parts[depth]) in child_ids:
            totals[int(parts[depth])] += n
    return totals


class CommunityNames:
    """The name of the 社区 a unit path lies in (its level-3 ancestor, "" above that level), each
    community looked up once: an export's rows name their community without a join per row."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def of(self, path: str) -> str:
        parts = [part for part in path.split(PATH_SEPARATOR) if part]
        if len(parts) < Unit.Level.COMMUNITY:
            return ""
        pk = int(parts[Unit.Level.COMMUNITY - 1])
        if pk not in self._names:
            self._names[pk] = Unit.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
        return self._names[pk]
