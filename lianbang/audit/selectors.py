"""Searching the audit log (administrators only: the caller checks ``audit.view``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lianbang.accounts.masking import mask_value
from lianbang.audit.chain import clean_text
from lianbang.audit.models import AuditEntry

# Keys whose values are personal data wherever they appear in an entry's changes.
_SENSITIVE_KEYS = frozenset({"id_number", "phone", "health", "disability_type", "disability_grade"})


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_query(cls, query: Any) -> AuditFilter:
        return cls(
            actor=_text(query.get("actor"), 150),
            action=_text(query.get("action"), 40),
            object_type=_text(query.get("object_type"), 60),
            object_id=_text(query.get("object_id"), 64),
            since=_day(query.get("since")),
            until=_day(query.get("until")),
        )


def audit_search(criteria: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-seq", "-id")
    if criteria.actor:
        entries = entries.filter(actor_name=criteria.actor)
    if criteria.action:
        entries = entries.filter(action=criteria.action)
    if criteria.object_type:
        entries = entries.filter(object_type=criteria.object_type)
    if criteria.object_id:
        entries = entries.filter(object_id=criteria.object_id)
    if criteria.since:
        entries = entries.filter(at__gte=_start_of(criteria.since))
    if criteria.until:
        entries = entries.filter(at__lt=_start_of(criteria.until + timedelta(days=1)))
    return entries


def masked_changes(value: Any, key: str = "") -> Any:
    """An entry's changes for display: personal values masked wherever they are nested."""
    if isinstance(value, dict):
        return {k: masked_changes(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_changes(item, key) for item in value]
    return mask_value(key, value) if key in _SENSITIVE_KEYS and isinstance(value, (str, int)) else value


def _text(raw: object, limit: int) -> str:
    return clean_text(str(raw or "")).strip()[:limit]


def _day(raw: object) -> date | None:
    try:
        day = date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    # Far-off years would overflow when shifted to UTC; no entry lies there anyway.
    return day if day is None or 1900 <= day.year <= 9000 else None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
