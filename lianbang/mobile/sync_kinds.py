"""The phone's own kinds of sync change (see lianbang.sync.push):

    {"uuid", "kind": "visit", ..., "data": {..., "place", "latitude", "longitude", "answers"}}
    {"uuid", "kind": "visit_photo", "visit_uuid", "data": {"content_type", "base64"}}
    {"uuid", "kind": "self_declared", "household_id", "data": {"risk_type", "level", "note"}}

A photo travels as its own item after its visit's (photos make batches heavy; the phone sends
them a few at a time) and names the visit by the visit item's UUID.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from django.db.models import QuerySet

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError, invalid
from lianbang.mobile.services import self_declared_record, visit_detail_record, visit_photo_attach
from lianbang.registry.models import Household, Visit
from lianbang.sync import push
from lianbang.sync.models import SyncChange


def register() -> None:
    push.EXTRA_KINDS["visit_photo"] = visit_photo
    push.EXTRA_KINDS["self_declared"] = self_declared
    if visit_detail_record not in push.VISIT_HOOKS:
        push.VISIT_HOOKS.append(visit_detail_record)


def visit_photo(user: User, households: QuerySet[Household], item: dict[str, Any]) -> dict[str, Any]:
    visit = _visit_of(item.get("visit_uuid"), user, households)
    raw = item.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    photo = visit_photo_attach(
        visit=visit, content_type=data.get("content_type"), encoded=data.get("base64"), actor=user
    )
    return {"uuid": item["uuid"], "status": "applied", "id": photo.pk, "size": photo.size}


def _visit_of(raw: Any, user: User, households: QuerySet[Household]) -> Visit:
    try:
        key = uuid_module.UUID(str(raw))
    except ValueError:
        raise invalid("visit_uuid", raw, "应为走访记录的UUID", "must be the visit's UUID") from None
    change = SyncChange.objects.filter(uuid=key, user=user, kind="visit", status="applied").first()
    visit = None
    if change is not None:
        visit = Visit.objects.filter(pk=change.result.get("id"), household__in=households).first()
    if visit is None:
        raise ApplicationError(
            "visit_not_synced",
            "照片所属的走访尚未上传或未成功",
            "the photo's visit has not been uploaded",
            status=404,
        )
    return visit


def self_declared(user: User, households: QuerySet[Household], item: dict[str, Any]) -> dict[str, Any]:
    household = households.filter(pk=_as_int(item.get("household_id"))).first()
    if household is None:
        raise ApplicationError(
            "not_found", "找不到该户或无权访问", "no such household in your scope", status=404
        )
    alert = self_declared_record(household=household, data=item.get("data"), actor=user)
    return {
        "uuid": item["uuid"],
        "status": "applied",
        "id": alert.pk,
        "duplicate": alert.status == "duplicate",
    }


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
