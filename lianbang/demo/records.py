"""Plain rows produced by the generator; the writer turns them into database rows.

Every row carries a ``key``: its 1-based ordinal within one generation run. The writer adds
an offset per table to obtain primary keys, so references between rows are keys too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class UnitRow:
    """One unit of the six-level hierarchy (六级组织)."""

    key: int
    level: int
    name: str
    code: str
    party_org_name: str
    parent_key: int | None


@dataclass(slots=True)
class BuildingRow:
    """A building (楼栋) under a building party branch; capacity ≥ households placed in it."""

    key: int
    branch_key: int
    number: str
    name: str
    entrance_count: int
    floor_count: int
    rooms_per_floor: int
    household_count: int

    @property
    def capacity(self) -> int:
        return self.entrance_count * self.floor_count * self.rooms_per_floor


@dataclass(slots=True)
class GridRow:
    """A micro-grid (微网格) in one building, under a floor party group (党小组)."""

    key: int
    unit_key: int
    building_key: int
    code: str
    name: str
    worker_key: int
    household_count: int
    first_slot: int  # index of its first household in the building's address list


@dataclass(slots=True)
class UserRow:
    """A demo account with one assignment (任职)."""

    key: int
    username: str
    full_name: str
    phone: str
    role: str
    unit_key: int


@dataclass(slots=True)
class HouseholdRow:
    key: int
    household_no: str
    category: str
    monitoring_type: str
    unit_key: int
    grid_key: int
    building_key: int
    entrance: str
    floor: int
    room: str
    origin_village: str
    move_in_date: date
    military_family: bool
    no_labor_support: bool
    housing_safe: bool
    water_safe: bool
    phone: str


@dataclass(slots=True)
class MemberRow:
    key: int
    household_key: int
    id_number: str
    name: str
    sex: str
    birth_date: date
    ethnicity: str
    relation: str
    political_status: str = "masses"
    education: str = ""
    schooling: str = ""
    health: str = "healthy"
    disability_type: str = ""
    disability_grade: int | None = None
    labor_skill: str = "none"
    work_location: str = ""
    employer: str = ""
    employed_since: date | None = None
    monthly_wage: Decimal | None = None
    employment_channel: str = ""
    medical_insurance: str = "resident"
    serious_illness_insurance: bool = True
    pension_insurance: bool = False
    dibao: bool = False
    destitute_support: bool = False
    medical_aid: bool = False
    disability_subsidy: bool = False
    public_welfare_job: bool = False
    unattended_child: bool = False
    status: str = "active"
    status_date: date | None = None


@dataclass(slots=True)
class IncomeRow:
    """A household's income for one year (收入); amounts in yuan, two decimal places."""

    household_key: int
    year: int
    wage: Decimal
    business: Decimal
    property_income: Decimal
    transfer: Decimal
    business_expense: Decimal
    medical_self_paid: Decimal
    education_expense: Decimal
    insurance_claims: Decimal
    household_size: int

    @property
    def net_income(self) -> Decimal:
        """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出."""
        return self.wage + self.business + self.property_income + self.transfer - self.business_expense


@dataclass(slots=True)
class EventRow:
    household_key: int
    member_key: int | None
    type: str
    date: date
    severity: str = ""
    loss: Decimal | None = None
    house_damaged: bool = False
    note: str = ""


@dataclass(slots=True)
class Structure:
    """The hierarchy, buildings, grids and accounts: small enough to hold in memory."""

    units: list[UnitRow]
    buildings: list[BuildingRow]
    grids: list[GridRow]
    users: list[UserRow]


@dataclass(slots=True)
class HouseholdChunk:
    """Consecutive households with everything that belongs to them."""

    households: list[HouseholdRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    incomes: list[IncomeRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
