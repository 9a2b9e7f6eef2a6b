"""The district's shape: the six-level hierarchy, buildings, micro-grids and their accounts.

The default size reproduces the seed district of DOMAIN §1 exactly; another household count
scales every level in proportion (at least one of each).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from lianbang.demo import names
from lianbang.demo.draws import Weighted, integer, seeded, spread, spread_by_weight
from lianbang.demo.records import BuildingRow, GridRow, Structure, UnitRow, UserRow

DEFAULT_HOUSEHOLDS = 4915
DEFAULT_MEMBERS = 18401
DISTRICT_NAME = "东川区"
DISTRICT_PARTY = "东川区搬迁安置区党委"


@dataclass(frozen=True, slots=True)
class LevelCounts:
    streets: int
    communities: int
    areas: int
    branches: int
    buildings: int
    floor_groups: int
    grids: int


SEED_COUNTS = LevelCounts(
    streets=2, communities=3, areas=11, branches=29, buildings=48, floor_groups=64, grids=376
)


def level_counts(households: int) -> LevelCounts:
    """Counts per level for ``households``: the seed district scaled, each parent ≥ 1 child."""
    if households < 1:
        raise ValueError("a district needs at least one household")
    factor = Fraction(households, DEFAULT_HOUSEHOLDS)

    def scaled(base: int, floor: int) -> int:
        return max(floor, round(base * factor))

    streets = scaled(SEED_COUNTS.streets, 1)
    communities = scaled(SEED_COUNTS.communities, streets)
    areas = scaled(SEED_COUNTS.areas, communities)
    branches = scaled(SEED_COUNTS.branches, areas)
    buildings = scaled(SEED_COUNTS.buildings, branches)
    floor_groups = scaled(SEED_COUNTS.floor_groups, branches)
    grids = min(households, scaled(SEED_COUNTS.grids, max(buildings, floor_groups)))
    return LevelCounts(streets, communities, areas, branches, buildings, floor_groups, grids)


def member_target(households_so_far: int) -> int:
    """Members of the first ``households_so_far`` households: N × 18,401 / 4,915, rounded."""
    return (2 * households_so_far * DEFAULT_MEMBERS + DEFAULT_HOUSEHOLDS) // (2 * DEFAULT_HOUSEHOLDS)


def build_structure(seed: int, households: int, region_code: str) -> Structure:
    rng = seeded(seed, "shape")
    builder = _TreeBuilder(rng, region_code, level_counts(households))
    builder.build(households)
    users = _Accounts(seeded(seed, "accounts"), builder).build()
    return Structure(builder.units, builder.buildings, builder.grids, users)


_FLOORS = Weighted([(6, 20.0), (7, 8.0), (9, 10.0), (11, 25.0), (15, 12.0), (18, 25.0)])
_ROOMS_PER_FLOOR = Weighted([(2, 45.0), (3, 15.0), (4, 40.0)])
_MAX_ENTRANCES = 6


def building_dimensions(rng: random.Random, households: int) -> tuple[int, int, int]:
    """(entrances 单元, floors, rooms per floor) with room for all and a few empty flats."""
    floors, rooms = _FLOORS.pick(rng), _ROOMS_PER_FLOOR.pick(rng)
    wanted = households + max(1, households * integer(rng, 2, 10) // 100)
    if wanted > _MAX_ENTRANCES * floors * rooms:
        floors, rooms = 18, 4
    return max(1, ceil(wanted / (floors * rooms))), floors, rooms


def grid_sizes(rng: random.Random, households: int, grids: int) -> list[int]:
    """Households per grid: near-equal, then shuffled a little so that grids differ."""
    sizes = spread(households, grids)
    rng.shuffle(sizes)
    mean = households // grids
    low, high = max(1, mean - 5), mean + 6
    for _ in range(2 * grids):
        give, take = rng.randrange(grids), rng.randrange(grids)
        if sizes[give] > low and sizes[take] < high:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


class _TreeBuilder:
    """Builds units level by level (a parent's key is always smaller than its children's)."""

    def __init__(self, rng: random.Random, region_code: str, counts: LevelCounts) -> None:
        self.rng, self.region_code, self.counts = rng, region_code, counts
        self.units: list[UnitRow] = []
        self.buildings: list[BuildingRow] = []
        self.grids: list[GridRow] = []
        self._community_of: dict[int, str] = {}

    def unit(
        self, level: int, name: str, parent: UnitRow | None, *, code: str = "", party: str = ""
    ) -> UnitRow:
        row = UnitRow(len(self.units) + 1, level, name, code, party, parent.key if parent else None)
        self.units.append(row)
        if parent is not None and parent.key in self._community_of:
            self._community_of[row.key] = self._community_of[parent.key]
        return row

    def by_level(self, level: int) -> list[UnitRow]:
        return [unit for unit in self.units if unit.level == level]

    def build(self, households: int) -> None:
        district = self.unit(1, DISTRICT_NAME, None, code=self.region_code, party=DISTRICT_PARTY)
        self._streets(district)
        self._communities()
        self._areas()
        self._buildings_and_groups(self._branches(), households)

    def _streets(self, district: UnitRow) -> None:
        for index in range(self.counts.streets):
            name = names.street_name(index)
            self.unit(
                2, name, district, code=f"{self.region_code}{index + 1:03d}000", party=f"{name}搬迁安置区党委"
            )

    def _communities(self) -> None:
        streets = self.by_level(2)
        index = 0
        for street, count in zip(streets, spread(self.counts.communities, len(streets)), strict=True):
            for number in range(1, count + 1):
                name = names.place_name(index, "社区")
                row = self.unit(3, name, street, code=f"{street.code[:9]}{number:03d}", party=f"{name}党委")
                self._community_of[row.key] = name
                index += 1

    def _areas(self) -> None:
        communities = self.by_level(3)
        for community, count in zip(
            communities, self._shuffled(self.counts.areas, len(communities)), strict=True
        ):
            for number in range(1, count + 1):
                name = f"{names.chinese_number(number)}片区"
                self.unit(4, name, community, party=f"{community.name}{name}党总支")

    def _branches(self) -> list[list[str]]:
        """Creates the branch units; returns the numbers of each branch's buildings (楼栋号)."""
        areas = self.by_level(4)
        per_area = self._shuffled(self.counts.branches, len(areas))
        building_counts = iter(self._shuffled(self.counts.buildings, self.counts.branches))
        numbers: list[list[str]] = []
        last = 0
        for area, count in zip(areas, per_area, strict=True):
            for _ in range(count):
                own = [str(last + i + 1) for i in range(next(building_counts))]
                last += len(own)
                numbers.append(own)
                name = f"{'、'.join(own)}栋"
                self.unit(5, name, area, party=f"{self._community_of[area.key]}{name}楼栋党支部")
        return numbers

    def _buildings_and_groups(self, building_numbers: list[list[str]], households: int) -> None:
        groups = spread_by_weight(self.counts.floor_groups, [len(own) for own in building_numbers])
        grids_per_group = iter(self._shuffled(self.counts.grids, sum(groups)))
        sizes = iter(grid_sizes(self.rng, households, self.counts.grids))
        for branch, own, group_count in zip(self.by_level(5), building_numbers, groups, strict=True):
            group_grids = [next(grids_per_group) for _ in range(group_count)]
            self._branch(branch, own, group_grids, [next(sizes) for _ in range(sum(group_grids))])

    def _branch(self, branch: UnitRow, numbers: list[str], group_grids: list[int], sizes: list[int]) -> None:
        """One branch: its buildings and floor groups, and their grids in address order."""
        per_building = spread(len(sizes), min(len(numbers), len(sizes)))
        placed = self._place_buildings(branch, numbers, per_building, sizes)
        for group, (building, first_slot, number), size in zip(
            self._floor_groups(branch, group_grids), placed, sizes, strict=True
        ):
            key = len(self.grids) + 1
            code, name = (
                f"{self.region_code}-WG{key:05d}",
                f"{building.name}第{names.chinese_number(number)}网格",
            )
            # the worker is appointed with the accounts, after the hierarchy is complete
            self.grids.append(GridRow(key, group.key, building.key, code, name, 0, size, first_slot))

    def _floor_groups(self, branch: UnitRow, group_grids: list[int]) -> list[UnitRow]:
        """The branch's floor party groups (党小组), one entry per grid they cover."""
        per_grid: list[UnitRow] = []
        for number, count in enumerate(group_grids, start=1):
            name = f"第{names.chinese_number(number)}党小组"
            party = f"{self._community_of[branch.key]}{branch.name}{name}"
            per_grid += [self.unit(6, name, branch, party=party)] * count
        return per_grid

    def _place_buildings(
        self, branch: UnitRow, numbers: list[str], per_building: list[int], sizes: list[int]
    ) -> list[tuple[BuildingRow, int, int]]:
        """Creates the buildings; returns (building, first slot, grid number) per grid."""
        placed: list[tuple[BuildingRow, int, int]] = []
        community = self._community_of[branch.key]
        for number, grid_count in zip(numbers, per_building, strict=False):
            own = sizes[len(placed) : len(placed) + grid_count]
            entrances, floors, rooms = building_dimensions(self.rng, sum(own))
            key = len(self.buildings) + 1
            building = BuildingRow(
                key, branch.key, number, f"{community}{number}栋", entrances, floors, rooms, sum(own)
            )
            self.buildings.append(building)
            first = 0
            for grid_number, size in enumerate(own, start=1):
                placed.append((building, first, grid_number))
                first += size
        return placed

    def _shuffled(self, total: int, parts: int) -> list[int]:
        """``total`` spread evenly over ``parts``, the larger shares in random places."""
        counts = spread(total, parts)
        self.rng.shuffle(counts)
        return counts


class _Accounts:
    """One account per unit of levels 1–5 and one grid worker (微网格员) per grid."""

    _ROLES = {
        1: ("district_admin", "district"),
        2: ("street_official", "street"),
        3: ("community_official", "community"),
        4: ("area_leader", "area"),
        5: ("branch_secretary", "branch"),
    }

    def __init__(self, rng: random.Random, tree: _TreeBuilder) -> None:
        self.rng, self.tree = rng, tree
        self.users: list[UserRow] = []

    def build(self) -> list[UserRow]:
        for level, (role, prefix) in self._ROLES.items():
            units = self.tree.by_level(level)
            for number, unit in enumerate(units, start=1):
                username = prefix if level == 1 else f"{prefix}{number}"
                self._add(username, role, unit.key, female_share=0.35)
        for grid in self.tree.grids:
            grid.worker_key = self._add(
                f"grid{grid.key:04d}", "grid_worker", grid.unit_key, female_share=0.7
            ).key
        return self.users

    def _add(self, username: str, role: str, unit_key: int, *, female_share: float) -> UserRow:
        sex = "F" if self.rng.random() < female_share else "M"
        name = names.person_name(self.rng, names.SURNAMES.pick(self.rng), sex, integer(self.rng, 1968, 2000))
        row = UserRow(len(self.users) + 1, username, name, names.phone_number(self.rng), role, unit_key)
        self.users.append(row)
        return row
