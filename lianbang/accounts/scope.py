"""Who sees what: every read of households, members and units goes through these functions.

A user holds grants (a role in a unit, from their assignments). A grant gives the role's
permissions (``permissions.py``) over the role's scope:

- unit roles (区 … 党小组, 领导, 系统管理员): the unit's subtree (``path_prefix_q``);
- 网格员: the households of the micro-grids whose worker they are;
- 帮扶责任人: the households paired with them;
- 部门用户: the households their department's lists matched, inside their unit's subtree.

An unexpired break-the-glass grant adds one household to what the user may view. Anything
outside the scope does not exist for the user: callers answer 404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lianbang.accounts.models import (
    Assignment,
    BreakGlassGrant,
    DepartmentMatch,
    HelperPairing,
    Permission,
    Role,
)
from lianbang.accounts.permissions import effective_matrix
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Household, Member

_RESTRICTED_GRANT = "_lianbang_restricted_grant"


@dataclass(frozen=True)
class Grant:
    role: str
    unit: Unit | None  # None: the whole hierarchy (a superuser's implicit system-admin grant)
    department: str = ""


def grants_of(user: Any) -> list[Grant]:
    """The user's grants; an API token narrows them to the one it was issued for."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    restricted = getattr(user, _RESTRICTED_GRANT, None)
    if restricted is not None:
        return [restricted]
    grants = [
        Grant(a.role, a.unit, a.department)
        for a in Assignment.objects.filter(user=user).select_related("unit")
    ]
    if user.is_superuser:
        grants.append(Grant(Role.SYSTEM_ADMIN, None))
    return grants


def restrict_to(user: Any, grant: Grant) -> None:
    """From now on (this request) the user acts with ``grant`` only (API tokens)."""
    setattr(user, _RESTRICTED_GRANT, grant)


def grants_with(user: Any, permission: str) -> list[Grant]:
    matrix = effective_matrix()
    return [g for g in grants_of(user) if permission in matrix.get(g.role, frozenset())]


def has_permission(user: Any, permission: str) -> bool:
    return bool(grants_with(user, permission))


def roles_of(user: Any) -> set[str]:
    return {g.role for g in grants_of(user)}


def households_for(user: Any, permission: str = Permission.HOUSEHOLD_VIEW) -> QuerySet[Household]:
    condition = _household_condition(user, permission, prefix="")
    return Household.objects.filter(condition) if condition is not None else Household.objects.none()


def members_for(user: Any, permission: str = Permission.HOUSEHOLD_VIEW) -> QuerySet[Member]:
    condition = _household_condition(user, permission, prefix="household__")
    return Member.objects.filter(condition) if condition is not None else Member.objects.none()


def units_for(user: Any, permission: str = Permission.UNIT_VIEW) -> QuerySet[Unit]:
    parts = [_subtree(g.unit, "") for g in grants_with(user, permission)]
    return Unit.objects.filter(reduce(or_, parts)) if parts else Unit.objects.none()


def household_for(
    user: Any, household_id: object, permission: str = Permission.HOUSEHOLD_VIEW
) -> Household | None:
    """The household if the user may act on it with ``permission``; else None (answer 404)."""
    pk = _as_pk(household_id)
    return None if pk is None else households_for(user, permission).filter(pk=pk).first()


def unit_for(user: Any, unit_id: object, permission: str = Permission.UNIT_VIEW) -> Unit | None:
    pk = _as_pk(unit_id)
    return None if pk is None else units_for(user, permission).filter(pk=pk).first()


def root_units(user: Any, permission: str = Permission.UNIT_VIEW) -> list[Unit]:
    """The top units of the user's scope: none of them lies inside another."""
    grants = grants_with(user, permission)
    if any(g.unit is None for g in grants):
        return list(Unit.objects.filter(parent=None).order_by("path"))
    roots: list[Unit] = []
    for unit in sorted({g.unit for g in grants if g.unit is not None}, key=lambda u: u.path):
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def _household_condition(user: Any, permission: str, prefix: str) -> Q | None:
    parts = [_grant_condition(user, g, prefix) for g in grants_with(user, permission)]
    if permission == Permission.HOUSEHOLD_VIEW and user is not None and user.is_authenticated:
        parts.append(Q(**{f"{prefix}id__in": _break_glass_households(user)}))
    return reduce(or_, parts) if parts else None


def _grant_condition(user: Any, grant: Grant, prefix: str) -> Q:
    if grant.role == Role.GRID_WORKER:
        return Q(**{f"{prefix}grid__worker": user})
    if grant.role == Role.HELPER:
        return Q(**{f"{prefix}id__in": HelperPairing.objects.filter(helper=user).values("household_id")})
    subtree = _subtree(grant.unit, f"{prefix}unit__")
    if grant.role == Role.DEPARTMENT:
        matched = DepartmentMatch.objects.filter(department=grant.department).values("household_id")
        return subtree & Q(**{f"{prefix}id__in": matched})
    return subtree


def _subtree(unit: Unit | None, prefix: str) -> Q:
    if unit is None:
        return Q(**{f"{prefix}path__isnull": False})
    return path_prefix_q(unit.path, f"{prefix}path")


def _break_glass_households(user: Any) -> QuerySet[BreakGlassGrant, Any]:
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("household_id")


def _as_pk(value: object) -> int | None:
    try:
        pk = int(str(value))
    except ValueError:
        return None
    return pk if 0 < pk < 2**63 else None
