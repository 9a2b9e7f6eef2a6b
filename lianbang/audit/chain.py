"""Hashing of audit entries: the canonical form both the writer and ``audit verify`` use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianbang.audit.models import AuditEntry


def json_safe(value: Any) -> Any:
    """A value that survives a round trip through SQLite JSON and PostgreSQL jsonb unchanged.

    Floats and decimals become strings (jsonb would rewrite 1e20 as an integer), dates ISO
    strings, and NUL characters are dropped (PostgreSQL text cannot hold them)."""
    return _BY_TYPE.get(type(value), _other)(value)


def _text(value: str) -> str:
    return value.replace("\x00", "")


def _dict(value: dict[Any, Any]) -> dict[str, Any]:
    by_type = _BY_TYPE
    return {
        (key.replace("\x00", "") if type(key) is str else clean_text(str(key))): by_type.get(
            type(item), _other
        )(item)
        for key, item in value.items()
    }


def _list(value: list[Any]) -> list[Any]:
    by_type = _BY_TYPE
    return [by_type.get(type(item), _other)(item) for item in value]


def _same(value: Any) -> Any:
    return value


# The exact types met most often (subclasses, e.g. enum members, go through ``_other``).
_BY_TYPE: dict[type, Callable[[Any], Any]] = {
    str: _text,
    dict: _dict,
    list: _list,
    type(None): _same,
    bool: _same,
    int: _same,
    date: date.isoformat,
    datetime: datetime.isoformat,
    Decimal: str,
    float: str,
}


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


def values_hash(values: Mapping[str, Any], changes_json: str | None = None) -> str:
    """:func:`entry_hash` of an entry given as ``{field: value}`` (no model instance needed).
    ``changes_json``, if given, is ``canonical_json(values["changes"])``, reused rather than
    encoded again: the canonical JSON of a dict with sorted keys is its items' JSON, in key
    order, joined, which is exactly what the whole encoding gives."""
    payload = payload_of(values)
    if changes_json is None:
        return _hash(values["prev_hash"], payload)
    encode = _CANONICAL.encode
    items = (f"{encode(k)}:{changes_json if k == 'changes' else encode(payload[k])}" for k in sorted(payload))
    canonical = "{" + ",".join(items) + "}"
    return hashlib.sha256((values["prev_hash"] + canonical).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    """``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``."""
    return _CANONICAL.encode(value)


# The encoder json.dumps builds for these options on every call, built once.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _CANONICAL.encode(payload)).encode()).hexdigest()
