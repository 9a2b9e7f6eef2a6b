"""Monitoring tells cases about lights; cases raises alerts in the same transaction and opens
cases for them once it commits (so a registry write stays quick and a failure here never
undoes it). Org and the registry tell cases when a grid's worker changes or a household moves
to another grid: the open cases follow the new worker, in the same transaction."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from lianbang.cases.services.alerts import alerts_from_bulk_run, alerts_from_changes, row_of
from lianbang.cases.services.opening import cases_open_pending
from lianbang.cases.services.reassign import cases_follow_grid_move, cases_follow_grid_worker
from lianbang.monitoring.models import LightChange
from lianbang.monitoring.signals import light_changed, lights_changed_in_bulk
from lianbang.org.signals import grid_worker_changed
from lianbang.registry.signals import household_regridded


@receiver(light_changed)
def alert_on_light_change(sender: Any, *, change: LightChange, **kwargs: Any) -> None:
    households = alerts_from_changes([row_of(change)])
    if households:
        transaction.on_commit(partial(cases_open_pending, household_ids=sorted(households)), robust=True)


@receiver(lights_changed_in_bulk)
def alert_on_bulk_run(sender: Any, *, changed_at: datetime, cause: str, **kwargs: Any) -> None:
    alerts_from_bulk_run(changed_at, cause)
    # Also picks up alerts an earlier write raised but whose case has not been opened yet.
    transaction.on_commit(cases_open_pending, robust=True)


@receiver(grid_worker_changed)
def cases_follow_new_grid_worker(
    sender: Any,
    *,
    grid_id: int,
    old_worker_id: int | None,
    new_worker_id: int | None,
    actor: Any,
    **kwargs: Any,
) -> None:
    cases_follow_grid_worker(
        grid_id=grid_id, old_worker_id=old_worker_id, new_worker_id=new_worker_id, actor=actor
    )


@receiver(household_regridded)
def cases_follow_household_to_its_grid(
    sender: Any, *, moves: list[tuple[int, int | None, int | None]], actor: Any, **kwargs: Any
) -> None:
    cases_follow_grid_move(moves=moves, actor=actor)
