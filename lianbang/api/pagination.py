"""Keyset ("cursor") pagination: stable under inserts, one index range read per page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

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
