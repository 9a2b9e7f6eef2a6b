"""Hashing of audit entries: the canonical form both the writer and ``audit verify`` use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianbang.audit.models import AuditEntry


def json_safe(value: Any) -> Any:
    """A value that survives a round trip through SQLite JSON and PostgreSQL jsonb unchanged.

    Floats and decimals become strings (jsonb would rewrite 1e20 as an integer), dates ISO
    strings, and NUL characters are dropped (PostgreSQL text cannot hold them)."""
    kind = type(value)
    if kind is str:  # the common cases first: most values of a change are text, None or [old, new]
        return value.replace("\x00", "")
    if kind is dict:
        return {
            (key.replace("\x00", "") if type(key) is str else clean_text(str(key))): _item(item)
            for key, item in value.items()
        }
    if kind is list:
        return [_item(item) for item in value]
    return _other(value)


def _item(value: Any) -> Any:
    """``json_safe`` of a nested value, with text and None handled without a further call."""
    if type(value) is str:
        return value.replace("\x00", "")
    if value is None:
        return None
    return json_safe(value)


def _other(value: Any) -> Any:
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


PAYLOAD = (
    "seq", "at", "actor_id", "actor_name", "ip", "action", "object_type", "object_id", "changes", "reason",
)  # fmt: skip


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return payload_of({name: getattr(entry, name) for name in PAYLOAD})


def payload_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed part of an entry given as ``{field: value}`` (the model's attribute names)."""
    payload = {name: values[name] for name in PAYLOAD}
    payload["at"] = canonical_time(payload["at"])
    return payload


def entry_hash(entry: AuditEntry) -> str:
    """sha256 of the previous hash followed by the entry's canonical JSON."""
    return _hash(entry.prev_hash, entry_payload(entry))


def values_hash(values: Mapping[str, Any]) -> str:
    """:func:`entry_hash` of an entry given as ``{field: value}`` (no model instance needed)."""
    return _hash(values["prev_hash"], payload_of(values))


def _hash(prev_hash: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()
