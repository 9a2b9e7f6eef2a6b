"""API tokens for scripts and integrations: scoped to one role in one unit, stored hashed,
revocable and expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianbang.accounts.models import ApiToken, Assignment, User
from lianbang.accounts.scope import Grant
from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record
from lianbang.common.errors import ApplicationError, invalid

TOKEN_PREFIX = "lb_"
MAX_DAYS = 366
# Recording every use would turn each API read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(raw: str) -> str:
    """Tokens are 256 random bits, so a plain sha256 (no salt, no stretching) is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, assignment: Assignment, days: int | None = None, name: str = "", actor: Actor = None
) -> tuple[ApiToken, str]:
    """A new token acting as ``assignment``; the raw token is returned once and never stored."""
    days = settings.LIANBANG_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise invalid("expires", days, f"有效期应为 1–{MAX_DAYS} 天", f"expiry must be 1–{MAX_DAYS} days")
    if assignment.user_id != user.pk:
        raise invalid("assignment", assignment.pk, "任职不属于该用户", "the assignment is not the user's")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        unit=assignment.unit,
        role=assignment.role,
        name=name[:100],
        prefix=prefix,
        digest=digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=Action.TOKEN_CREATE,
        object_type="accounts.apitoken",
        object_id=token.pk,
        changes={"user": user.username, "unit": assignment.unit_id, "role": assignment.role, "days": days},
    )
    return token, raw


def token_authenticate(raw: str) -> tuple[User, Grant] | None:
    """The user and the one grant a presented token acts with, or None if it is not valid now.

    A token stops working when it expires, is revoked, its user is deactivated, or the user
    no longer holds the role in the unit it was issued for."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "unit")
        .filter(digest=digest(raw), revoked_at=None, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    assignment = Assignment.objects.filter(user=token.user, unit=token.unit, role=token.role).first()
    if assignment is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, Grant(assignment.role, assignment.unit, assignment.department)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor = None) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=Action.TOKEN_REVOKE, object_type="accounts.apitoken", object_id=token.pk)


def assignment_for_token(user: User, unit_id: int | None, role: str | None) -> Assignment:
    """The assignment a new token acts as: the only one, or the one named by unit and role."""
    assignments = Assignment.objects.filter(user=user).select_related("unit")
    if unit_id is not None:
        assignments = assignments.filter(unit_id=unit_id)
    if role:
        assignments = assignments.filter(role=role)
    found = list(assignments[:2])
    if len(found) == 1:
        return found[0]
    raise ApplicationError(
        "ambiguous_assignment" if found else "no_assignment",
        "请用 --unit 和 --role 指明令牌代表的任职" if found else "该用户没有符合条件的任职",
        "name the assignment with --unit and --role" if found else "the user holds no such assignment",
    )
