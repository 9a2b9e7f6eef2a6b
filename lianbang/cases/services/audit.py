"""Case, matter and alert writes in the hash-chained audit log (``lianbang.audit``).

Every timeline event a person or the system adds (transition, visit, measure, comment, risk
types, mediation, overdue, escalation by ``lianbang tick``, refusal) is one entry, in the same
transaction as the write. The set-wise paths (alerts from a bulk judging run, cases opened from
them) write one entry per chunk naming every alert and case of it, so that they stay a few
queries per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lianbang.audit.services import audit_record
from lianbang.cases.models import Alert, Case, CaseEvent

CASE = "cases.case"
ALERT = "cases.alert"


def _actor(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_case_event(event: CaseEvent, actor: Any = None) -> None:
    """One timeline event of a case (its kind, the event, the move and what it carried)."""
    case = event.case
    audit_record(
        actor=_actor(actor),
        action=f"case.{event.type}",
        object_type=CASE,
        object_id=case.pk,
        changes={
            "kind": case.kind,
            "event": event.pk,
            "action": event.action,
            "state": [event.from_state, event.to_state] if event.to_state else case.state,
            "version": case.version,
            "payload": event.payload,
        },
    )


def audit_alert(alert: Alert, actor: Any) -> None:
    """A person's report (自主申报, 网格员排查, 部门筛查预警)."""
    audit_record(
        actor=_actor(actor),
        action="alert.raise",
        object_type=ALERT,
        object_id=alert.pk,
        changes={
            "household": alert.household_id,
            "risk_type": alert.risk_type,
            "level": alert.level,
            "channel": alert.channel,
            "status": alert.status,
            "case": alert.case_id,
        },
    )


def audit_alerts_raised(raised: Iterable[tuple[int, str, str]]) -> None:
    """System alerts of one chunk: ``(household, risk type, level)`` each."""
    rows = [list(row) for row in raised]
    if rows:
        audit_record(
            actor=None, action="alert.raise_bulk", object_type=ALERT, object_id="", changes={"alerts": rows}
        )


def audit_cases_opened(opened: list[Case], attached: list[Case]) -> None:
    """Cases the system opened (with their assignee) or extended in one chunk."""
    if not opened and not attached:
        return
    audit_record(
        actor=None,
        action="case.open_bulk",
        object_type=CASE,
        object_id="",
        changes={
            "opened": [[c.pk, c.household_id, c.level, c.assignee_id] for c in opened],
            "attached": [[c.pk, c.household_id, c.level, c.risk_types] for c in attached],
        },
    )
