"""Lock an account name or an IP address after repeated failed logins (DOMAIN §9).

A failure counts against both the account name typed and the client's address. The count
restarts when the lock period has passed since the first failure it counts. Reaching the
limit locks the key for the lock period; while locked, passwords are not even checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianbang.accounts.models import LoginLock
from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record

Kind = LoginLock.Kind


@dataclass(frozen=True)
class LockKey:
    kind: str
    key: str


def lock_keys(username: str, ip: str | None) -> list[LockKey]:
    keys = [LockKey(Kind.ACCOUNT, account_key(username))]
    if ip:
        keys.append(LockKey(Kind.IP, ip))
    return keys


def account_key(username: str) -> str:
    # Case-folded so that "District" and "district" share one counter.
    return username.strip().casefold()[:150]


def locked_until(keys: list[LockKey], now: datetime | None = None) -> datetime | None:
    """The latest end of a lock on any of the keys, or None when none is locked."""
    now = now or timezone.now()
    ends = [
        lock.locked_until
        for key in keys
        for lock in LoginLock.objects.filter(kind=key.kind, key=key.key, locked_until__gt=now)
        if lock.locked_until is not None
    ]
    return max(ends, default=None)


def record_failure(keys: list[LockKey], now: datetime | None = None) -> datetime | None:
    """Count one failure on every key; return the lock end if this failure locked one."""
    now = now or timezone.now()
    newly_locked: datetime | None = None
    with transaction.atomic():
        for key in keys:
            lock = _count(key, now)
            if lock.locked_until == now + _period():
                newly_locked = lock.locked_until
                audit_record(
                    actor=None,
                    action=Action.LOCKOUT,
                    object_type=f"login.{key.kind}",
                    object_id=key.key,
                    changes={
                        "until": lock.locked_until.isoformat(),
                        "failures": settings.LIANBANG_LOGIN_MAX_FAILURES,
                    },
                )
    return newly_locked


def _count(key: LockKey, now: datetime) -> LoginLock:
    lock, _ = LoginLock.objects.select_for_update().get_or_create(kind=key.kind, key=key.key)
    if lock.window_started_at is None or now - lock.window_started_at >= _period():
        lock.failures, lock.window_started_at = 0, now
    lock.failures += 1
    if lock.failures >= settings.LIANBANG_LOGIN_MAX_FAILURES:
        lock.locked_until, lock.failures, lock.window_started_at = now + _period(), 0, None
    lock.save()
    return lock


def record_success(username: str) -> None:
    """A successful login clears the account's count (the address keeps its own)."""
    LoginLock.objects.filter(kind=Kind.ACCOUNT, key=account_key(username)).update(
        failures=0, window_started_at=None
    )


def unlock(*, lock: LoginLock, actor: Actor) -> None:
    """An administrator lifts a lock before it ends."""
    with transaction.atomic():
        LoginLock.objects.filter(pk=lock.pk).update(failures=0, window_started_at=None, locked_until=None)
        audit_record(actor=actor, action=Action.UNLOCK, object_type=f"login.{lock.kind}", object_id=lock.key)


def _period() -> timedelta:
    return timedelta(minutes=settings.LIANBANG_LOGIN_LOCK_MINUTES)
