"""Accounts an administrator manages without the Django admin: create, deactivate and
reactivate, reset a password, lift a login lock.

Every function takes the acting administrator and the target; who may manage whom (the units,
the roles one may hand out) is checked by the caller (``lianbang.api.admin``) before these
run. Each write is one transaction with its audit entry. A password issued here (a new
account, a reset) leaves ``password_changed_at`` empty, so its owner must choose their own at
the next login (docs/security.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from lianbang.accounts.lockout import account_key, unlock
from lianbang.accounts.models import Assignment, LoginLock, User
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.common.validators import InvalidValue, normalize_phone
from lianbang.org.models import Unit
from lianbang.sync.scope import scope_exits_for_worker

USERNAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,29}$")


@dataclass(frozen=True)
class GrantSpec:
    """A role in a unit for a new account (the unit already checked to be the caller's)."""

    unit: Unit
    role: str
    department: str = ""


def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    phone: str,
    password: str,
    grants: list[GrantSpec],
) -> User:
    """A new account with its first grants and an issued password (changed at first login)."""
    username = username.strip()
    problems = [*_username_problems(username), *_name_problems(full_name)]
    phone, phone_problems = _phone(phone)
    problems += phone_problems
    if not grants:
        problems.append(FieldProblem("role", None, "至少授予一个任职", "give the account at least one role"))
    problems += _duplicate_grant_problems(grants)
    if not problems:
        problems += _password_problems(password, User(username=username, full_name=full_name))
    if problems:
        raise ApplicationError(
            "invalid_account", "账号信息有误，未创建", "the account was not created", problems
        )
    with transaction.atomic():
        user = User(username=username, full_name=full_name.strip(), phone=phone, password_changed_at=None)
        user.set_password(password)
        try:
            with transaction.atomic():  # a savepoint: another creation of the name may win the race
                user.save()
        except IntegrityError:
            raise ApplicationError(
                "invalid_account", "账号信息有误，未创建", "the account was not created", [_taken(username)]
            ) from None
        for spec in grants:
            Assignment.objects.create(user=user, unit=spec.unit, role=spec.role, department=spec.department)
        audit_record(
            actor=actor,
            action="user_create",
            object_type="accounts.user",
            object_id=user.pk,
            changes={
                "username": [None, username],
                "full_name": [None, user.full_name],
                "grants": [None, [f"{g.role}@{g.unit.pk}" for g in grants]],
            },
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the account can no longer log in, its tokens stop working) or reactivate."""
    if user.pk == actor.pk and not active:
        raise invalid(
            "username", user.username, "不能停用本人账号", "you may not deactivate your own account"
        )
    if user.is_active == active:
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:  # a deactivated grid worker's phone drops their grids' households
            scope_exits_for_worker(user_id=user.pk)
        audit_record(
            actor=actor,
            action="user_activate" if active else "user_deactivate",
            object_type="accounts.user",
            object_id=user.pk,
            changes={"is_active": [not active, active]},
        )
    return user


def user_password_reset(*, actor: User, user: User, password: str) -> User:
    """Issue a new password; the owner must change it at the next login."""
    problems = _password_problems(password, user)
    if problems:
        raise ApplicationError("weak_password", problems[0].message, problems[0].message_en, problems)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = None
        user.save(update_fields=["password", "password_changed_at"])
        audit_record(
            actor=actor,
            action=Action.PASSWORD_CHANGE,
            object_type="accounts.user",
            object_id=user.pk,
            changes={"issued_by_admin": True},
        )
    return user


def user_unlock(*, actor: User, user: User) -> bool:
    """Lift the lock that failed logins put on the account's name; False if it was not locked."""
    lock = LoginLock.objects.filter(
        kind=LoginLock.Kind.ACCOUNT, key=account_key(user.username), locked_until__gt=timezone.now()
    ).first()
    if lock is None:
        return False
    unlock(lock=lock, actor=actor)
    return True


def account_locked_until(usernames: list[str]) -> dict[str, object]:
    """The end of the current login lock of each name that has one (case-folded keys)."""
    keys = {account_key(name): name for name in usernames}
    rows = LoginLock.objects.filter(
        kind=LoginLock.Kind.ACCOUNT, key__in=list(keys), locked_until__gt=timezone.now()
    ).values_list("key", "locked_until")
    return {keys[key]: until for key, until in rows}


def _username_problems(username: str) -> list[FieldProblem]:
    if not USERNAME_PATTERN.match(username):
        return [
            FieldProblem(
                "username",
                username,
                "账号应为3到30位，以英文字母开头，由字母、数字和 _ . - 组成",
                "a user name has 3 to 30 characters: a letter first, then letters, digits, _ . -",
            )
        ]
    if User.objects.filter(username__iexact=username).exists():
        return [_taken(username)]
    return []


def _taken(username: str) -> FieldProblem:
    return FieldProblem("username", username, "该账号已存在", "this user name is already taken")


def _duplicate_grant_problems(grants: list[GrantSpec]) -> list[FieldProblem]:
    seen: set[tuple[int, str]] = set()
    for spec in grants:
        key = (spec.unit.pk, spec.role)
        if key in seen:
            return [
                FieldProblem(
                    "grants",
                    f"{spec.role}@{spec.unit.pk}",
                    f"同一单位的同一角色重复授予：{spec.unit.name}",
                    f"the same role is given twice in one unit: {spec.unit.name}",
                )
            ]
        seen.add(key)
    return []


def _name_problems(full_name: str) -> list[FieldProblem]:
    if not full_name.strip() or len(full_name.strip()) > 50:
        return [FieldProblem("full_name", full_name, "姓名应为1到50个字", "a name has 1 to 50 characters")]
    return []


def _phone(raw: str) -> tuple[str, list[FieldProblem]]:
    if not raw.strip():
        return "", []
    try:
        return normalize_phone(raw), []
    except InvalidValue as error:
        return "", [FieldProblem("phone", raw, error.reason.zh, error.reason.en)]


def _password_problems(password: str, user: User) -> list[FieldProblem]:
    """The project's password rules (length, common, digits only, character classes, the last
    five), in both languages; the value itself is never echoed."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            try:
                validate_password(password, user if user.pk else None)
            except ValidationError as error:
                texts[language] = " ".join(str(m) for m in error.messages)
    if not texts:
        return []
    return [
        FieldProblem(
            "password",
            "***",
            f"密码强度不足：{texts.get('zh-hans', '')}",
            f"the password is too weak: {texts.get('en', '')}",
        )
    ]
