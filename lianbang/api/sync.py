"""The phone's sync protocol: pull its households, push its queued changes (see docs/api.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.masking import mask_household_document, mask_value
from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for
from lianbang.api.households import actor_of, require
from lianbang.api.schemas import StrictIn
from lianbang.common.errors import ApplicationError
from lianbang.sync.pull import PullPlan, sync_pull_plan
from lianbang.sync.push import sync_push

router = Router(tags=["sync"])


class PullOut(Schema):
    cursor: str
    full: bool
    households: list[dict[str, Any]]
    removed: list[int]


class PushIn(StrictIn):
    items: list[dict[str, Any]]


class PushOut(Schema):
    results: list[dict[str, Any]]


@router.get("/sync/pull", response=PullOut)
def pull(request: HttpRequest, cursor: datetime | None = None) -> StreamingHttpResponse:
    """All the caller's households the first time (no cursor), then what changed since."""
    plan = sync_pull_plan(households=households_for(request.user), cursor=cursor, user_id=request.user.pk)
    body = pull_body(plan, today=timezone.localdate())
    return StreamingHttpResponse(body, content_type="application/json; charset=utf-8")


def pull_body(plan: PullPlan, *, today: date) -> Iterator[bytes]:
    """The ``PullOut`` document, written chunk by chunk as the households are read and masked.

    The JSON is what the response schema gives (same keys, same values); the bytes are orjson's
    (UTF-8, no spaces) rather than ninja's renderer's. A failure mid-way cuts the body short,
    which the phone sees as invalid JSON and pulls again."""
    yield b'{"cursor":' + orjson.dumps(plan.cursor) + b',"full":' + orjson.dumps(plan.full)
    yield b',"households":['
    separator = b""
    for chunk in plan.chunks():
        masked = orjson.dumps([mask_household_document(h, today=today) for h in chunk])[1:-1]
        if masked:
            yield separator + masked
            separator = b","
    yield b'],"removed":' + orjson.dumps(plan.removed) + b"}"


@router.post("/sync/push", response=PushOut)
def push(request: HttpRequest, batch: PushIn) -> dict[str, Any]:
    """Apply queued changes once each; conflicts come back with both values."""
    require(request, Permission.HOUSEHOLD_EDIT)
    limit = settings.LIANBANG_SYNC_BATCH_MAX
    if len(batch.items) > limit:
        raise ApplicationError(
            "batch_too_large",
            f"每批最多{limit}项，请分批上传",
            f"at most {limit} changes per batch; split it",
            status=413,
        )
    results = sync_push(
        user=actor_of(request),
        households=households_for(request.user, Permission.HOUSEHOLD_EDIT),
        items=batch.items,
    )
    return {"results": [_masked(result) for result in results]}


def _masked(result: dict[str, Any]) -> dict[str, Any]:
    """Conflicts show the other value as the caller may see it (sensitive values masked)."""
    conflicts = result.get("conflicts") or {}
    masked = {
        key: {"yours": values["yours"], "theirs": mask_value(key, values["theirs"])}
        for key, values in conflicts.items()
    }
    return {**result, "conflicts": masked} if conflicts else result
