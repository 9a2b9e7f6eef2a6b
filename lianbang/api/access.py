"""Who am I, and households as the caller may see them: masked, scoped, revealed one by one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lianbang.accounts.models import Role
from lianbang.accounts.permissions import permissions_of
from lianbang.accounts.scope import grants_of
from lianbang.accounts.sensitive import reveal_value
from lianbang.api.schemas import StrictIn

router = Router(tags=["access"])


class GrantOut(Schema):
    role: str
    role_label: str
    unit_id: int | None
    unit_name: str


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[GrantOut]
    permissions: list[str]


class RevealIn(StrictIn):
    field: str
    member_id: int | None = None
    reason: str


class RevealOut(Schema):
    label: str
    value: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    grants = grants_of(user)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "grants": [
            {
                "role": g.role,
                "role_label": str(Role(g.role).label),
                "unit_id": g.unit.pk if g.unit else None,
                "unit_name": g.unit.name if g.unit else "",
            }
            for g in grants
        ],
        "permissions": sorted(permissions_of(g.role for g in grants)),
    }


@router.post("/households/{household_id}/reveal", response=RevealOut)
def household_reveal(request: HttpRequest, household_id: int, payload: RevealIn) -> dict[str, str]:
    """One unmasked value, for a reason; the reveal is in the audit log."""
    revealed = reveal_value(
        user=request.user,  # type: ignore[arg-type]
        household_id=household_id,
        field=payload.field,
        member_id=payload.member_id,
        reason=payload.reason,
        request=request,
    )
    return {"label": revealed.label, "value": revealed.value}
