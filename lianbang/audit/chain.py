"""Hashing of audit entries: the canonical form both the writer and ``audit verify`` use."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianbang.audit.models import AuditEntry


def json_safe(value: Any) -> Any:
    """A value that survives a round trip through SQLite JSON and PostgreSQL jsonb unchanged.

    Floats and decimals become strings (jsonb would rewrite 1e20 as an integer), dates ISO
    strings, and NUL characters are dropped (PostgreSQL text cannot hold them)."""
    if type(value) is str:  # the common case first: most values of a change are text
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {clean_text(str(key)): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        return str(value)
    return clean_text(str(value))


def clean_text(value: str, limit: int | None = None) -> str:
    text = value.replace("\x00", "")
    return text[:limit] if limit else text


def canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": canonical_time(entry.at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "reason": entry.reason,
    }


def entry_hash(entry: AuditEntry) -> str:
    """sha256 of the previous hash followed by the entry's canonical JSON."""
    canonical = json.dumps(entry_payload(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((entry.prev_hash + canonical).encode()).hexdigest()
