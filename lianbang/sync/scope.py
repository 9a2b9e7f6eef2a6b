"""Households leaving a user's scope, recorded so that the user's phone drops them (``removed``
in the next incremental pull). Called by every write that shrinks a grid worker's scope: a
household moved to another grid (``scope_exits_for_regrid``, from every path that changes a
household's grid), a grid given to someone else, a grid worker's role revoked or their account
deactivated (``scope_exits_for_worker``). An exit of a household still in the user's scope is
ignored by the pull, so recording one too many is harmless."""

from __future__ import annotations

from collections.abc import Iterable

from lianbang.org.models import MicroGrid
from lianbang.registry.models import Household
from lianbang.sync.models import ScopeExit


def scope_exits_record(*, user_id: int, household_ids: Iterable[int]) -> None:
    ScopeExit.objects.bulk_create([ScopeExit(user_id=user_id, household_id=pk) for pk in household_ids])


def scope_exits_for_regrid(*, moves: Iterable[tuple[int, int | None, int | None]]) -> None:
    """``moves``: (household id, old grid id, new grid id). The old grid's worker loses the
    household unless they work the new grid too (one query for the grids' workers)."""
    moves = [m for m in moves if m[1] is not None and m[1] != m[2]]
    grids = {m[1] for m in moves} | {m[2] for m in moves if m[2] is not None}
    workers = dict(
        MicroGrid.objects.filter(pk__in=grids, worker__isnull=False).values_list("pk", "worker_id")
    )
    exits = [
        ScopeExit(user_id=workers[old], household_id=household)
        for household, old, new in moves
        if old in workers and workers[old] != (workers.get(new) if new is not None else None)
    ]
    ScopeExit.objects.bulk_create(exits)


def scope_exits_for_worker(*, user_id: int) -> None:
    """The households of every grid ``user_id`` works leave their phone (role revoked, account
    deactivated)."""
    ids = Household.objects.filter(grid__worker_id=user_id).values_list("pk", flat=True)
    scope_exits_record(user_id=user_id, household_ids=list(ids))
