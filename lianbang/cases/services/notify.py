"""The inbox (站内通知) and, for every inbox row, a message in the outbox of each enabled channel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from lianbang.accounts.models import Assignment, Role, User
from lianbang.cases.models import Case, CaseStep, Notification, OutboxMessage
from lianbang.cases.services.channels import enabled_channels
from lianbang.cases.vocab import STEP_KIND_EN, NotificationKind, StepKind

R = Role
# The roles an escalation or an unassigned case is reported to: the unit's own officials.
OFFICIAL_ROLES = frozenset(
    {
        R.FLOOR_LEADER,
        R.BRANCH_SECRETARY,
        R.AREA_LEADER,
        R.COMMUNITY_OFFICIAL,
        R.STREET_OFFICIAL,
        R.DISTRICT_ADMIN,
    }
)


@dataclass(frozen=True)
class Note:
    user_id: int
    kind: str
    case: Case
    message: str
    message_en: str
    step: CaseStep | None = None


def officials_at(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Unit id → the users holding an official role in exactly that unit (one query)."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = Assignment.objects.filter(unit_id__in=set(unit_ids), role__in=OFFICIAL_ROLES)
    for unit_id, user_id in rows.values_list("unit_id", "user_id").distinct():
        found[unit_id].append(user_id)
    return found


def responsible_users(case: Case) -> list[int]:
    """Whoever answers for the case now: its assignee, else the officials of its handling unit."""
    if case.assignee_id is not None:
        return [case.assignee_id]
    return officials_at([case.handling_unit_id]).get(case.handling_unit_id, [])


def notifications_send(notes: list[Note], now: datetime) -> list[Notification]:
    """Inbox rows (a step-bound note only once per user, step and kind) and their outbox messages."""
    fresh = _not_yet_sent(notes)
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user_id=n.user_id,
                kind=n.kind,
                case=n.case,
                step=n.step,
                message=n.message[:300],
                message_en=n.message_en[:300],
                created_at=now,
            )
            for n in fresh
        ]
    )
    _enqueue(fresh, now)
    return rows


def _not_yet_sent(notes: list[Note]) -> list[Note]:
    bound = [n for n in notes if n.step is not None and n.kind != NotificationKind.ESCALATED]
    if not bound:
        return _unique(notes)
    sent = set(
        Notification.objects.filter(step_id__in={n.step.pk for n in bound if n.step}).values_list(
            "user_id", "step_id", "kind"
        )
    )
    return _unique([n for n in notes if (n.user_id, n.step.pk if n.step else None, n.kind) not in sent])


def _unique(notes: list[Note]) -> list[Note]:
    seen: set[tuple[int, int | None, str, int]] = set()
    kept = []
    for note in notes:
        key = (note.user_id, note.step.pk if note.step else None, note.kind, note.case.pk)
        if key not in seen:
            seen.add(key)
            kept.append(note)
    return kept


def _enqueue(notes: list[Note], now: datetime) -> None:
    channels = enabled_channels()
    if not channels or not notes:
        return
    usernames = dict(User.objects.filter(pk__in={n.user_id for n in notes}).values_list("pk", "username"))
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                channel=channel,
                kind=note.kind,
                payload=outbox_payload(note, usernames.get(note.user_id, ""), now),
                next_attempt_at=now,
                created_at=now,
            )
            for note in notes
            for channel in channels
        ]
    )


def outbox_payload(note: Note, username: str, now: datetime) -> dict[str, Any]:
    """What a receiver gets: the case by number and state, never a person's ID, phone or health."""
    case = note.case
    return {
        "event": note.kind,
        "recipient": username,
        "message": note.message,
        "message_en": note.message_en,
        "case": {
            "id": case.pk,
            "kind": case.kind,
            "state": case.state,
            "level": case.level,
            "title": case.title,
        },
        "step": note.step.kind if note.step else None,
        "at": timezone.localtime(now).isoformat(),
    }


def step_label(kind: str) -> tuple[str, str]:
    return StepKind(kind).label, STEP_KIND_EN[StepKind(kind)]


def due_text(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def notifications_mark_read(
    *, user: Any, ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the user's notifications read (all unread ones when ``ids`` is None)."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now or timezone.now())
