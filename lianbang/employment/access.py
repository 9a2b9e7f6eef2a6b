"""Where the caller may see and change employment objects.

Enterprises, jobs, fairs, courses and transport batches belong to the unit that registered
them. A caller sees those of the units above their own (a district's job is for everyone in
the district) and of the units below; they change only those of units inside their scope.
People (wishes, survey entries, referrals, follow-ups) are the households' scope
(``accounts.scope``). Outside the scope an object does not exist for the caller (404).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import grants_with, members_for, unit_for
from lianbang.common.errors import ApplicationError
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Member

VIEW = Permission.EMPLOYMENT_VIEW
RECORD = Permission.EMPLOYMENT_RECORD
MANAGE = Permission.EMPLOYMENT_MANAGE


def visible_units_q(user: Any, prefix: str = "unit__") -> Q:
    """Objects whose unit is above or below one of the caller's units (``VIEW``)."""
    parts: list[Q] = []
    for grant in grants_with(user, VIEW):
        if grant.unit is None:
            return Q(**{f"{prefix}path__isnull": False})
        ancestors = [int(pk) for pk in grant.unit.path.strip("/").split("/")]
        parts.append(Q(**{f"{prefix}pk__in": ancestors}) | path_prefix_q(grant.unit.path, f"{prefix}path"))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def managed_units_q(user: Any, prefix: str = "unit__") -> Q:
    """Objects whose unit lies inside the caller's scope (``MANAGE``)."""
    parts: list[Q] = []
    for grant in grants_with(user, MANAGE):
        if grant.unit is None:
            return Q(**{f"{prefix}path__isnull": False})
        parts.append(path_prefix_q(grant.unit.path, f"{prefix}path"))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def not_found(what: str, what_en: str) -> ApplicationError:
    return ApplicationError(
        "not_found", f"找不到该{what}或无权访问", f"no such {what_en} in your scope", status=404
    )


def unit_in_scope(user: Any, unit_id: object, permission: str) -> Unit:
    unit = unit_for(user, unit_id, permission)
    if unit is None:
        raise not_found("单位", "unit")
    return unit


def member_in_scope(user: Any, member_id: object, permission: str = RECORD) -> Member:
    try:
        pk = int(str(member_id))
    except ValueError:
        pk = 0
    member = (
        members_for(user, permission).select_related("household", "household__unit").filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if member is None:
        raise not_found("人员", "person")
    return member
