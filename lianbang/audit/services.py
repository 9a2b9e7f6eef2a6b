"""Writing to the audit log. :func:`audit_record` is THE function other apps call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from lianbang.audit.chain import canonical_json, clean_text, json_safe, values_hash
from lianbang.audit.context import current_request
from lianbang.audit.models import GENESIS_HASH, Action, AuditEntry, AuditHead
from lianbang.common.bulk_insert import JsonText, insert_rows
from lianbang.common.http import client_ip

Actor = AbstractBaseUser | AnonymousUser | None


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (rolled back with it).

    Without ``request`` the request being served (if any) gives the IP address, and the
    logged-in user stands in for a missing ``actor``. ``changes`` is ``{field: [old, new]}``
    for writes, or any JSON-able detail for other acts.
    """
    item = pending_entry(actor, action, object_type, object_id, changes, request, reason)
    return append_entry(
        actor=item.actor,
        action=item.action,
        object_type=item.object_type,
        object_id=item.object_id,
        changes=item.changes,
        ip=item.ip,
        reason=item.reason,
    )


def pending_entry(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> Pending:
    """What :func:`audit_record` appends, to be appended later with others (``append_entries``)."""
    request = request or current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    ip = client_ip(request) if request is not None else None
    return Pending(actor, action, object_type, object_id, changes or {}, ip, reason)


def append_entry(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
    ip: str | None,
    reason: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Lock the chain head, link a new entry to it and move the head (one transaction; inside
    the caller's, without a savepoint: a failure here fails the caller's write)."""
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        entry = _link(head, actor, action, object_type, object_id, changes, ip, reason, at)
        return entry


@dataclass(frozen=True)
class Pending:
    """One entry to append (see :func:`append_entries`)."""

    actor: Actor
    action: str
    object_type: str
    object_id: object
    changes: dict[str, Any]
    ip: str | None
    reason: str = ""


def append_entries(items: list[Pending]) -> int:
    """Several entries in order under one lock of the chain head: one INSERT for all of them
    and one move of the head (what a registry write that changes many rows at once uses).
    Returns how many were appended. The entries are hashed and inserted as plain rows, without
    model instances (the same values and hashes as :func:`append_entry`'s)."""
    if not items:
        return 0
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        rows = []
        for item in items:
            row = _entry_row(
                head,
                item.actor,
                item.action,
                item.object_type,
                item.object_id,
                item.changes,
                item.ip,
                item.reason,
            )
            head.seq, head.hash = row["seq"], row["hash"]
            rows.append(row)
        insert_rows(AuditEntry, rows)
        _move_head(head)
    return len(rows)


def _link(
    head: AuditHead,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
    ip: str | None,
    reason: str,
    at: datetime | None,
) -> AuditEntry:
    entry = _entry(head, actor, action, object_type, object_id, changes, ip, reason, at)
    entry.save(force_insert=True)
    head.seq, head.hash = entry.seq, entry.hash
    _move_head(head)
    return entry


def _entry(
    head: AuditHead,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
    ip: str | None,
    reason: str,
    at: datetime | None = None,
) -> AuditEntry:
    """The entry that follows ``head``, hashed (not saved)."""
    return AuditEntry(**_entry_values(head, actor, action, object_type, object_id, changes, ip, reason, at))


def _entry_values(
    head: AuditHead,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
    ip: str | None,
    reason: str,
    at: datetime | None = None,
    *,
    hashed: bool = True,
) -> dict[str, Any]:
    """The fields of the entry that follows ``head``, hashed: ``{attname: value}``."""
    authenticated = actor is not None and actor.is_authenticated
    values = {
        "seq": head.seq + 1,
        "at": at or timezone.now(),
        "actor_id": actor.pk if authenticated and actor is not None else None,
        "actor_name": clean_text(actor.get_username(), 150) if authenticated and actor is not None else "",
        "ip": ip or "",
        "action": clean_text(action, 40),
        "object_type": clean_text(object_type, 60),
        "object_id": clean_text("" if object_id is None else str(object_id), 64),
        "changes": json_safe(changes),
        "reason": clean_text(reason, 500),
        "prev_hash": head.hash,
    }
    if hashed:
        values["hash"] = values_hash(values)
    return values


def _entry_row(
    head: AuditHead,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
    ip: str | None,
    reason: str,
) -> dict[str, Any]:
    """:func:`_entry_values` with the changes encoded once, for the hash and for the COPY."""
    values = _entry_values(head, actor, action, object_type, object_id, changes, ip, reason, hashed=False)
    encoded = JsonText(canonical_json(values["changes"]))
    values["hash"] = values_hash(values, encoded)
    values["changes"] = encoded
    return values


def _move_head(head: AuditHead) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditHead._meta.db_table} SET seq = %s, hash = %s WHERE id = 1", (head.seq, head.hash)
        )


def _locked_head() -> AuditHead:
    """The head row, locked until the transaction ends (PostgreSQL: row lock; SQLite: the
    IMMEDIATE transaction already holds the database's write lock). Plain SQL: every audited
    write passes here."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {AuditHead._meta.db_table} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is not None:
        return AuditHead(pk=1, seq=int(row[0]), hash=row[1])
    # The row is created by a migration; a test flush may remove it: rebuild it from the log.
    last = AuditEntry.objects.order_by("-seq", "-id").first()
    AuditHead.objects.get_or_create(
        pk=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS_HASH}
    )
    return AuditHead.objects.select_for_update().get(pk=1)


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.LIANBANG_AUDIT_RETENTION_DAYS)


@dataclass(frozen=True)
class PruneResult:
    removed: int
    anchor_seq: int
    entry: AuditEntry | None


def audit_prune(*, actor: Actor = None, now: datetime | None = None) -> PruneResult:
    """Delete entries older than the retention period and record the pruning as a new entry.

    Only a contiguous run from the start of the chain goes (every entry up to the first one
    still inside the period), so what stays is one unbroken chain. The new entry names the
    last removed entry's sequence number and hash: ``audit verify`` starts from that anchor.
    """
    cutoff = retention_cutoff(now)
    with transaction.atomic():
        head = _locked_head()
        anchor = _last_prunable(cutoff)
        if anchor is None:
            return PruneResult(0, 0, None)
        _allow_pruning_in_this_transaction()
        removed, _ = AuditEntry.objects.filter(seq__lte=anchor.seq).delete()
        changes = {
            "anchor_seq": anchor.seq,
            "anchor_hash": anchor.hash,
            "removed": removed,
            "cutoff": cutoff.isoformat(),
            "retention_days": settings.LIANBANG_AUDIT_RETENTION_DAYS,
        }
        entry = _link(head, actor, Action.AUDIT_PRUNE, "audit.auditentry", "", changes, None, "", None)
    return PruneResult(removed, anchor.seq, entry)


def _last_prunable(cutoff: datetime) -> AuditEntry | None:
    first_kept = AuditEntry.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True)
    older = AuditEntry.objects.filter(at__lt=cutoff)
    boundary = first_kept.first()
    if boundary is not None:
        older = older.filter(seq__lt=boundary)
    return older.order_by("-seq").first()


def _allow_pruning_in_this_transaction() -> None:
    """On PostgreSQL a trigger refuses UPDATE and DELETE on the log unless this transaction
    says it is the retention job (and even then only for rows older than 180 days)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lianbang.audit_prune', 'on', true)")
