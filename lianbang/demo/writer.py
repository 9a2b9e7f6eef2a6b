"""Writes a generated district into the database, fast.

Primary keys are assigned here (current max id + the row's key), so that members, incomes
and events can point at their household without a round trip, and a whole chunk goes in with
one multi-row INSERT per table (``bulk_create``) or, on PostgreSQL, one ``COPY`` per table.
Call inside a transaction; PostgreSQL sequences are moved past the new ids at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import Any, Generic, Literal, TypeVar

from django.core.management.color import no_style
from django.db import connection, models, reset_queries
from django.utils import timezone

from lianbang.accounts.models import Assignment, User
from lianbang.demo.records import (
    BuildingRow,
    EventRow,
    GridRow,
    HouseholdChunk,
    HouseholdRow,
    IncomeRow,
    MemberRow,
    Structure,
    UnitRow,
    UserRow,
)
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import child_path
from lianbang.registry.models import Event, Household, Income, Member

#: auto = COPY on PostgreSQL, else bulk_create; naive = one Model.save() per row (benchmark only)
Method = Literal["auto", "bulk", "copy", "naive"]
R = TypeVar("R")
Values = tuple[Any, ...]


@dataclass(slots=True)
class WriteStats:
    """Rows written and seconds spent per table (for the report and the benchmark)."""

    rows: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, label: str, rows: int, seconds: float) -> None:
        self.rows[label] += rows
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds


@dataclass(slots=True)
class _Context:
    """What turning a row into column values needs beyond the row itself."""

    region_code: str
    now: datetime
    password_hash: str
    base: dict[type[models.Model], int]
    unit_paths: dict[int, str] = field(default_factory=dict)
    next_income: int = 0
    next_event: int = 0

    def pk(self, model: type[models.Model], key: int) -> int:
        return self.base[model] + key


@dataclass(frozen=True, slots=True)
class _Table(Generic[R]):
    model: type[models.Model]
    columns: tuple[str, ...]
    values: Callable[[R, _Context], Values]

    @property
    def label(self) -> str:
        return self.model._meta.label


class DistrictWriter:
    """Inserts the structure once, then household chunks as they come."""

    def __init__(
        self, *, region_code: str, password_hash: str, method: Method = "auto", batch_size: int = 5000
    ) -> None:
        use_copy = connection.vendor == "postgresql" if method == "auto" else method == "copy"
        if use_copy and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL")
        self.use_copy, self.naive, self.batch_size = use_copy, method == "naive", batch_size
        self.stats = WriteStats()
        base = {model: _max_id(model) for model in _MODELS}
        self.context = _Context(
            region_code, timezone.now(), password_hash, base, next_income=base[Income], next_event=base[Event]
        )
        self._defaults = {table.label: _other_columns(table, self.context.now) for table in _TABLES}

    @property
    def method(self) -> str:
        return "copy" if self.use_copy else ("naive" if self.naive else "bulk")

    def write_structure(self, structure: Structure) -> None:
        for unit in structure.units:
            parent = self.context.unit_paths.get(unit.parent_key or 0, "")
            self.context.unit_paths[unit.key] = child_path(parent, self.context.pk(Unit, unit.key))
        self._insert(_UNITS, structure.units, copy=False)
        self._insert(_BUILDINGS, structure.buildings, copy=False)
        self._insert(_USERS, structure.users, copy=False)
        self._insert(_ASSIGNMENTS, structure.users, copy=False)
        self._insert(_GRIDS, structure.grids, copy=False)

    def write_chunk(self, chunk: HouseholdChunk) -> None:
        self._insert(_HOUSEHOLDS, chunk.households)
        self._insert(_MEMBERS, chunk.members)
        self._insert(_INCOMES, chunk.incomes)
        self._insert(_EVENTS, chunk.events)
        reset_queries()  # with DEBUG on, Django would keep every INSERT's SQL in memory

    def finish(self) -> None:
        """Moves PostgreSQL's id sequences past the ids given here (SQLite does it itself)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(_MODELS)):
                cursor.execute(sql)

    def _insert(self, table: _Table[R], rows: Sequence[R], *, copy: bool = True) -> None:
        if not rows:
            return
        started = perf_counter()
        values = [table.values(row, self.context) for row in rows]
        if copy and self.use_copy:
            names, defaults = self._defaults[table.label]
            _copy(table.model, table.columns + names, [row + defaults for row in values])
        else:
            model = table.model
            objects = [model(**dict(zip(table.columns, row, strict=True))) for row in values]
            if self.naive:
                for instance in objects:
                    instance.save(force_insert=True)
            else:
                model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.stats.add(table.label, len(rows), perf_counter() - started)


_MODELS: tuple[type[models.Model], ...] = (
    Unit,
    Building,
    User,
    Assignment,
    MicroGrid,
    Household,
    Member,
    Income,
    Event,
)


def _max_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0)


def _copy(model: type[models.Model], columns: tuple[str, ...], rows: list[Values]) -> None:
    """PostgreSQL COPY … FROM STDIN: one statement per table and chunk."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[name]) for name in columns)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _other_columns(table: _Table[Any], now: datetime) -> tuple[tuple[str, ...], Values]:
    """Columns of the model the demo does not set, with the value Django would give them.

    Other apps add fields to these models; a field with a default (or nullable, or a
    timestamp) needs nothing from the demo, a required one without a default stops it here.
    """
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    unknown = sorted(set(table.columns) - set(fields))
    if unknown:
        raise RuntimeError(f"the demo writer is out of date for {table.label}: no columns {unknown}")
    others = [f for name, f in fields.items() if name not in table.columns]
    return tuple(f.attname for f in others), tuple(_default(table, f, now) for f in others)


def _default(table: _Table[Any], field: Any, now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()  # "" for text fields without a default, as Django does
    if value is not None or field.null:
        return value
    raise RuntimeError(
        f"the demo writer is out of date for {table.label}: {field.attname} is required and has no default"
    )


def _unit(row: UnitRow, c: _Context) -> Values:
    parent = c.pk(Unit, row.parent_key) if row.parent_key else None
    return (
        c.pk(Unit, row.key),
        row.level,
        row.name,
        row.code,
        row.party_org_name,
        parent,
        c.unit_paths[row.key],
        c.region_code,
    )


def _building(row: BuildingRow, c: _Context) -> Values:
    return (
        c.pk(Building, row.key),
        c.pk(Unit, row.branch_key),
        row.number,
        row.name,
        row.entrance_count,
        row.floor_count,
        row.rooms_per_floor,
        c.region_code,
    )


def _user(row: UserRow, c: _Context) -> Values:
    return (
        c.pk(User, row.key),
        c.password_hash,
        None,
        False,
        row.username,
        "",
        "",
        "",
        False,
        True,
        c.now,
        row.full_name,
        row.phone,
    )


def _assignment(row: UserRow, c: _Context) -> Values:
    return (c.pk(Assignment, row.key), c.pk(User, row.key), c.pk(Unit, row.unit_key), row.role)


def _grid(row: GridRow, c: _Context) -> Values:
    return (
        c.pk(MicroGrid, row.key),
        c.pk(Unit, row.unit_key),
        c.pk(Building, row.building_key),
        row.code,
        row.name,
        c.pk(User, row.worker_key),
        c.region_code,
    )


def _household(row: HouseholdRow, c: _Context) -> Values:
    return (
        c.pk(Household, row.key),
        row.household_no,
        row.category,
        row.monitoring_type,
        c.pk(Unit, row.unit_key),
        c.pk(MicroGrid, row.grid_key),
        c.pk(Building, row.building_key),
        row.entrance,
        row.floor,
        row.room,
        row.origin_village,
        row.move_in_date,
        row.military_family,
        row.no_labor_support,
        row.housing_safe,
        row.water_safe,
        row.phone,
        "active",
        None,
        c.region_code,
        1,
        c.now,
        c.now,
    )


def _member(row: MemberRow, c: _Context) -> Values:
    return (
        c.pk(Member, row.key),
        c.pk(Household, row.household_key),
        row.id_number,
        row.name,
        row.sex,
        row.birth_date,
        row.ethnicity,
        row.relation,
        row.political_status,
        row.education,
        row.schooling,
        row.health,
        row.disability_type,
        row.disability_grade,
        row.labor_skill,
        row.work_location,
        row.employer,
        row.employed_since,
        row.monthly_wage,
        row.employment_channel,
        row.medical_insurance,
        row.serious_illness_insurance,
        row.pension_insurance,
        row.dibao,
        row.destitute_support,
        row.medical_aid,
        row.disability_subsidy,
        row.public_welfare_job,
        row.unattended_child,
        row.status,
        row.status_date,
        c.region_code,
        1,
        c.now,
        c.now,
    )


def _income(row: IncomeRow, c: _Context) -> Values:
    c.next_income += 1
    return (
        c.next_income,
        c.pk(Household, row.household_key),
        row.year,
        row.wage,
        row.business,
        row.property_income,
        row.transfer,
        row.business_expense,
        row.medical_self_paid,
        row.education_expense,
        row.insurance_claims,
        row.household_size,
        c.region_code,
        c.now,
    )


def _event(row: EventRow, c: _Context) -> Values:
    c.next_event += 1
    member = c.pk(Member, row.member_key) if row.member_key else None
    return (
        c.next_event,
        c.pk(Household, row.household_key),
        member,
        row.type,
        row.date,
        row.severity,
        row.loss,
        row.house_damaged,
        row.note,
        c.region_code,
        None,
        c.now,
    )


def _table(model: type[models.Model], columns: str, values: Callable[[R, _Context], Values]) -> _Table[R]:
    return _Table(model, tuple(columns.split()), values)


_UNITS: _Table[UnitRow] = _table(Unit, "id level name code party_org_name parent_id path region_code", _unit)
_BUILDINGS: _Table[BuildingRow] = _table(
    Building, "id branch_id number name entrance_count floor_count rooms_per_floor region_code", _building
)
_USERS: _Table[UserRow] = _table(
    User,
    "id password last_login is_superuser username first_name last_name email is_staff "
    "is_active date_joined full_name phone",
    _user,
)
_ASSIGNMENTS: _Table[UserRow] = _table(Assignment, "id user_id unit_id role", _assignment)
_GRIDS: _Table[GridRow] = _table(MicroGrid, "id unit_id building_id code name worker_id region_code", _grid)
_HOUSEHOLDS: _Table[HouseholdRow] = _table(
    Household,
    "id household_no category monitoring_type unit_id grid_id building_id entrance "
    "floor room origin_village move_in_date military_family no_labor_support housing_safe "
    "water_safe phone status status_date region_code version created_at updated_at",
    _household,
)
_MEMBERS: _Table[MemberRow] = _table(
    Member,
    "id household_id id_number name sex birth_date ethnicity relation political_status "
    "education schooling health disability_type disability_grade labor_skill work_location "
    "employer employed_since monthly_wage employment_channel medical_insurance "
    "serious_illness_insurance pension_insurance dibao destitute_support medical_aid "
    "disability_subsidy public_welfare_job unattended_child status status_date region_code "
    "version created_at updated_at",
    _member,
)
_INCOMES: _Table[IncomeRow] = _table(
    Income,
    "id household_id year wage business property_income transfer business_expense "
    "medical_self_paid education_expense insurance_claims household_size region_code "
    "updated_at",
    _income,
)
_EVENTS: _Table[EventRow] = _table(
    Event,
    "id household_id member_id type date severity loss house_damaged note region_code "
    "created_by_id created_at",
    _event,
)
_TABLES: tuple[_Table[Any], ...] = (
    _UNITS,
    _BUILDINGS,
    _USERS,
    _ASSIGNMENTS,
    _GRIDS,
    _HOUSEHOLDS,
    _MEMBERS,
    _INCOMES,
    _EVENTS,
)
