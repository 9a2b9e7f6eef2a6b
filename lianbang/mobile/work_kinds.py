"""Sync kinds for the employment and care work a grid worker records on the phone:

    {"uuid", "kind": "employment_wish", "member_id", "data": {"seeking", "job_types", "places",
        "min_wage", "wants_training", "training_types", "constraints", "note", "visited_at"}}
    {"uuid", "kind": "employment_follow_up", "member_id", "follow_up_id", "data": {"done_on",
        "method", "still_employed", "note", "care_note", "lost_on"}}
    {"uuid", "kind": "care_visit", "household_id", "data": {"member_id", "visited_at", "all_well",
        "health_note", "help_given"}}

Each is handled by the app's own service (``employment.services``, ``care.services``), which
validates and audits, inside the item's transaction; ``sync.push`` applies each UUID once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.care.services import care_visit_record
from lianbang.common.errors import ApplicationError, invalid
from lianbang.employment.access import RECORD, member_in_scope, not_found
from lianbang.employment.models import FollowUp
from lianbang.employment.services import placements, wishes
from lianbang.registry.models import Household
from lianbang.registry.parsing import parse_day
from lianbang.sync import push

LIST_KEYS = ("job_types", "places", "training_types", "constraints")


def register() -> None:
    push.EXTRA_KINDS["employment_wish"] = employment_wish
    push.EXTRA_KINDS["employment_follow_up"] = employment_follow_up
    push.EXTRA_KINDS["care_visit"] = care_visit


def _data(item: dict[str, Any]) -> dict[str, Any]:
    raw = item.get("data")
    if not isinstance(raw, dict):
        raise invalid("data", raw, "应为对象", "must be an object")
    return raw


def _member(user: User, households: QuerySet[Household], item: dict[str, Any]) -> Any:
    member = member_in_scope(user, item.get("member_id"), RECORD)
    if not households.filter(pk=member.household_id).exists():
        raise not_found("人员", "person")
    return member


def _bool(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise invalid(f"data.{key}", value, "应为是或否", "must be true or false")
    return value


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise invalid(f"data.{key}", value, "应为文字", "must be text")
    return value


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(f"data.{key}", value, "应为文字列表", "must be a list of text")
    return value


def _day(data: dict[str, Any], key: str, *, required: bool = True) -> date | None:
    raw = data.get(key)
    if raw in (None, "") and not required:
        return None
    day = parse_day(raw) if isinstance(raw, str) else None
    if day is None:
        raise invalid(
            f"data.{key}", raw, "不是有效日期（如 2026-11-29）", "is not a valid date (e.g. 2026-11-29)"
        )
    return day


def _moment(data: dict[str, Any], key: str, *, required: bool = True) -> datetime | None:
    raw = data.get(key)
    if raw in (None, "") and not required:
        return None
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise invalid(
            f"data.{key}",
            raw,
            "不是有效时间（如 2026-11-29T10:30:00+08:00）",
            "is not a valid time (e.g. 2026-11-29T10:30:00+08:00)",
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def employment_wish(user: User, households: QuerySet[Household], item: dict[str, Any]) -> dict[str, Any]:
    member = _member(user, households, item)
    data = _data(item)
    wish_data = wishes.WishData(
        seeking=_bool(data, "seeking", True),
        min_wage=data.get("min_wage") if isinstance(data.get("min_wage"), (str, int, type(None))) else "?",
        wants_training=_bool(data, "wants_training", False),
        note=_text(data, "note"),
        **{key: _strings(data, key) for key in LIST_KEYS},
    )
    wish = wishes.wish_record(
        actor=user,
        member=member,
        data=wish_data,
        today=timezone.localdate(),
        visited_at=_moment(data, "visited_at", required=False),
    )
    return {"uuid": item["uuid"], "status": "applied", "id": wish.pk, "member_id": member.pk}


def employment_follow_up(user: User, households: QuerySet[Household], item: dict[str, Any]) -> dict[str, Any]:
    member = _member(user, households, item)
    follow_up = FollowUp.objects.filter(
        pk=_as_int(item.get("follow_up_id")), placement__member=member
    ).first()
    if follow_up is None:
        raise not_found("回访", "follow-up")
    data = _data(item)
    done = placements.follow_up_record(
        actor=user,
        follow_up=follow_up,
        done_on=_day(data, "done_on") or timezone.localdate(),
        method=_text(data, "method"),
        still_employed=_bool(data, "still_employed", True),
        note=_text(data, "note"),
        care_note=_text(data, "care_note"),
        lost_on=_day(data, "lost_on", required=False),
        today=timezone.localdate(),
    )
    return {"uuid": item["uuid"], "status": "applied", "id": done.pk}


def care_visit(user: User, households: QuerySet[Household], item: dict[str, Any]) -> dict[str, Any]:
    household = households.filter(pk=_as_int(item.get("household_id"))).first()
    if household is None:
        raise ApplicationError(
            "not_found", "找不到该户或无权访问", "no such household in your scope", status=404
        )
    data = _data(item)
    visit = care_visit_record(
        actor=user,
        household=household,
        member_id=data.get("member_id"),
        visited_at=_moment(data, "visited_at") or timezone.now(),
        all_well=_bool(data, "all_well", True),
        health_note=_text(data, "health_note"),
        help_given=_text(data, "help_given"),
    )
    return {"uuid": item["uuid"], "status": "applied", "id": visit.pk}


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
