"""The synthetic district (演示数据): pure, deterministic, streamed in chunks of households.

    district = generate_district(DistrictSpec(seed=1, households=300))
    district.structure          # units, buildings, grids, accounts (small)
    for chunk in district.chunks():   # households with members, incomes and events
        ...

The same spec always gives the same rows. Only seeded ``random.Random`` streams are used;
no clock, no global random state, no uuid.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from lianbang.demo import names
from lianbang.demo.calendar import RECENT_START
from lianbang.demo.draws import Weighted, chance, one_of, random_date, seeded
from lianbang.demo.events import household_events
from lianbang.demo.families import HOUSEHOLD_SIZES, MAX_SIZE, build_family
from lianbang.demo.ids import IdNumberAllocator
from lianbang.demo.money import household_incomes
from lianbang.demo.people import assign_benefits, assign_employment, is_labour, make_member
from lianbang.demo.records import (
    BuildingRow,
    EventRow,
    GridRow,
    HouseholdChunk,
    HouseholdRow,
    IncomeRow,
    MemberRow,
    Structure,
)
from lianbang.demo.shape import DEFAULT_HOUSEHOLDS, build_structure, member_target
from lianbang.registry.vocab import (
    LABOUR_SKILLS,
    EventType,
    Health,
    HouseholdCategory,
    MonitoringType,
)

DEFAULT_SEED = 20261129
DISTRICT_CODE = "530113"


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    seed: int = DEFAULT_SEED
    households: int = DEFAULT_HOUSEHOLDS
    region_code: str = DISTRICT_CODE
    chunk_size: int = 2000  # households per chunk; does not change the rows


@dataclass(slots=True)
class District:
    spec: DistrictSpec
    structure: Structure

    def chunks(self) -> Iterator[HouseholdChunk]:
        """Every household in order, ``chunk_size`` at a time; each call starts afresh."""
        factory = _HouseholdFactory(self.spec, self.structure)
        chunk = HouseholdChunk()
        for grid in self.structure.grids:
            factory.grid(grid, chunk)
            if len(chunk.households) >= self.spec.chunk_size:
                yield chunk
                chunk = HouseholdChunk()
        if chunk.households:
            yield chunk


def generate_district(spec: DistrictSpec | None = None) -> District:
    spec = spec or DistrictSpec()
    return District(spec, build_structure(spec.seed, spec.households, spec.region_code))


def fit_sizes(rng: random.Random, count: int, members: int) -> list[int]:
    """Household sizes drawn from the distribution, then nudged to total ``members``."""
    sizes = [HOUSEHOLD_SIZES.pick(rng) for _ in range(count)]
    missing = members - sum(sizes)
    while missing:
        index = rng.randrange(count)
        step = 1 if missing > 0 else -1
        if 1 <= sizes[index] + step <= MAX_SIZE:
            sizes[index] += step
            missing -= step
    return sizes


class _HouseholdFactory:
    def __init__(self, spec: DistrictSpec, structure: Structure) -> None:
        self.spec = spec
        self.rng = seeded(spec.seed, "households")
        self.ids = IdNumberAllocator()
        self.buildings = {building.key: building for building in structure.buildings}
        self.households = self.members = 0
        self.number_width = max(6, len(str(spec.households)))
        self._slots: tuple[int, list[int]] = (0, [])

    def grid(self, grid: GridRow, chunk: HouseholdChunk) -> None:
        building = self.buildings[grid.building_key]
        slots = self._building_slots(building)[grid.first_slot : grid.first_slot + grid.household_count]
        before, after = self.households, self.households + grid.household_count
        sizes = fit_sizes(self.rng, grid.household_count, member_target(after) - member_target(before))
        for slot, size in zip(slots, sizes, strict=True):
            self._household(grid, building, slot, size, chunk)

    def _building_slots(self, building: BuildingRow) -> list[int]:
        """The occupied flats of a building, in address order; the others stay empty."""
        if self._slots[0] != building.key:
            taken = sorted(self.rng.sample(range(building.capacity), building.household_count))
            self._slots = (building.key, taken)
        return self._slots[1]

    def _household(
        self, grid: GridRow, building: BuildingRow, slot: int, size: int, chunk: HouseholdChunk
    ) -> None:
        self.households += 1
        key, rng = self.households, self.rng
        members = self._members(key, size)
        assign_employment(rng, members)
        assign_benefits(rng, members)
        events = household_events(rng, key, members)
        incomes = household_incomes(rng, key, members, events)
        chunk.households.append(self._household_row(key, grid, building, slot, members, incomes, events))
        chunk.members += members
        chunk.incomes += incomes
        chunk.events += events

    def _members(self, household_key: int, size: int) -> list[MemberRow]:
        people = build_family(self.rng, size)
        first = self.members + 1
        self.members += len(people)
        return [
            make_member(self.rng, self.ids, person, first + offset, household_key)
            for offset, person in enumerate(people)
        ]

    def _household_row(
        self,
        key: int,
        grid: GridRow,
        building: BuildingRow,
        slot: int,
        members: list[MemberRow],
        incomes: list[IncomeRow],
        events: list[EventRow],
    ) -> HouseholdRow:
        rng = self.rng
        entrance, floor, room = address_of(building, slot)
        category = (HouseholdCategory.LIFTED_OUT if chance(rng, 0.85) else HouseholdCategory.ORDINARY).value
        return HouseholdRow(
            key=key,
            household_no=f"{self.spec.region_code}-{key:0{self.number_width}d}",
            category=category,
            monitoring_type=monitoring_type(rng, category, members, incomes[-1], events),
            unit_key=grid.unit_key,
            grid_key=grid.key,
            building_key=building.key,
            entrance=str(entrance),
            floor=floor,
            room=room,
            origin_village=one_of(rng, names.VILLAGES),
            move_in_date=random_date(rng, _MOVE_IN_FIRST, _MOVE_IN_LAST),
            military_family=chance(rng, 0.012),
            no_labor_support=_no_labour(members) and any(m.dibao or m.destitute_support for m in members),
            housing_safe=not chance(rng, 0.003),
            water_safe=not chance(rng, 0.003),
            phone=names.phone_number(rng),
        )


# 易地搬迁 moves into the district took place in 2017–2020.
_MOVE_IN_FIRST, _MOVE_IN_LAST = date(2017, 3, 1), date(2020, 6, 30)


def address_of(building: BuildingRow, slot: int) -> tuple[int, int, str]:
    """(单元, 楼层, 房号) of a flat: flat 2 on floor 3 is room "302"."""
    per_entrance = building.floor_count * building.rooms_per_floor
    entrance, rest = divmod(slot, per_entrance)
    floor, flat = divmod(rest, building.rooms_per_floor)
    return entrance + 1, floor + 1, f"{floor + 1}{flat + 1:02d}"


def _no_labour(members: list[MemberRow]) -> bool:
    return not any(m.labor_skill in LABOUR_SKILLS for m in members if m.status == "active")


_MONITORING_TYPES = {
    HouseholdCategory.LIFTED_OUT.value: Weighted(
        [(MonitoringType.UNSTABLE.value, 80.0), (MonitoringType.SUDDEN_HARDSHIP.value, 20.0)]
    ),
    HouseholdCategory.ORDINARY.value: Weighted(
        [(MonitoringType.MARGINAL.value, 80.0), (MonitoringType.SUDDEN_HARDSHIP.value, 20.0)]
    ),
}
_MISFORTUNES = frozenset(
    {
        EventType.SERIOUS_ILLNESS.value,
        EventType.DEATH.value,
        EventType.ACCIDENT.value,
        EventType.DISASTER.value,
    }
)


def monitoring_type(
    rng: random.Random, category: str, members: list[MemberRow], income: IncomeRow, events: list[EventRow]
) -> str:
    """监测对象类别 for ~5 % of households, mostly those at risk."""
    if any(e.type in _MISFORTUNES and e.date >= RECENT_START for e in events) and chance(rng, 0.3):
        return MonitoringType.SUDDEN_HARDSHIP.value
    at_risk = (
        income.net_income < 9570 * income.household_size
        or any(m.health == Health.SERIOUS for m in members)
        or not any(m.work_location for m in members if is_labour(m))
    )
    if chance(rng, 0.16 if at_risk else 0.018):
        return _MONITORING_TYPES[category].pick(rng)
    return MonitoringType.NONE.value
