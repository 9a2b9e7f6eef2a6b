"""Timeline rows (saleor-style events): every change to a case is one CaseEvent, and one entry
in the audit log (``services/audit.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lianbang.cases.models import Case, CaseEvent
from lianbang.cases.services.audit import audit_case_event


def event_add(
    case: Case,
    type: str,
    at: datetime,
    *,
    actor: Any = None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    fields = event_fields(case, type, at, actor, action, from_state, to_state, payload)
    event = CaseEvent.objects.create(**fields)
    audit_case_event(event, actor)
    return event


def event_build(case: Case, type: str, at: datetime, **fields: Any) -> CaseEvent:
    """An unsaved event, for bulk_create on the set-based paths."""
    return CaseEvent(case=case, type=type, at=at, region_code=case.region_code, **fields)


def event_fields(
    case: Case,
    type: str,
    at: datetime,
    actor: Any,
    action: str,
    from_state: str,
    to_state: str,
    payload: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "case": case,
        "type": type,
        "at": at,
        "actor": actor,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "payload": payload or {},
        "region_code": case.region_code,
    }
