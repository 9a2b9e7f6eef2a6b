"""Households leaving a user's scope, recorded so that the user's phone drops them (``removed``
in the next incremental pull). Called by the writes that shrink a grid worker's scope."""

from __future__ import annotations

from collections.abc import Iterable

from lianbang.sync.models import ScopeExit


def scope_exits_record(*, user_id: int, household_ids: Iterable[int]) -> None:
    ScopeExit.objects.bulk_create([ScopeExit(user_id=user_id, household_id=pk) for pk in household_ids])
