"""Download: a phone's households, all of them the first time, then what changed since its cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from lianbang.monitoring.models import HouseholdLight
from lianbang.registry.export import (
    event_to_document,
    household_fields_to_document,
    income_to_document,
    member_to_document,
)
from lianbang.registry.models import Household
from lianbang.registry.vocab import HouseholdStatus

# Rows committed by a transaction that started before the previous pull may carry a timestamp
# just before that pull's cursor; downloads overlap by this much and phones apply by version.
OVERLAP = timedelta(minutes=2)


@dataclass(frozen=True)
class Pull:
    cursor: str
    full: bool
    households: list[dict[str, Any]]
    removed: list[int]


def sync_pull(*, households: QuerySet[Household], cursor: datetime | None) -> Pull:
    """``households`` is the caller's scope; ``cursor`` the one returned by the previous pull."""
    now = timezone.now()
    changed = households
    if cursor is not None:
        since = cursor - OVERLAP
        changed = households.filter(Q(updated_at__gte=since) | Q(light__since__gte=since)).distinct()
    active = changed.filter(status=HouseholdStatus.ACTIVE)
    removed = (
        []
        if cursor is None
        else list(changed.exclude(status=HouseholdStatus.ACTIVE).values_list("pk", flat=True))
    )
    return Pull(now.isoformat(), cursor is None, households_to_sync_documents(active), removed)


def households_to_sync_documents(households: QuerySet[Household]) -> list[dict[str, Any]]:
    """Whole households in a handful of queries, however many there are."""
    rows = (
        households.select_related("building", "grid", "light")
        .prefetch_related("members", "incomes", "events__member", "labels__label")
        .annotate(last_visit_at=Max("visits__visited_at"))
        .order_by("pk")
    )
    return [_document(household) for household in rows]


def _document(household: Household) -> dict[str, Any]:
    return {
        "id": household.pk,
        "version": household.version,
        **household_fields_to_document(household),
        "members": [
            {"id": m.pk, "version": m.version, **member_to_document(m)} for m in household.members.all()
        ],
        "incomes": [income_to_document(i) for i in sorted(household.incomes.all(), key=lambda i: i.year)],
        "events": [event_to_document(e) for e in household.events.all()],
        "light": _light(household),
        "last_visit_at": _iso(getattr(household, "last_visit_at", None)),
        "labels": sorted(hl.label.code for hl in household.labels.all()),
    }


def _light(household: Household) -> dict[str, Any] | None:
    try:
        light = household.light
    except HouseholdLight.DoesNotExist:
        return None
    return {
        "color": light.color,
        "rules": light.rules,
        "income_missing": light.income_missing,
        "since": light.since.isoformat(),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
