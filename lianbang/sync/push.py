"""Upload: a batch of changes a phone queued offline, each applied at most once.

Item kinds (``data`` and ``changes`` use the interchange document's keys):

    {"uuid", "kind": "visit", "household_id", "data": {"visited_at", "purpose", "all_well", "notes", "needs"}}
    {"uuid", "kind": "event", "household_id", "data": {"type", "date", "id_number" or "member_id", ...}}
    {"uuid", "kind": "member_update", "member_id", "base_version", "changes": {...}}
    {"uuid", "kind": "household_update", "household_id", "base_version", "changes": {...}}

Each item is applied together with its SyncChange row (its own transaction, or its own
savepoint in a run of visits committed together), so a batch cut short by a crash is replayed
safely: applied items answer with their stored result, the others are applied.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError, invalid
from lianbang.registry.export import household_fields_to_document, member_to_document
from lianbang.registry.models import Change, Household, Member, Visit
from lianbang.registry.parsing import parse_day
from lianbang.registry.services import event_record, household_update, member_update, visit_record
from lianbang.sync.models import SyncChange

KINDS = {"visit", "event", "member_update", "household_update"}
# Kinds other apps add (e.g. the phone app's visit photos and self-declared applications):
# ``handler(user, households, item) -> result`` runs inside the item's transaction.
EXTRA_KINDS: dict[str, Callable[[User, QuerySet[Household], dict[str, Any]], dict[str, Any]]] = {}
# Called after a visit is recorded with the item's ``data`` (place, answers …), same transaction.
VISIT_HOOKS: list[Callable[[Visit, dict[str, Any], User], object]] = []
# Document keys whose stored fields have other names.
FIELDS_OF_KEY = {
    "employment": {"work_location", "employer", "employed_since", "monthly_wage", "employment_channel"},
    "address": {"entrance", "floor", "room", "building"},
}


# Consecutive visits are applied together in one transaction (one commit instead of one per
# visit; when one of them fails, each in its own savepoint, so a rejected one leaves the
# others), at most this many at a time. Every other kind runs alone in its own short transaction: edits and
# events lock the audit chain's head, which must not wait for the rest of a batch.
VISIT_RUN = 50


@dataclass(frozen=True)
class Target:
    households: QuerySet[Household]
    user: User
    # Read once for the whole batch: what was already stored under the items' UUIDs (a replay
    # answers with it) and the visited households in scope.
    stored: dict[uuid_module.UUID, dict[str, Any]] = field(default_factory=dict)
    visited: dict[int, Household] = field(default_factory=dict)


def sync_push(*, user: User, households: QuerySet[Household], items: list[Any]) -> list[dict[str, Any]]:
    """Apply each item once; return one result per item, in order."""
    target = Target(households, user, _stored(items), _visited(households, items))
    return [result for run in _runs(items) for result in _push_run(target, run)]


def _push_run(target: Target, run: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    """A run of visits is first tried in one go, without a savepoint per visit (the usual case:
    every visit is fine); if one fails, the run is rolled back and applied one item at a time."""
    if len(run) > 1:
        try:
            with transaction.atomic():
                applied = [_push_unguarded(target, item, index) for index, item in run]
        except (ApplicationError, IntegrityError):
            pass
        else:
            target.stored.update(applied)
            return [result for _, result in applied]
    with transaction.atomic():
        return [_push_one(target, item, index) for index, item in run]


def _push_unguarded(target: Target, item: Any, index: int) -> tuple[uuid_module.UUID, dict[str, Any]]:
    """One visit of a run tried in one go: any error is the whole run's (see ``_push_run``)."""
    key, kind = _identify(item, index)
    if key in target.stored:
        return key, {**target.stored[key], "replayed": True}
    result = _apply(target, kind, item)
    SyncChange.objects.create(uuid=key, user=target.user, kind=kind, status=result["status"], result=result)
    return key, result


def _runs(items: list[Any]) -> Iterator[list[tuple[int, Any]]]:
    """The items in order, consecutive visits (up to ``VISIT_RUN``) together, others alone."""
    run: list[tuple[int, Any]] = []
    for index, item in enumerate(items):
        if not _is_visit(item) or len(run) == VISIT_RUN:
            if run:
                yield run
            run = []
        if _is_visit(item):
            run.append((index, item))
        else:
            yield [(index, item)]
    if run:
        yield run


def _is_visit(item: Any) -> bool:
    return isinstance(item, dict) and item.get("kind") == "visit"


def _stored(items: list[Any]) -> dict[uuid_module.UUID, dict[str, Any]]:
    keys = []
    for item in items:
        try:
            keys.append(uuid_module.UUID(str(item.get("uuid"))))
        except (AttributeError, ValueError):
            continue
    return dict(SyncChange.objects.filter(uuid__in=keys).values_list("uuid", "result"))


def _visited(households: QuerySet[Household], items: list[Any]) -> dict[int, Household]:
    ids = {_as_int(item.get("household_id")) for item in items if _is_visit(item)}
    return {household.pk: household for household in households.filter(pk__in=ids - {-1})}


def _push_one(target: Target, item: Any, index: int) -> dict[str, Any]:
    try:
        key, kind = _identify(item, index)
    except ApplicationError as error:
        return {
            "uuid": item.get("uuid") if isinstance(item, dict) else None,
            "status": "rejected",
            "error": error.as_dict(),
        }
    if key in target.stored:
        return {**target.stored[key], "replayed": True}
    try:
        with transaction.atomic():
            result = _apply(target, kind, item)
            SyncChange.objects.create(
                uuid=key, user=target.user, kind=kind, status=result["status"], result=result
            )
        target.stored[key] = result  # the same UUID again later in this batch is a replay
        return result
    except ApplicationError as error:
        result = {"uuid": str(key), "status": "rejected", "error": error.as_dict()}
    except IntegrityError:  # the same uuid arrived twice at once: the other one won
        stored = SyncChange.objects.filter(uuid=key).first()
        return {**(stored.result if stored else {"uuid": str(key), "status": "rejected"}), "replayed": True}
    _store_rejection(key, target.user, kind, result)
    return result


def _store_rejection(key: uuid_module.UUID, user: User, kind: str, result: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            SyncChange.objects.create(uuid=key, user=user, kind=kind, status="rejected", result=result)
    except IntegrityError:
        pass


def _identify(item: Any, index: int) -> tuple[uuid_module.UUID, str]:
    if not isinstance(item, dict):
        raise invalid(f"items[{index}]", item, "应为对象", "must be an object")
    try:
        key = uuid_module.UUID(str(item.get("uuid")))
    except ValueError as exc:
        raise invalid(
            f"items[{index}].uuid",
            item.get("uuid"),
            "应为客户端生成的UUID",
            "must be a client-generated UUID",
        ) from exc
    kind = item.get("kind")
    if kind not in KINDS and kind not in EXTRA_KINDS:
        raise invalid(f"items[{index}].kind", kind, "未知的变更类型", "unknown kind of change")
    return key, str(kind)


def _apply(target: Target, kind: str, item: dict[str, Any]) -> dict[str, Any]:
    if kind in EXTRA_KINDS:
        return EXTRA_KINDS[kind](target.user, target.households, item)
    if kind == "member_update":
        return _member_update(target, item)
    if kind == "visit":
        visit = _visit(target, _visited_household(target, item.get("household_id")), item.get("data"))
        return {"uuid": item["uuid"], "status": "applied", "id": visit}
    household = _household(target, item.get("household_id"))
    if kind == "household_update":
        return _household_update(target, household, item)
    data = _with_member_id_number(household, item.get("data"))
    event = event_record(household=household, data=data, actor=target.user, source="grid_worker")
    return {"uuid": item["uuid"], "status": "applied", "id": event.pk}


def _household(target: Target, household_id: Any) -> Household:
    return _found(target.households.filter(pk=_as_int(household_id)).first())


def _visited_household(target: Target, household_id: Any) -> Household:
    """A visit only reads the household (its status and region): the batch's read serves."""
    return _found(target.visited.get(_as_int(household_id)))


def _found(household: Household | None) -> Household:
    if household is None:
        raise ApplicationError(
            "not_found", "找不到该户或无权访问", "no such household in your scope", status=404
        )
    return household


def _with_member_id_number(household: Household, data: Any) -> Any:
    """A phone sees ID numbers masked: it names the event's member by ``member_id`` instead."""
    if not isinstance(data, dict) or "member_id" not in data:
        return data
    rest = {key: value for key, value in data.items() if key != "member_id"}
    member = household.members.filter(pk=_as_int(data["member_id"])).first()
    if member is None:
        raise invalid(
            "data.member_id", data["member_id"], "不是本户成员", "is not a member of this household"
        )
    return {**rest, "id_number": member.id_number}


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _visit(target: Target, household: Household, data: Any) -> int:
    data = data if isinstance(data, dict) else {}
    visited_at = _moment(data.get("visited_at"))
    visit = visit_record(
        household=household,
        visitor=target.user,
        visited_at=visited_at,
        purpose=str(data.get("purpose") or ""),
        all_well=bool(data.get("all_well", True)),
        notes=str(data.get("notes") or ""),
        needs=str(data.get("needs") or ""),
    )
    for hook in VISIT_HOOKS:
        hook(visit, data, target.user)
    return visit.pk


def _moment(raw: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        day = parse_day(raw)
        if day is None:
            raise invalid(
                "data.visited_at",
                raw,
                "不是有效时间（如 2026-11-29T10:30:00+08:00）",
                "is not a valid time (e.g. 2026-11-29T10:30:00+08:00)",
            ) from None
        moment = datetime(day.year, day.month, day.day)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _member_update(target: Target, item: dict[str, Any]) -> dict[str, Any]:
    member = Member.objects.filter(pk=_as_int(item.get("member_id")), household__in=target.households).first()
    if member is None:
        raise ApplicationError(
            "not_found", "找不到该成员或无权访问", "no such member in your scope", status=404
        )
    changes = _changes(item)
    taken = _fields_changed_since(Change.objects.filter(entity="member", member=member), item)
    theirs = member_to_document(member)
    return _apply_split(
        item,
        changes,
        taken,
        theirs,
        lambda apply: (
            member_update(member=member, changes=apply, actor=target.user, source="grid_worker").version
        ),
    )


def _household_update(target: Target, household: Household, item: dict[str, Any]) -> dict[str, Any]:
    changes = _changes(item)
    taken = _fields_changed_since(Change.objects.filter(entity="household", household=household), item)
    theirs = household_fields_to_document(household)
    return _apply_split(
        item,
        changes,
        taken,
        theirs,
        lambda apply: (
            household_update(
                household=household, changes=apply, actor=target.user, source="grid_worker"
            ).version
        ),
    )


def _changes(item: dict[str, Any]) -> dict[str, Any]:
    changes = item.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise invalid("changes", changes, "应为非空对象", "must be a non-empty object")
    base = item.get("base_version")
    if not isinstance(base, int) or isinstance(base, bool) or base < 0:
        raise invalid("base_version", base, "应为手机读取时的版本号", "must be the version the phone read")
    return changes


def _fields_changed_since(history: QuerySet[Change], item: dict[str, Any]) -> set[str]:
    fields: set[str] = set()
    for diff in history.filter(version__gt=item["base_version"]).values_list("changes", flat=True):
        fields |= set(diff)
    return fields


def _apply_split(
    item: dict[str, Any], changes: dict[str, Any], taken: set[str], theirs: dict[str, Any], apply: Any
) -> dict[str, Any]:
    """Apply the fields nobody else changed; hand back the others with both values."""
    conflicts = {
        key: {"yours": value, "theirs": theirs.get(key)}
        for key, value in changes.items()
        if FIELDS_OF_KEY.get(key, {key}) & taken and value != theirs.get(key)
    }
    clean = {key: value for key, value in changes.items() if key not in conflicts}
    version = apply(clean) if clean else None
    return {
        "uuid": item["uuid"],
        "status": "conflict" if conflicts else "applied",
        "applied": sorted(clean),
        "conflicts": conflicts,
        "version": version,
    }
