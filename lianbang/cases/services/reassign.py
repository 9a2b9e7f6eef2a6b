"""Open matters follow the grid worker: a case opened for a household is assigned to its grid's
worker (``opening``), so when the grid gets another worker or the household moves to another
grid (``org.signals.grid_worker_changed``, ``registry.signals.household_regridded``), the open
cases held by the old worker pass to the new one, each with a timeline event and its audit
entry (``timeline.event_add``) and a note in the new worker's inbox. A case someone else holds
stays where it is."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lianbang.cases.clock import current
from lianbang.cases.models import Case
from lianbang.cases.services.notify import Note, notifications_send
from lianbang.cases.services.timeline import event_add
from lianbang.cases.vocab import EventType, NotificationKind
from lianbang.org.models import MicroGrid

# (household id, old worker id, new worker id); None: no worker.
Handover = tuple[int, int | None, int | None]


def cases_follow_grid_move(*, moves: list[tuple[int, int | None, int | None]], actor: Any) -> int:
    """Households moved between grids: (household id, old grid id, new grid id)."""
    grids = {g for _, old, new in moves for g in (old, new) if g is not None}
    workers = dict(MicroGrid.objects.filter(pk__in=grids).values_list("pk", "worker_id"))
    return cases_hand_over(
        handovers=[
            (h, workers.get(old) if old else None, workers.get(new) if new else None) for h, old, new in moves
        ],
        actor=actor,
        cause="household_regridded",
    )


def cases_follow_grid_worker(
    *, grid_id: int, old_worker_id: int | None, new_worker_id: int | None, actor: Any
) -> int:
    """A grid given to another worker (or to none)."""
    households = MicroGrid.objects.get(pk=grid_id).households.values_list("pk", flat=True)
    return cases_hand_over(
        handovers=[(h, old_worker_id, new_worker_id) for h in households], actor=actor, cause="grid_worker"
    )


def cases_hand_over(*, handovers: list[Handover], actor: Any, cause: str) -> int:
    """Reassign the open cases of each household held by the old worker (or by nobody) to the
    new worker; returns how many changed."""
    handovers = [h for h in handovers if h[1] != h[2]]
    if not handovers:
        return 0
    wanted = {household: (old, new) for household, old, new in handovers}
    held_by_old = Q()
    for household, (old, _) in wanted.items():
        held_by_old |= Q(household_id=household, assignee_id=old)
    cases = list(Case.objects.select_for_update().filter(held_by_old, closed_at__isnull=True).order_by("pk"))
    now = current()
    notes = []
    for case in cases:
        old, new = wanted[case.household_id]  # type: ignore[index]
        case.assignee_id = new
        case.version += 1
        case.save(update_fields=["assignee", "version"])
        event_add(
            case, EventType.REASSIGNED, now, actor=actor, payload={"assignee": [old, new], "cause": cause}
        )
        if new is not None:
            notes.append(
                Note(
                    new,
                    NotificationKind.ASSIGNED,
                    case,
                    f"转交给您：{case.title}",
                    f"handed over to you: {case.title}",
                )
            )
    notifications_send(notes, now)
    return len(cases)
