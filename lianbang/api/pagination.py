"""Keyset ("cursor") pagination: stable under inserts, one index range read per page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from lianbang.common.errors import invalid

M = TypeVar("M", bound=Model)
MAX_LIMIT = 500


def page(
    rows: QuerySet[M], *, cursor: str | None, limit: int, render: Callable[[M], Any], order: str = "-pk"
) -> dict[str, Any]:
    """``{"items": [...], "next_cursor": str | None}``; ``order`` is a unique column, ``-`` for
    descending (``pk``, ``-pk``, ``household_no`` …)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", limit, f"应为1到{MAX_LIMIT}之间", f"must be from 1 to {MAX_LIMIT}")
    field = order.lstrip("-")
    after = _decode(cursor, field)
    if after is not None:
        rows = rows.filter(**{f"{field}__{'lt' if order.startswith('-') else 'gt'}": after})
    batch = list(rows.order_by(order)[: limit + 1])
    items = batch[:limit]
    last = getattr(items[-1], field) if items else None
    return {
        "items": [render(row) for row in items],
        "next_cursor": _encode(field, last) if len(batch) > limit else None,
    }


def _encode(field: str, value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([field, value]).encode()).decode().rstrip("=")


def _decode(cursor: str | None, field: str) -> Any:
    if not cursor:
        return None
    try:
        name, value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if name == field and isinstance(value, (int, str)):
            return value
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise invalid(
        "cursor", cursor, "翻页游标无效，请从第一页重新开始", "invalid cursor; start from the first page"
    )


def keyed_page(
    rows: QuerySet[M],
    *,
    sort: str,
    kind: str,
    descending: bool,
    cursor: str | None,
    limit: int,
    render: Callable[[M], Any],
) -> dict[str, Any]:
    """A page of ``rows`` annotated with ``sort_key`` and ordered by (sort_key, pk), both
    descending when ``descending``: keyset paging on a key that may repeat, ties broken by id,
    so that paging yields every row once in order. ``sort`` names the order in the cursor;
    ``kind`` (``text``, ``int``, ``float``, ``date``, ``datetime``) says how it carries the key."""
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", limit, f"应为1到{MAX_LIMIT}之间", f"must be from 1 to {MAX_LIMIT}")
    after = _decode_keyed(cursor, sort, kind)
    if after is not None:
        value, pk = after
        op = "lt" if descending else "gt"
        rows = rows.filter(Q(**{f"sort_key__{op}": value}) | Q(sort_key=value, **{f"pk__{op}": pk}))
    batch = list(rows[: limit + 1])
    items = batch[:limit]
    next_cursor = None
    if len(batch) > limit:
        last = items[-1]
        key = last.sort_key  # type: ignore[attr-defined]
        raw = json.dumps([sort, key.isoformat() if isinstance(key, (date, datetime)) else key, last.pk])
        next_cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return {"items": [render(row) for row in items], "next_cursor": next_cursor}


def _decode_keyed(cursor: str | None, sort: str, kind: str) -> tuple[Any, int] | None:
    if not cursor:
        return None
    try:
        name, value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if name == sort and isinstance(pk, int) and not isinstance(pk, bool) and pk > 0:
            return _KINDS[kind](value), pk
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise invalid(
        "cursor", cursor, "翻页游标无效，请从第一页重新开始", "invalid cursor; start from the first page"
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


def _float(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(value)
    return float(value)


def _day(value: Any) -> date:
    return date.fromisoformat(_text(value))


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment


_KINDS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "int": _int,
    "float": _float,
    "date": _day,
    "datetime": _moment,
}
