"""Logging in: password, then (when due) a new password and the second factor (TOTP).

The user is logged in (``django.contrib.auth.login``) only after every step is done; until
then the session holds a pending login that no page or API accepts as a user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianbang.accounts import lockout
from lianbang.accounts.models import User
from lianbang.accounts.permissions import SECOND_FACTOR_ROLES
from lianbang.accounts.scope import roles_of
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.common.http import client_ip

PENDING_KEY = "lianbang_pending_login"
PENDING_LIFETIME = timedelta(minutes=10)
STEP_PASSWORD = "password"
STEP_OTP = "otp"


@dataclass(frozen=True)
class LoginOutcome:
    status: str  # "done" | "pending" | "failed" | "locked"
    step: str = ""
    locked_until: datetime | None = None


@dataclass(frozen=True)
class PendingLogin:
    user: User
    steps: list[str]


def requires_second_factor(user: User) -> bool:
    """Administrators (区管理员, 系统管理员, staff and superusers) need a second factor."""
    return user.is_superuser or user.is_staff or bool(roles_of(user) & SECOND_FACTOR_ROLES)


def is_demo_login(password: str) -> bool:
    """In demo mode (never in production) the published demo password marks a demo account."""
    return settings.LIANBANG_DEMO_MODE and constant_time_compare(password, settings.LIANBANG_DEMO_PASSWORD)


def login_begin(*, request: HttpRequest, username: str, password: str) -> LoginOutcome:
    keys = lockout.lock_keys(username, client_ip(request))
    until = lockout.locked_until(keys)
    if until is not None:
        _record_failure(request, username, "locked")
        return LoginOutcome("locked", locked_until=until)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        _record_failure(request, username, "bad_credentials")
        until = lockout.record_failure(keys)
        return LoginOutcome("locked", locked_until=until) if until else LoginOutcome("failed")
    lockout.record_success(username)
    demo = is_demo_login(password)
    steps = [] if demo else _steps_for(user)
    if not steps:
        return _complete(request, user, demo=demo)
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "steps": steps,
        "since": timezone.now().isoformat(),
    }
    return LoginOutcome("pending", step=steps[0])


def _steps_for(user: User) -> list[str]:
    steps = []
    if user.password_changed_at is None:
        steps.append(STEP_PASSWORD)
    if requires_second_factor(user):
        steps.append(STEP_OTP)
    return steps


def pending_login(request: HttpRequest) -> PendingLogin | None:
    """The login in progress in this session, if it is recent and its user still active."""
    data: dict[str, Any] | None = request.session.get(PENDING_KEY)
    if not data:
        return None
    since = datetime.fromisoformat(data["since"])
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or timezone.now() - since > PENDING_LIFETIME:
        request.session.pop(PENDING_KEY, None)
        return None
    return PendingLogin(user, list(data["steps"]))


def step_done(request: HttpRequest, step: str, device: TOTPDevice | None = None) -> LoginOutcome:
    """Mark a step done; log the user in when it was the last one."""
    pending = pending_login(request)
    if pending is None:
        return LoginOutcome("failed")
    remaining = [s for s in pending.steps if s != step]
    if remaining:
        request.session[PENDING_KEY] = {**request.session[PENDING_KEY], "steps": remaining}
        return LoginOutcome("pending", step=remaining[0])
    return _complete(request, pending.user, device=device)


def _complete(
    request: HttpRequest, user: User, *, device: TOTPDevice | None = None, demo: bool = False
) -> LoginOutcome:
    backend = (request.session.get(PENDING_KEY) or {}).get("backend") or getattr(user, "backend", None)
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    second = "totp" if device is not None else ("demo" if demo else "none")
    audit_record(
        actor=user,
        action=Action.LOGIN,
        object_type="accounts.user",
        object_id=user.pk,
        changes={"second_factor": second},
        request=request,
    )
    return LoginOutcome("done")


def _record_failure(request: HttpRequest, username: str, why: str) -> None:
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=lockout.account_key(username)[:64],
        changes={"username": username[:150], "why": why},
        request=request,
    )


def password_set_by_owner(*, request: HttpRequest | None, user: User, password: str) -> None:
    """The user chose their own password (validated by the caller's form)."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(
        actor=user,
        action=Action.PASSWORD_CHANGE,
        object_type="accounts.user",
        object_id=user.pk,
        request=request,
    )


def otp_device(user: User, request: HttpRequest) -> tuple[TOTPDevice, bool]:
    """The user's confirmed device, or the one being enrolled in this login (``True``)."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if confirmed is not None:
        return confirmed, False
    data = request.session[PENDING_KEY]
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=data.get("device")).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="链帮 Lianbang", confirmed=False)
        request.session[PENDING_KEY] = {**data, "device": device.pk}
    return device, True


def otp_verify(*, request: HttpRequest, code: str) -> LoginOutcome:
    pending = pending_login(request)
    if pending is None or STEP_OTP not in pending.steps:
        return LoginOutcome("failed")
    user = pending.user
    keys = lockout.lock_keys(user.username, client_ip(request))
    until = lockout.locked_until(keys)
    if until is not None:
        return LoginOutcome("locked", locked_until=until)
    device, enrolling = otp_device(user, request)
    if not _token_accepted(device, code):
        audit_record(actor=user, action=Action.OTP_FAILED, object_type="accounts.user", object_id=user.pk)
        until = lockout.record_failure(keys)
        return LoginOutcome("locked", locked_until=until) if until else LoginOutcome("failed")
    if enrolling:
        _confirm(device, request)
    return step_done(request, STEP_OTP, device=device)


def _token_accepted(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    if not code.isdigit() or len(code) != device.digits:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return bool(locked.verify_token(code))


def _confirm(device: TOTPDevice, request: HttpRequest) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.refresh_from_db()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    audit_record(
        actor=device.user,
        action=Action.OTP_ENROL,
        object_type="otp_totp.totpdevice",
        object_id=device.pk,
        request=request,
    )
