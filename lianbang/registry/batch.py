"""Saving many households at once, set-based: what ``household_save_document`` does for one
household, for a batch of a few hundred in one transaction.

Every document is validated and compared with what is stored in Python, exactly as the
one-by-one service does (same checks, same messages, same ``{field: [old, new]}``), against
state read for the whole batch in a handful of queries. Then the batch is written with bulk
INSERTs (COPY on PostgreSQL) and UPDATEs — households, members, incomes, events, the ``Change`` rows — and the
audit entries are appended as one hash-chained run under one lock of the chain head.

A refused household is left out of the writes (the others are saved). The households of a
batch commit together or not at all: a process killed mid-batch loses the batch in flight,
whole. Should the database refuse the batch (a constraint the checks here do not foresee, a
deadlock), it is saved again household by household through ``household_save_document``, so
the outcome is exactly the one-by-one path's.

The households are *not* re-judged here: the caller judges the touched ones set-based.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.audit.registry import audit_registry_changes
from lianbang.common.bulk_insert import insert_all
from lianbang.common.errors import ApplicationError
from lianbang.org.models import Building, MicroGrid
from lianbang.registry import vocab
from lianbang.registry.document import HouseholdDraft, parse_household_document
from lianbang.registry.invariants import MemberFacts, check_household_members
from lianbang.registry.models import Change, Event, Household, Income, Member
from lianbang.registry.services import (
    Outcome,
    SaveResult,
    _Placement,
    assign_fields,
    household_regridded_record,
    household_save_document,
    ids_taken_refuse,
    placement_resolve,
)

Result = SaveResult | ApplicationError


def households_save_documents(
    *, documents: list[Any], actor: User | None = None, today: date | None = None, source: str = "document"
) -> list[Result]:
    """Save the documents (upsert by 户编号, members by ID number) in one transaction; for each
    the :class:`SaveResult`, or the :class:`ApplicationError` that refused it."""
    day = today or timezone.localdate()
    drafts: list[HouseholdDraft | ApplicationError] = [_parse(d, day) for d in documents]
    try:
        with transaction.atomic():
            return _save_batch(drafts, actor, source)
    except DatabaseError:
        return [_save_one(document, actor, day, source) for document in documents]


def _parse(document: Any, today: date) -> HouseholdDraft | ApplicationError:
    try:
        return parse_household_document(document, today=today)
    except ApplicationError as error:
        return error


def _save_one(document: Any, actor: User | None, today: date, source: str) -> Result:
    try:
        return household_save_document(data=document, actor=actor, today=today, source=source)
    except ApplicationError as error:
        return error
    except DatabaseError as error:  # e.g. a deadlock with a concurrent writer: nothing was saved
        return ApplicationError("database_busy", "数据库繁忙，该户未保存，请重试", str(error), status=503)


@dataclass
class _Stored:
    """What the batch's households have in the database, read in a few queries."""

    households: dict[str, Household]
    members: dict[int, list[Member]]
    incomes: dict[int, dict[int, Income]]
    events: set[tuple[int, str, date, int | None]]
    grids: dict[str, MicroGrid]
    buildings: dict[str, Building]
    # ID number → the active member holding it (updated as the batch's households are planned).
    active: dict[str, Member]


@dataclass
class _Plan:
    """One household's writes, worked out before anything is written."""

    household: Household
    existing: bool
    changed: bool
    household_diff: dict[str, list[Any]]
    new_members: list[Member] = field(default_factory=list)
    changed_members: list[tuple[Member, list[str]]] = field(default_factory=list)
    incomes: list[tuple[Income, bool, list[str]]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # (member or None, entity, action, diff, version), in the order the one-by-one path records.
    changes: list[tuple[Member | None, str, str, dict[str, list[Any]], int]] = field(default_factory=list)
    stored_grid_id: int | None = None  # the grid it was in before this save


def _save_batch(
    drafts: list[HouseholdDraft | ApplicationError], actor: User | None, source: str
) -> list[Result]:
    valid = [d for d in drafts if isinstance(d, HouseholdDraft)]
    stored = _load(valid)
    results: list[Result] = []
    plans: list[_Plan] = []
    for draft in drafts:
        if isinstance(draft, ApplicationError):
            results.append(draft)
            continue
        try:
            plan = _plan(draft, stored, actor, source)
        except ApplicationError as error:
            results.append(error)
            continue
        plans.append(plan)
        results.append(SaveResult(plan.household, _outcome(plan), draft.warnings))
    _write(plans, actor)
    return results


def _outcome(plan: _Plan) -> Outcome:
    if not plan.existing:
        return "created"
    return "updated" if plan.changed else "unchanged"


def _load(drafts: list[HouseholdDraft]) -> _Stored:
    numbers = [d.household_no for d in drafts]
    households = {
        h.household_no: h
        for h in Household.objects.select_for_update(of=("self",))
        .select_related("unit", "grid", "building")
        .filter(household_no__in=numbers)
    }
    pks = [h.pk for h in households.values()]
    members: dict[int, list[Member]] = defaultdict(list)
    for member in Member.objects.filter(household_id__in=pks).order_by("pk"):
        members[member.household_id].append(member)
    incomes: dict[int, dict[int, Income]] = defaultdict(dict)
    for income in Income.objects.filter(household_id__in=pks):
        incomes[income.household_id][income.year] = income
    events: set[tuple[int, str, date, int | None]] = set(
        Event.objects.filter(household_id__in=pks).values_list("household_id", "type", "date", "member_id")
    )
    return _Stored(
        households=households,
        members=members,
        incomes=incomes,
        events=events,
        grids=_grids(drafts),
        buildings=_buildings(drafts),
        active=_active_holders(drafts),
    )


def _grids(drafts: list[HouseholdDraft]) -> dict[str, MicroGrid]:
    codes = {d.grid_code for d in drafts if d.grid_code}
    return {g.code: g for g in MicroGrid.objects.select_related("unit", "building").filter(code__in=codes)}


def _buildings(drafts: list[HouseholdDraft]) -> dict[str, Building]:
    numbers = {d.building_number for d in drafts if d.building_number and not d.grid_code}
    found = Building.objects.select_related("branch").filter(
        region_code=settings.LIANBANG_REGION_CODE, number__in=numbers
    )
    return {b.number: b for b in found.order_by("-pk")}  # the first one wins, as ``.first()`` by pk


def _active_holders(drafts: list[HouseholdDraft]) -> dict[str, Member]:
    ids = {m.id_number for d in drafts for m in d.members}
    active = Member.objects.filter(id_number__in=ids, status=vocab.MemberStatus.ACTIVE).select_related(
        "household"
    )
    return {m.id_number: m for m in active}


def _plan(draft: HouseholdDraft, stored: _Stored, actor: User | None, source: str) -> _Plan:
    existing = stored.households.get(draft.household_no)
    placement = _placement(draft, existing, stored)
    household = existing or Household(household_no=draft.household_no, region_code=placement.unit.region_code)
    values = {**draft.fields, "unit": placement.unit, "grid": placement.grid, "building": placement.building}
    # Worked on copies: a refused household must leave the loaded state as it was.
    household = _copy(household) if existing else household
    household_diff = assign_fields(household, values)
    plan = _Plan(household, existing is not None, bool(household_diff), household_diff)
    plan.stored_grid_id = existing.grid_id if existing else None
    _check_ids_free(household, draft, stored)
    members = _plan_members(plan, draft, stored.members.get(household.pk, []) if existing else [])
    _check_rows(household, members)
    _plan_incomes(plan, draft, stored.incomes.get(household.pk, {}) if existing else {})
    _plan_events(plan, draft, members, stored, actor, source)
    if existing and plan.changed:
        household.version += 1
    action = Change.Action.UPDATE if existing else Change.Action.CREATE
    if household_diff or not existing:
        plan.changes.append((None, "household", action, household_diff, household.version))
    _commit_to_stored(plan, members, stored)
    return plan


def _copy(instance: Any) -> Any:
    """A detached copy of a loaded row (without running ``Model.__init__``)."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__dict__)
    clone._state = type(instance._state)()
    clone._state.adding, clone._state.db = False, instance._state.db
    clone._state.fields_cache = dict(instance._state.fields_cache)
    return clone


def _placement(draft: HouseholdDraft, existing: Household | None, stored: _Stored) -> _Placement:
    return placement_resolve(draft, existing, find_grid=stored.grids.get, find_building=stored.buildings.get)


def _check_ids_free(household: Household, draft: HouseholdDraft, stored: _Stored) -> None:
    """An ID number may be active in one household only (as ``services._check_ids_free``)."""
    ids = [m.id_number for m in draft.members if m.fields["status"] == vocab.MemberStatus.ACTIVE]
    taken = [
        stored.active[i]
        for i in dict.fromkeys(ids)
        if i in stored.active and (household.pk is None or stored.active[i].household_id != household.pk)
    ]
    ids_taken_refuse(household, ids, taken)


def _plan_members(plan: _Plan, draft: HouseholdDraft, stored: list[Member]) -> list[Member]:
    """The household's members after the save (stored ones first, by primary key)."""
    by_id = {m.id_number: _copy(m) for m in stored}
    for member_draft in draft.members:
        member = by_id.get(member_draft.id_number)
        created = member is None
        if member is None:
            member = Member(id_number=member_draft.id_number, region_code=plan.household.region_code)
            by_id[member.id_number] = member
        diff = assign_fields(member, member_draft.fields)
        if created:
            plan.new_members.append(member)
        elif diff:
            member.version += 1
            plan.changed_members.append((member, list(diff)))
        if created or diff:
            action = Change.Action.CREATE if created else Change.Action.UPDATE
            plan.changes.append((member, "member", action, diff, member.version))
        plan.changed |= bool(diff)
    return list(by_id.values())


def _check_rows(household: Household, members: list[Member]) -> None:
    facts = [
        MemberFacts(
            path=f"members[{m.id_number}]",
            id_number=m.id_number,
            name=m.name,
            relation=m.relation,
            sex=m.sex,
            active=m.is_active,
        )
        for m in members
    ]
    problems = check_household_members([f for f in facts if f.active])
    if problems:
        raise ApplicationError(
            "invalid_household",
            f"户「{household.household_no}」数据有误，未保存",
            f"household {household.household_no!r} is invalid; nothing was saved",
            problems,
        )


def _plan_incomes(plan: _Plan, draft: HouseholdDraft, stored: dict[int, Income]) -> None:
    for values in draft.incomes:
        known = stored.get(values["year"])
        income = _copy(known) if known else Income(region_code=plan.household.region_code)
        diff = assign_fields(income, values)
        if diff:
            action = Change.Action.UPDATE if known else Change.Action.CREATE
            plan.incomes.append((income, known is None, list(diff)))
            plan.changes.append((None, "income", action, diff, plan.household.version))
            plan.changed = True


def _plan_events(
    plan: _Plan,
    draft: HouseholdDraft,
    members: list[Member],
    stored: _Stored,
    actor: User | None,
    source: str,
) -> None:
    """Events are appended once: the same type, date and member is the same event."""
    by_id = {m.id_number: m for m in members}
    seen = {key[1:] for key in stored.events if key[0] == plan.household.pk} if plan.existing else set()
    planned: list[tuple[str, date, Member | None]] = []
    for raw in draft.events:
        values = dict(raw)
        member = by_id.get(values.pop("id_number"))
        if (values["type"], values["date"], member.pk if member else None) in seen and (
            member is None or member.pk is not None
        ):
            continue
        if (values["type"], values["date"], member) in planned:
            continue
        planned.append((values["type"], values["date"], member))
        event = Event(
            member=member, created_by=actor, source=source, region_code=plan.household.region_code, **values
        )
        plan.events.append(event)
        diff = {"type": [None, event.type], "date": [None, _iso(event.date)]}
        plan.changes.append((member, "event", Change.Action.CREATE, diff, plan.household.version))
        plan.changed = True


def _iso(value: date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _commit_to_stored(plan: _Plan, members: list[Member], stored: _Stored) -> None:
    """Later households of the batch see this one as saved (who holds which ID number)."""
    for member in members:
        holder = stored.active.get(member.id_number)
        if member.is_active:
            member.household = plan.household
            stored.active[member.id_number] = member
        elif holder is not None and holder.household_id == plan.household.pk and plan.household.pk:
            del stored.active[member.id_number]


def _write(plans: list[_Plan], actor: User | None) -> None:
    now = timezone.now()
    insert_all([p.household for p in plans if not p.existing])
    _update_households([p for p in plans if p.existing], now)
    for plan in plans:
        for member in plan.new_members:
            member.household = plan.household
        for income, _, _ in plan.incomes:
            income.household = plan.household
        for event in plan.events:
            event.household = plan.household
    insert_all([m for p in plans for m in p.new_members])
    _update_rows(Member, [(m, [*f, "version"]) for p in plans for m, f in p.changed_members], now)
    insert_all([i for p in plans for i, new, _ in p.incomes if new])
    _update_rows(Income, [(i, f) for p in plans for i, new, f in p.incomes if not new], now)
    insert_all([e for p in plans for e in p.events])
    changes = [_change(p.household, *spec, actor) for p in plans for spec in p.changes]
    insert_all(changes)
    audit_registry_changes(changes)
    moves = [(p.household.pk, p.stored_grid_id, p.household.grid_id) for p in plans if p.existing]
    household_regridded_record(moves=moves, actor=actor)  # as the one-by-one save does


def _update_households(plans: list[_Plan], now: datetime) -> None:
    rows = [(p.household, [*p.household_diff, "version"]) for p in plans if p.changed]
    _update_rows(Household, rows, now)


def _update_rows(model: Any, rows: list[tuple[Any, list[str]]], now: datetime) -> None:
    """``bulk_update`` grouped by the set of fields changed (``updated_at`` set, as auto_now would)."""
    groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for instance, changed in rows:
        instance.updated_at = now
        groups[tuple(sorted({*changed, "updated_at"}))].append(instance)
    for fields, instances in groups.items():
        model.objects.bulk_update(instances, list(fields))


def _change(
    household: Household,
    member: Member | None,
    entity: str,
    action: str,
    diff: dict[str, list[Any]],
    version: int,
    actor: User | None,
) -> Change:
    return Change(
        household=household,
        version=version,
        member=member,
        entity=entity,
        action=action,
        changes=diff,
        actor=actor,
        reason="",
        region_code=household.region_code,
    )
