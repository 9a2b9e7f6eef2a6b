"""Writes a phone makes besides the registry's own: a visit's place, answers and photo, and a
self-declared application (农户自主申报) raised as an alert of the 自主申报 channel."""

from __future__ import annotations

import base64
import binascii
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from lianbang.accounts.models import User
from lianbang.audit.services import audit_record
from lianbang.cases.models import Alert
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.vocab import Channel
from lianbang.common.errors import ApplicationError, invalid
from lianbang.mobile.models import VisitDetail, VisitPhoto
from lianbang.registry.models import Household, Visit

# The short visit form: each question and its answers, {code: (zh, en)}.
ANSWERS: dict[str, dict[str, tuple[str, str]]] = {
    "elderly_health": {
        "stable": ("老人身体稳定", "the elderly are stable"),
        "worse": ("老人病情加重", "an elderly person is worse"),
        "hospital": ("老人住院", "an elderly person is in hospital"),
    },
    "employment": {
        "stable": ("务工稳定", "work is stable"),
        "lost": ("有人失业", "someone lost their job"),
        "new": ("有人新就业", "someone found a job"),
    },
    "schooling": {
        "in_school": ("孩子正常上学", "the children are at school"),
        "dropout": ("有孩子辍学", "a child dropped out"),
    },
    "income": {
        "same": ("收入无明显变化", "income unchanged"),
        "up": ("收入增加", "income went up"),
        "down": ("收入减少", "income went down"),
    },
}
PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "image/webp": b"RIFF"}


def answers_summary(answers: dict[str, str]) -> str:
    """The answers as a line of Chinese for the visit's notes (what the console shows)."""
    return "；".join(ANSWERS[key][value][0] for key, value in answers.items())


def parse_answers(raw: Any) -> dict[str, str]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise invalid("data.answers", raw, "应为对象", "must be an object")
    for key, value in raw.items():
        if key not in ANSWERS:
            raise invalid(f"data.answers.{key}", value, "不是走访表单的问题", "is not a question of the form")
        if value not in ANSWERS[key]:
            raise invalid(
                f"data.answers.{key}", value, "不是该问题的选项", "is not an answer to this question"
            )
    return {str(key): str(value) for key, value in raw.items()}


def visit_detail_record(visit: Visit, data: dict[str, Any], actor: User) -> VisitDetail | None:
    """The place and the answers a phone sent with a visit (nothing when it sent neither)."""
    answers = parse_answers(data.get("answers"))
    place = data.get("place") or ""
    if not isinstance(place, str) or len(place) > 200:
        raise invalid(
            "data.place",
            place,
            "地点应为不超过200字的文字",
            "the place must be text of at most 200 characters",
        )
    latitude = _coordinate(data.get("latitude"), "data.latitude", 90)
    longitude = _coordinate(data.get("longitude"), "data.longitude", 180)
    if not (answers or place or latitude is not None):
        return None
    detail = VisitDetail.objects.create(
        visit=visit, place=place, latitude=latitude, longitude=longitude, answers=answers
    )
    if answers:  # the console shows the notes: the answers lead them
        visit.notes = "\n".join(part for part in (answers_summary(answers), visit.notes) if part)
        visit.save(update_fields=["notes"])
    audit_record(
        actor=actor,
        action="visit.detail",
        object_type="visit",
        object_id=visit.pk,
        changes={"place": [None, place], "answers": [None, answers]},
    )
    return detail


def _coordinate(raw: Any, path: str, bound: int) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise invalid(path, raw, "不是有效的坐标", "is not a coordinate") from None
    if not value.is_finite() or abs(value) > bound:
        raise invalid(path, raw, f"坐标应在 ±{bound} 之间", f"must be within ±{bound}")
    return value


def visit_photo_attach(*, visit: Visit, content_type: Any, encoded: Any, actor: User) -> VisitPhoto:
    """A visit's photo, sent base64-encoded; its type is checked against its first bytes."""
    data = _decode(encoded)
    limit = settings.LIANBANG_VISIT_PHOTO_MAX_BYTES
    if len(data) > limit:
        raise ApplicationError(
            "photo_too_large",
            f"照片超过{limit // 1024} KB，请重新拍摄",
            f"the photo is over {limit // 1024} KB; take it again",
            status=413,
        )
    magic = PHOTO_TYPES.get(str(content_type))
    if magic is None or not data.startswith(magic):
        raise invalid(
            "data.content_type",
            content_type,
            "照片应为 JPEG、PNG 或 WebP",
            "the photo must be JPEG, PNG or WebP",
        )
    if VisitPhoto.objects.filter(visit=visit).exists():
        raise invalid("visit", visit.pk, "该次走访已有照片", "this visit already has a photo")
    photo = VisitPhoto.objects.create(
        visit=visit,
        content_type=str(content_type),
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        region_code=visit.region_code,
    )
    audit_record(
        actor=actor,
        action="visit.photo",
        object_type="visit",
        object_id=visit.pk,
        changes={"photo": [None, f"{photo.content_type} {photo.size} B {photo.sha256[:12]}"]},
    )
    return photo


def _decode(encoded: Any) -> bytes:
    if not isinstance(encoded, str) or not encoded:
        raise invalid("data.base64", None, "缺少照片内容", "the photo is missing")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("data.base64", encoded[:20], "照片编码有误", "the photo is not valid base64") from None


def self_declared_record(*, household: Household, data: Any, actor: User) -> Alert:
    """A family's own application for help (农户自主申报), taken down by the grid worker."""
    data = data if isinstance(data, dict) else {}
    note = data.get("note") or ""
    if not isinstance(note, str) or not note.strip():
        raise invalid("data.note", note, "请写明申报的困难", "say what the family is applying for")
    alert = alert_raise(
        household=household,
        risk_type=str(data.get("risk_type") or ""),
        level=str(data.get("level") or "yellow"),
        channel=Channel.SELF_DECLARED,
        actor=actor,
        note=note.strip(),
    )
    audit_record(
        actor=actor,
        action="alert.self_declared",
        object_type="household",
        object_id=household.pk,
        changes={"alert": [None, alert.pk], "risk_type": [None, alert.risk_type], "note": [None, alert.note]},
    )
    return alert
