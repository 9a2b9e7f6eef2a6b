"""Download: a phone's households, all of them the first time, then what changed since its cursor.

A pull is read in chunks of households (``CHUNK`` at a time): the scope is evaluated once, for
the ordered ids, and each chunk reads its members, incomes, events, visits and labels by those
ids. The API streams the chunks as they are assembled, so a community official's thousands of
households neither wait for the last one nor sit whole in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from lianbang.monitoring.models import HouseholdLabel
from lianbang.registry.document import MEMBER_BENEFITS
from lianbang.registry.export import (
    event_to_document,
    household_fields_to_document,
    income_to_document,
    member_to_document,
)
from lianbang.registry.models import Event, Household, Income, Member, Visit
from lianbang.registry.vocab import HouseholdStatus
from lianbang.sync.models import ScopeExit

# Rows committed by a transaction that started before the previous pull may carry a timestamp
# just before that pull's cursor; downloads overlap by this much and phones apply by version.
OVERLAP = timedelta(minutes=2)
# Households read and assembled at a time: large enough that the queries stay few (six per
# chunk), small enough that a chunk's rows and documents stay a few megabytes.
CHUNK = 500


@dataclass(frozen=True)
class PullPlan:
    """What a pull will send: the cursor to hand back, and which households, in id order."""

    cursor: str
    full: bool
    ids: list[int]
    removed: list[int]

    def chunks(self, size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """The households' sync documents, ``size`` (default ``CHUNK``) households at a time."""
        size = size or CHUNK
        for start in range(0, len(self.ids), size):
            yield households_to_sync_documents(self.ids[start : start + size])


@dataclass(frozen=True)
class Pull:
    cursor: str
    full: bool
    households: list[dict[str, Any]]
    removed: list[int]


def sync_pull_plan(
    *, households: QuerySet[Household], cursor: datetime | None, user_id: int | None = None
) -> PullPlan:
    """``households`` is the caller's scope; ``cursor`` the one returned by the previous pull.
    ``removed`` holds the households that left the register, and those that left the scope of
    ``user_id`` (``ScopeExit``: moved out of their grid, the grid given to someone else)."""
    now = timezone.now()
    changed = households
    removed: list[int] = []
    if cursor is not None:
        since = cursor - OVERLAP
        changed = households.filter(Q(updated_at__gte=since) | Q(light__since__gte=since)).distinct()
    ids = list(changed.filter(status=HouseholdStatus.ACTIVE).order_by("pk").values_list("pk", flat=True))
    if cursor is not None:
        removed = list(changed.exclude(status=HouseholdStatus.ACTIVE).values_list("pk", flat=True))
        removed += _left_scope(households, user_id, cursor - OVERLAP, set(removed))
    return PullPlan(now.isoformat(), cursor is None, ids, removed)


def _left_scope(
    households: QuerySet[Household], user_id: int | None, since: datetime, known: set[int]
) -> list[int]:
    if user_id is None:
        return []
    left = (
        ScopeExit.objects.filter(user_id=user_id, at__gte=since)
        .exclude(household_id__in=households.values("pk"))
        .values_list("household_id", flat=True)
    )
    return sorted(set(left) - known)


def sync_pull(
    *, households: QuerySet[Household], cursor: datetime | None, user_id: int | None = None
) -> Pull:
    """The whole pull in memory (the API streams :meth:`PullPlan.chunks` instead)."""
    plan = sync_pull_plan(households=households, cursor=cursor, user_id=user_id)
    documents = [document for chunk in plan.chunks() for document in chunk]
    return Pull(plan.cursor, plan.full, documents, plan.removed)


def households_to_sync_documents(ids: list[int]) -> list[dict[str, Any]]:
    """Whole households in six queries, read as plain rows (no model instances: building tens
    of thousands of them cost more than the queries). The rows go through the same
    ``registry.export`` functions as a stored household, so the documents are the same;
    members and events come in the order they were added, incomes by year."""
    members = _grouped(
        Member.objects.filter(household_id__in=ids).order_by("household_id", "pk").values(*_MEMBER_FIELDS)
    )
    incomes = _grouped(
        Income.objects.filter(household_id__in=ids).order_by("household_id", "year").values(*_INCOME_FIELDS)
    )
    events = _grouped(
        Event.objects.filter(household_id__in=ids).order_by("household_id", "pk").values(*_EVENT_FIELDS)
    )
    _name_event_members(events, members)
    last_visits = dict(
        Visit.objects.filter(household_id__in=ids)
        .values("household_id")
        .annotate(last=Max("visited_at"))
        .values_list("household_id", "last")
    )
    labels: dict[int, list[str]] = defaultdict(list)
    for household_id, code in HouseholdLabel.objects.filter(household_id__in=ids).values_list(
        "household_id", "label__code"
    ):
        labels[household_id].append(code)
    rows = Household.objects.filter(pk__in=ids).order_by("pk").values(*_HOUSEHOLD_FIELDS, **_HOUSEHOLD_JOINED)
    return [
        _document(row, members[row["id"]], incomes[row["id"]], events[row["id"]], labels[row["id"]])
        | {"last_visit_at": _iso(last_visits.get(row["id"]))}
        for row in rows
    ]


_HOUSEHOLD_FIELDS = (
    "id",
    "version",
    "household_no",
    "category",
    "monitoring_type",
    "housing_safe",
    "water_safe",
    "military_family",
    "no_labor_support",
    "origin_village",
    "move_in_date",
    "phone",
    "entrance",
    "floor",
    "room",
)
_HOUSEHOLD_JOINED = {
    "grid_code": F("grid__code"),
    "building_number": F("building__number"),
    "light_color": F("light__color"),
    "light_rules": F("light__rules"),
    "light_income_missing": F("light__income_missing"),
    "light_since": F("light__since"),
}
# Only the columns the documents use (the timestamps and region code would cost a conversion
# each per row for nothing).
_MEMBER_FIELDS = (
    "id",
    "household_id",
    "version",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "political_status",
    "education",
    "schooling",
    "health",
    "disability_type",
    "disability_grade",
    "labor_skill",
    "work_location",
    "employer",
    "employed_since",
    "monthly_wage",
    "employment_channel",
    "medical_insurance",
    "serious_illness_insurance",
    "pension_insurance",
    "unattended_child",
    "status",
    *MEMBER_BENEFITS,
)
_INCOME_FIELDS = (
    "household_id",
    "year",
    "wage",
    "business",
    "property_income",
    "transfer",
    "business_expense",
    "medical_self_paid",
    "education_expense",
    "insurance_claims",
    "household_size",
)
_EVENT_FIELDS = ("household_id", "member_id", "type", "date", "severity", "loss", "house_damaged", "note")


def _grouped(rows: Iterable[Any]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["household_id"]].append(row)
    return grouped


def _name_event_members(
    events: dict[int, list[dict[str, Any]]], members: dict[int, list[dict[str, Any]]]
) -> None:
    """Each event's member ID number, from the members already read (a join to the member table
    cost more than the events); a member of another household is looked up."""
    numbers = {m["id"]: m["id_number"] for rows in members.values() for m in rows}
    wanted = {e["member_id"] for rows in events.values() for e in rows if e["member_id"] is not None}
    if wanted - numbers.keys():
        numbers |= dict(Member.objects.filter(pk__in=wanted - numbers.keys()).values_list("pk", "id_number"))
    for rows in events.values():
        for event in rows:
            event["member_id_number"] = numbers.get(event["member_id"])


def _document(
    row: dict[str, Any],
    members: list[dict[str, Any]],
    incomes: list[dict[str, Any]],
    events: list[dict[str, Any]],
    labels: list[str],
) -> dict[str, Any]:
    household = SimpleNamespace(
        **row,
        grid=SimpleNamespace(code=row["grid_code"]) if row["grid_code"] is not None else None,
        building=SimpleNamespace(number=row["building_number"])
        if row["building_number"] is not None
        else None,
    )
    return {
        "id": row["id"],
        "version": row["version"],
        **household_fields_to_document(cast(Household, household)),
        "members": [
            {"id": m["id"], "version": m["version"], **member_to_document(cast(Member, SimpleNamespace(**m)))}
            for m in members
        ],
        "incomes": [income_to_document(cast(Income, SimpleNamespace(**i))) for i in incomes],
        "events": [event_to_document(cast(Event, _event(e))) for e in events],
        "light": _light(row),
        "labels": sorted(labels),
    }


def _event(row: dict[str, Any]) -> SimpleNamespace:
    number = row["member_id_number"]
    return SimpleNamespace(**row, member=SimpleNamespace(id_number=number) if number is not None else None)


def _light(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["light_color"] is None:
        return None
    return {
        "color": row["light_color"],
        "rules": row["light_rules"],
        "income_missing": row["light_income_missing"],
        "since": row["light_since"].isoformat(),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
