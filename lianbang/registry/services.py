"""Writes to the registry. Each service is one transaction and leaves a Change row per change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.audit.models import Action
from lianbang.audit.registry import audit_registry_change, audit_registry_changes
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.registry import vocab
from lianbang.registry.document import (
    HouseholdDraft,
    MemberDraft,
    parse_event_document,
    parse_household_document,
    parse_household_fields,
    parse_member_document,
)
from lianbang.registry.export import household_fields_to_document, member_to_document
from lianbang.registry.invariants import MemberFacts, check_household_members
from lianbang.registry.models import Change, Event, Household, Income, Member, Visit
from lianbang.registry.signals import household_changed, household_regridded
from lianbang.sync.scope import scope_exits_for_regrid

CENT = Decimal("0.01")
Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class SaveResult:
    household: Household
    outcome: Outcome
    warnings: list[FieldProblem] = field(default_factory=list)


@dataclass
class _Placement:
    unit: Unit
    grid: MicroGrid | None
    building: Building | None


def household_save_document(
    *, data: Any, actor: User | None = None, today: date | None = None, source: str = "document"
) -> SaveResult:
    """Create or update a whole household from the interchange document (upsert by 户编号,
    members by ID number). Members the document does not list are left as they are.

    ``source`` says where the data came from (``document``, ``import``, ``department:医保`` …):
    it is kept on new events and passed on as the cause of any light change."""
    draft = parse_household_document(data, today=today or timezone.localdate())
    try:
        with transaction.atomic():
            return _save_draft(draft, actor, source)
    except IntegrityError as exc:
        raise ApplicationError(
            "conflict",
            f"户「{draft.household_no}」与已有数据冲突，未保存",
            f"household {draft.household_no!r} conflicts with existing data",
            status=409,
        ) from exc


def _save_draft(draft: HouseholdDraft, actor: User | None, source: str) -> SaveResult:
    existing = Household.objects.select_for_update().filter(household_no=draft.household_no).first()
    with _changes_written_together():
        placement = _resolve_placement(draft, existing)
        household, household_diff = _upsert_household(draft, existing, placement, actor)
        changed = bool(household_diff)
        _check_ids_free(household, draft.members)
        for member_draft in draft.members:
            changed |= _upsert_member(household, member_draft, actor)
        _check_rows(household)
        changed |= _upsert_incomes(household, draft.incomes, actor)
        changed |= _add_events(household, draft.events, actor, source)
        if existing and changed:
            household.version += 1
            household.save(update_fields=["version", "updated_at"])
        _record(household, None, "household", _action(existing), household_diff, actor)
    outcome: Outcome = "created" if existing is None else ("updated" if changed else "unchanged")
    if outcome != "unchanged":
        _changed(household, f"{source}_{outcome}")
    return SaveResult(household, outcome, draft.warnings)


def _action(existing: Household | None) -> str:
    return Change.Action.UPDATE if existing else Change.Action.CREATE


def _resolve_placement(draft: HouseholdDraft, existing: Household | None) -> _Placement:
    return placement_resolve(draft, existing, find_grid=_stored_grid, find_building=_stored_building)


def _stored_grid(code: str) -> MicroGrid | None:
    return MicroGrid.objects.select_related("unit", "building").filter(code=code).first()


def _stored_building(number: str) -> Building | None:
    return (
        Building.objects.select_related("branch")
        .filter(region_code=settings.LIANBANG_REGION_CODE, number=number)
        .first()
    )


def placement_resolve(
    draft: HouseholdDraft,
    existing: Household | None,
    *,
    find_grid: Callable[[str], MicroGrid | None],
    find_building: Callable[[str], Building | None],
) -> _Placement:
    """Where a saved household lives: its grid if the document names one, else its building
    (keeping its grid when it stays in that building), else where it was. The one rule for the
    one-by-one save and the batch save, which differ only in how they look grids and buildings up."""
    if draft.grid_code:
        grid = find_grid(draft.grid_code)
        if grid is None:
            raise invalid(
                "grid",
                draft.grid_code,
                f"微网格「{draft.grid_code}」不存在",
                f"no micro-grid {draft.grid_code!r}",
            )
        return _Placement(grid.unit, grid, grid.building)
    if draft.building_number:
        building = find_building(draft.building_number)
        if building is None:
            raise invalid(
                "address.building",
                draft.building_number,
                f"楼栋「{draft.building_number}」不存在",
                f"no building {draft.building_number!r}",
            )
        keep_grid = existing.grid if existing and existing.building_id == building.pk else None
        return _Placement(keep_grid.unit if keep_grid else building.branch, keep_grid, building)
    if existing is not None:
        return _Placement(existing.unit, existing.grid, existing.building)
    raise invalid(
        "address.building",
        None,
        "新户须指明楼栋（address.building）或微网格（grid）",
        "a new household needs address.building or grid",
    )


def _upsert_household(
    draft: HouseholdDraft, existing: Household | None, placement: _Placement, actor: User | None
) -> tuple[Household, dict[str, list[Any]]]:
    values = {**draft.fields, "unit": placement.unit, "grid": placement.grid, "building": placement.building}
    household = existing or Household(household_no=draft.household_no, region_code=placement.unit.region_code)
    old_grid = existing.grid_id if existing else None
    diff = assign_fields(household, values)
    if existing is None:
        household.save()
    elif diff:
        household.save(update_fields=[*diff, "updated_at"])
    if existing is not None and "grid" in diff:
        household_regridded_record(moves=[(household.pk, old_grid, household.grid_id)], actor=actor)
    return household, diff


def _check_ids_free(household: Household, members: list[MemberDraft]) -> None:
    """An ID number may be active in one household only."""
    ids = [m.id_number for m in members if m.fields["status"] == vocab.MemberStatus.ACTIVE]
    taken = (
        Member.objects.filter(id_number__in=ids, status=vocab.MemberStatus.ACTIVE)
        .exclude(household=household)
        .select_related("household")
    )
    ids_taken_refuse(household, ids, taken)


def ids_taken_refuse(household: Household, ids: list[str], taken: Iterable[Member]) -> None:
    """Refuse the save when any of ``ids`` (the document's active members, in order) is ``taken``
    by an active member of another household: one problem per such member."""
    problems = [
        FieldProblem(
            f"members[{ids.index(m.id_number)}].id_number",
            m.id_number,
            f"成员「{m.name}」的证件号码「{m.id_number}」已在户「{m.household.household_no}」登记为在册成员",
            f"ID number {m.id_number} is already active in household {m.household.household_no}",
        )
        for m in taken
    ]
    if problems:
        raise ApplicationError(
            "duplicate_id",
            f"户「{household.household_no}」有成员已在他户登记，未保存",
            f"household {household.household_no!r} lists a person registered elsewhere; nothing was saved",
            problems,
        )


def _upsert_member(household: Household, draft: MemberDraft, actor: User | None) -> bool:
    member = household.members.filter(id_number=draft.id_number).first()
    created = member is None
    member = member or Member(
        household=household, id_number=draft.id_number, region_code=household.region_code
    )
    diff = assign_fields(member, draft.fields)
    if created:
        member.save()
    elif diff:
        member.version += 1
        member.save(update_fields=[*diff, "version", "updated_at"])
    _record(
        household, member, "member", Change.Action.CREATE if created else Change.Action.UPDATE, diff, actor
    )
    return bool(diff)


def _check_rows(household: Household) -> None:
    """The household's invariants over all its stored members, listed or not."""
    facts = [
        MemberFacts(
            path=f"members[{m.id_number}]",
            id_number=m.id_number,
            name=m.name,
            relation=m.relation,
            sex=m.sex,
            active=m.is_active,
        )
        for m in household.members.all()
    ]
    problems = check_household_members([f for f in facts if f.active])
    if problems:
        raise ApplicationError(
            "invalid_household",
            f"户「{household.household_no}」数据有误，未保存",
            f"household {household.household_no!r} is invalid; nothing was saved",
            problems,
        )


def _upsert_incomes(household: Household, incomes: list[dict[str, Any]], actor: User | None) -> bool:
    changed = False
    stored = {income.year: income for income in household.incomes.all()}
    for values in incomes:
        income = stored.get(values["year"]) or Income(household=household, region_code=household.region_code)
        diff = assign_fields(income, values)
        if diff:
            # Decided before the save gives the new row its primary key.
            action = Change.Action.UPDATE if income.pk else Change.Action.CREATE
            income.save()
            _record(household, None, "income", action, diff, actor)
            changed = True
    return changed


def _add_events(household: Household, events: list[dict[str, Any]], actor: User | None, source: str) -> bool:
    """Events are appended once: the same type, date and member is the same event."""
    members = {m.id_number: m for m in household.members.all()}
    added = False
    for values in events:
        values = dict(values)
        member = members.get(values.pop("id_number"))
        if household.events.filter(type=values["type"], date=values["date"], member=member).exists():
            continue
        event = Event.objects.create(
            household=household,
            member=member,
            created_by=actor,
            source=source,
            region_code=household.region_code,
            **values,
        )
        _record(
            household,
            member,
            "event",
            Change.Action.CREATE,
            {"type": [None, event.type], "date": [None, event.date.isoformat()]},
            actor,
        )
        added = True
    return added


def assign_fields(instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set attributes and return what changed as {field: [old, new]} in JSON-safe form.

    On a new row every given value counts as a change from nothing."""
    creating = instance._state.adding
    diff: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = _current(instance, name, new)
        if creating or old != _plain(new):
            diff[name] = [None if creating else old, _plain(new)]
            setattr(instance, name, new)
    return diff


def _current(instance: Any, name: str, new: Any) -> Any:
    """The stored value in the same form as ``_plain(new)``; foreign keys by primary key."""
    if new is None or hasattr(new, "pk"):
        field_names = {f.name for f in instance._meta.concrete_fields if f.is_relation}
        if name in field_names:
            return getattr(instance, f"{name}_id")
    return _plain(getattr(instance, name))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    if hasattr(value, "pk"):
        return value.pk
    return value


def _record(
    household: Household,
    member: Member | None,
    entity: str,
    action: str,
    diff: dict[str, list[Any]],
    actor: User | None,
    reason: str = "",
) -> None:
    if not diff and action == Change.Action.UPDATE:
        return
    change = Change(
        household=household,
        version=member.version if member is not None and entity == "member" else household.version,
        member=member,
        entity=entity,
        action=action,
        changes=diff,
        actor=actor,
        reason=reason,
        region_code=household.region_code,
    )
    pending = _pending_changes.get()
    if pending is not None:
        pending.append(change)
        return
    change.save(force_insert=True)
    audit_registry_change(change)


# Changes a whole-household save collects, to write in one INSERT with their audit entries.
_pending_changes: ContextVar[list[Change] | None] = ContextVar("registry_pending_changes", default=None)


@contextmanager
def _changes_written_together() -> Iterator[None]:
    """Within the block, ``_record`` collects the Change rows; at its end they are inserted at
    once and their audit entries appended in order under one lock of the chain head (a
    household of five people made 7–10 separate inserts and chain locks)."""
    token = _pending_changes.set([])
    try:
        yield
        changes = _pending_changes.get() or []
    finally:
        _pending_changes.reset(token)
    if changes:
        Change.objects.bulk_create(changes)
        audit_registry_changes(changes)


@transaction.atomic
def member_move(
    *, member: Member, to_household: Household, relation: str, actor: User | None = None, reason: str = ""
) -> Member:
    """Move a member to another household (e.g. marriage); both households keep the history."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.relation == vocab.Relation.HEAD:
        raise invalid(
            "relation",
            member.name,
            f"「{member.name}」是户主，须先变更户主再迁移",
            "the head must be replaced before moving out",
        )
    if to_household.status != vocab.HouseholdStatus.ACTIVE or not member.is_active:
        raise invalid(
            "household",
            to_household.household_no,
            "只能在在册户之间迁移在册成员",
            "only active members move between active households",
        )
    source = member.household
    diff = {
        "household": [source.household_no, to_household.household_no],
        "relation": [member.relation, relation],
    }
    member.household, member.relation = to_household, relation
    member.version += 1
    member.save(update_fields=["household", "relation", "version", "updated_at"])
    _check_rows(to_household)
    for household in (source, to_household):
        _record(household, member, "member", Change.Action.MOVE, diff, actor, reason)
        _bump(household, "member_move")
    return member


@transaction.atomic
def member_record_death(
    *, member: Member, died_on: date, actor: User | None = None, new_head: Member | None = None
) -> Member:
    """Record a death: the member stays on file as deceased, with a death event."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    household = member.household
    survivors = household.members.filter(status=vocab.MemberStatus.ACTIVE).exclude(pk=member.pk)
    valid_heir = new_head is not None and survivors.filter(pk=new_head.pk).exists()
    if member.relation == vocab.Relation.HEAD and survivors.exists() and not valid_heir:
        raise invalid(
            "new_head",
            None,
            "户主去世，须指定本户另一在册成员为新户主",
            "the head died: name another active member of the household as the new head",
        )
    diff: dict[str, list[Any]] = {
        "status": [member.status, vocab.MemberStatus.DECEASED.value],
        "status_date": [None, died_on.isoformat()],
    }
    member.status, member.status_date = vocab.MemberStatus.DECEASED, died_on
    member.version += 1
    member.save(update_fields=["status", "status_date", "version", "updated_at"])
    Event.objects.create(
        household=household,
        member=member,
        type=vocab.EventType.DEATH,
        date=died_on,
        created_by=actor,
        region_code=household.region_code,
    )
    _record(household, member, "member", Change.Action.DEATH, diff, actor)
    if new_head is not None and member.relation == vocab.Relation.HEAD:
        _make_head(new_head, actor)
    _check_rows(household)
    _bump(household, "member_death")
    return member


def _make_head(member: Member, actor: User | None) -> None:
    member.refresh_from_db()
    diff = {"relation": [member.relation, vocab.Relation.HEAD.value]}
    member.relation = vocab.Relation.HEAD
    member.version += 1
    member.save(update_fields=["relation", "version", "updated_at"])
    _record(member.household, member, "member", Change.Action.UPDATE, diff, actor, "户主变更")


@transaction.atomic
def household_move_out(
    *, household: Household, moved_on: date, actor: User | None = None, reason: str = ""
) -> Household:
    """The whole household leaves the district: it and its members stay on file as moved out."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != vocab.HouseholdStatus.ACTIVE:
        raise invalid("status", household.status, "该户已不在册", "the household is not active")
    for member in household.members.filter(status=vocab.MemberStatus.ACTIVE):
        member.status, member.status_date = vocab.MemberStatus.MOVED_OUT, moved_on
        member.version += 1
        member.save(update_fields=["status", "status_date", "version", "updated_at"])
        _record(
            household,
            member,
            "member",
            Change.Action.MOVE_OUT,
            {"status": ["active", "moved_out"]},
            actor,
            reason,
        )
    household.status, household.status_date = vocab.HouseholdStatus.MOVED_OUT, moved_on
    household.save(update_fields=["status", "status_date", "updated_at"])
    _bump(household, "household_move_out")
    _record(
        household,
        None,
        "household",
        Change.Action.MOVE_OUT,
        {"status": ["active", "moved_out"], "status_date": [None, moved_on.isoformat()]},
        actor,
        reason,
    )
    return household


def _bump(household: Household, cause: str) -> None:
    household.version, household.updated_at = _next_version(household.pk)
    _changed(household, cause)


def _next_version(household_id: int) -> tuple[int, datetime]:
    """Move the household's version on by one in the database (one statement, so that two
    writers never hand out the same version) and return it."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_household SET version = version + 1, updated_at = %s WHERE id = %s "
            "RETURNING version",
            (connection.ops.adapt_datetimefield_value(now), household_id),
        )
        row = cursor.fetchone()
    return int(row[0]), now


def _changed(household: Household, cause: str) -> None:
    """Tell listeners (the monitoring engine) in this transaction that the household changed."""
    household_changed.send(sender=Household, household_id=household.pk, cause=cause)


def visit_record(
    *,
    household: Household,
    visitor: User | None,
    visited_at: datetime,
    purpose: str = "",
    all_well: bool = True,
    notes: str = "",
    needs: str = "",
) -> Visit:
    """A visit (走访) to a household in the registry, with its audit entry."""
    if household.status != vocab.HouseholdStatus.ACTIVE:
        raise invalid(
            "household",
            household.household_no,
            "该户已不在册，不能登记走访",
            "the household is no longer active",
        )
    if visited_at > timezone.now():
        raise invalid(
            "visited_at", visited_at.isoformat(), "走访时间不能晚于现在", "a visit cannot be in the future"
        )
    with transaction.atomic():
        visit = Visit.objects.create(
            household=household,
            visitor=visitor,
            visited_at=visited_at,
            purpose=purpose[:50],
            all_well=all_well,
            notes=notes,
            needs=needs,
            region_code=household.region_code,
        )
        audit_record(
            actor=visitor,
            action=Action.CREATE,
            object_type="registry.visit",
            object_id=visit.pk,
            changes={
                "household": household.household_no,
                "visited_at": visited_at.isoformat(),
                "all_well": all_well,
            },
        )
    return visit


@transaction.atomic
def member_update(
    *,
    member: Member,
    changes: dict[str, Any],
    actor: User | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    source: str = "member_update",
) -> Member:
    """Change some of a member's fields (document keys, e.g. ``{"health": "患有大病"}``).

    With ``expected_version``, a member changed by someone else since that version is a
    conflict (409), never a silent overwrite."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    if expected_version is not None and member.version != expected_version:
        raise ApplicationError(
            "conflict",
            f"成员「{member.name}」已被他人修改，请刷新后再改",
            f"member {member.name!r} was changed by someone else; reload first",
            status=409,
        )
    document = {**member_to_document(member), **changes}
    draft = parse_member_document(document, today=today or timezone.localdate())
    if draft.id_number != member.id_number:
        _check_ids_free(member.household, [draft])
    diff = assign_fields(member, {"id_number": draft.id_number, **draft.fields})
    if diff:
        member.version += 1
        member.save(update_fields=[*diff, "version", "updated_at"])
        _record(member.household, member, "member", Change.Action.UPDATE, diff, actor)
        if diff.keys() & HOUSEHOLD_INVARIANT_FIELDS:
            _check_rows(member.household)
        _bump(member.household, source)
    return member


# The member fields the household's invariants (one head, spouses, IDs) are about.
HOUSEHOLD_INVARIANT_FIELDS = {"id_number", "name", "relation", "sex", "status"}


@transaction.atomic
def household_update(
    *,
    household: Household,
    changes: dict[str, Any],
    actor: User | None = None,
    expected_version: int | None = None,
    source: str = "household_update",
) -> Household:
    """Change some of a household's own fields (document keys, e.g. ``{"water_safe": false}``)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if expected_version is not None and household.version != expected_version:
        raise ApplicationError(
            "conflict",
            f"户「{household.household_no}」已被他人修改，请刷新后再改",
            f"household {household.household_no!r} was changed by someone else; reload first",
            status=409,
        )
    unknown = set(changes) - HOUSEHOLD_EDITABLE
    if unknown:
        raise invalid(sorted(unknown)[0], None, "该字段不能在此修改", "this field cannot be changed here")
    fields = parse_household_fields({**household_fields_to_document(household), **changes})
    diff = assign_fields(household, {k: fields[k] for k in _household_columns(changes)})
    if diff:
        household.save(update_fields=[*diff, "updated_at"])
        _bump(household, source)
        _record(household, None, "household", Change.Action.UPDATE, diff, actor)
    return household


HOUSEHOLD_EDITABLE = {
    "category",
    "monitoring_type",
    "housing_safe",
    "water_safe",
    "military_family",
    "no_labor_support",
    "origin_village",
    "move_in_date",
    "phone",
}


def _household_columns(changes: dict[str, Any]) -> list[str]:
    return [key for key in changes if key in HOUSEHOLD_EDITABLE]


@transaction.atomic
def event_record(
    *, household: Household, data: Any, actor: User | None = None, source: str = "event"
) -> Event:
    """Report an event (illness, accident, job loss, birth, death …) for a household."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    members = {m.id_number: m for m in household.members.all()}
    values = parse_event_document(data, member_ids=set(members))
    member = members.get(values.pop("id_number"))
    existing = household.events.filter(type=values["type"], date=values["date"], member=member).first()
    if existing is not None:
        return existing
    event = Event.objects.create(
        household=household,
        member=member,
        created_by=actor,
        source=source,
        region_code=household.region_code,
        **values,
    )
    _bump(household, source)
    _record(
        household,
        member,
        "event",
        Change.Action.CREATE,
        {"type": [None, event.type], "date": [None, event.date.isoformat()]},
        actor,
    )
    return event


@transaction.atomic
def household_grid_move(*, households: list[Household], grid: MicroGrid, actor: User | None = None) -> int:
    """Move households into another micro-grid of their own building (the grid's unit becomes
        theirs). Each moved household gets a new version and ``updated_at``, so that the new grid's
        worker receives it at their next incremental sync pull (and the old grid's worker finds it
    under ``removed``); the light is not re-judged (where a
        household is served changes no fact). Returns how many moved; all or none."""
    rows = list(
        Household.objects.select_for_update().filter(pk__in=[h.pk for h in households]).order_by("pk")
    )
    for household in rows:
        _check_grid_move(household, grid)
    moved = [h for h in rows if h.grid_id != grid.pk]
    household_regridded_record(moves=[(h.pk, h.grid_id, grid.pk) for h in moved], actor=actor)
    for household in moved:
        diff = assign_fields(household, {"grid": grid, "unit": grid.unit})
        household.save(update_fields=[*diff, "updated_at"])
        household.version, household.updated_at = _next_version(household.pk)
        _record(household, None, "household", Change.Action.MOVE, diff, actor, reason="grid_move")
    return len(moved)


def household_regridded_record(
    *, moves: list[tuple[int, int | None, int | None]], actor: User | None
) -> None:
    """What follows a household's move to another grid, on every path that moves one: the old
    grid's worker drops it at their next pull (``sync.scope``) and listeners (cases: the open
    matters follow the new grid worker) hear ``household_regridded``. ``moves``: (household id,
    old grid id, new grid id)."""
    moves = [m for m in moves if m[1] != m[2]]
    if not moves:
        return
    scope_exits_for_regrid(moves=moves)
    household_regridded.send(sender=Household, moves=moves, actor=actor)


def _check_grid_move(household: Household, grid: MicroGrid) -> None:
    if household.building_id != grid.building_id:
        raise invalid(
            "household_ids",
            household.household_no,
            f"户「{household.household_no}」不在该网格所在楼栋，只能在同一楼栋的网格间调整",
            f"household {household.household_no!r} is in another building; grids change within a building",
        )
    if household.status != vocab.HouseholdStatus.ACTIVE:
        raise invalid(
            "household_ids",
            household.household_no,
            f"户「{household.household_no}」已不在册",
            f"household {household.household_no!r} is no longer active",
        )
