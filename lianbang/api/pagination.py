"""Keyset ("cursor") pagination: stable under inserts, one index range read per page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
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
    descending: bool,
    cursor: str | None,
    limit: int,
    render: Callable[[M], Any],
) -> dict[str, Any]:
    """A page of ``rows`` annotated with ``sort_key`` and ordered by (sort_key, pk), both
    descending when ``descending``: keyset paging on a key that may repeat, ties broken by id,
    so that paging yields every row once in order.

    The cursor carries only ``sort`` and the last row's id, never its key (an age sort's key is
    a birth date, which rebuilds a masked ID number): the key is looked up again within
    ``rows``, the caller's scoped and filtered rows, and a row no longer among them is a 400."""
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", limit, f"应为1到{MAX_LIMIT}之间", f"must be from 1 to {MAX_LIMIT}")
    pk = _decode_keyed(cursor, sort)
    if pk is not None:
        keys = list(rows.filter(pk=pk).values_list("sort_key", flat=True)[:1])
        if not keys:
            raise invalid("cursor", cursor, "列表已变化，请从头开始", "the list changed; start again")
        op = "lt" if descending else "gt"
        rows = rows.filter(Q(**{f"sort_key__{op}": keys[0]}) | Q(sort_key=keys[0], **{f"pk__{op}": pk}))
    batch = list(rows[: limit + 1])
    items = batch[:limit]
    next_cursor = None
    if len(batch) > limit:
        raw = json.dumps([sort, items[-1].pk])
        next_cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return {"items": [render(row) for row in items], "next_cursor": next_cursor}


def _decode_keyed(cursor: str | None, sort: str) -> int | None:
    if not cursor:
        return None
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if name == sort and isinstance(pk, int) and not isinstance(pk, bool) and pk > 0:
            return pk
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise invalid(
        "cursor", cursor, "翻页游标无效，请从第一页重新开始", "invalid cursor; start from the first page"
    )
