"""A small named cast for permission tests: one user per role, households in and out of scope.

Two districts; in the first, two streets. ``home`` lives in grid G-0001 (worker: the grid
worker), ``neighbour`` on the same floor in grid G-0003 (another worker), ``far`` under the
second street, ``elsewhere`` in the second district.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from lianbang.accounts.models import (
    Assignment,
    Department,
    DepartmentMatch,
    HelperPairing,
    Role,
    User,
)
from lianbang.common.validators import id_check_char
from lianbang.conftest import SAMPLE_DOCUMENT, Tree
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import unit_create
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document

PASSWORD = "Lianbang@2026"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    tree: Tree
    street2: Unit
    district2: Unit
    home: Household
    neighbour: Household
    far: Household
    elsewhere: Household
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.users[role]

    def in_unit(self, role: str) -> Unit:
        return self.tree.floor_group

    def out_unit(self, role: str) -> Unit:
        return self.district2 if role in _DISTRICT_WIDE else self.street2

    def out_household(self, role: str) -> Household:
        if role in _DISTRICT_WIDE:
            return self.elsewhere
        if role in (Role.GRID_WORKER, Role.HELPER, Role.DEPARTMENT):
            return self.neighbour
        return self.far


_DISTRICT_WIDE = {Role.DISTRICT_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN}


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def single_member_document(household_no: str, grid: str, room: str, id17: str) -> dict[str, Any]:
    document = copy.deepcopy(SAMPLE_DOCUMENT)
    head = document["members"][0]
    head["id_number"] = valid_id(id17)
    document.update(household_no=household_no, grid=grid, members=[head], events=[])
    document["address"] = {**document["address"], "room": room}
    return document


def _chain(parent: Unit, names: list[str]) -> Unit:
    unit = parent
    for name in names:
        unit = unit_create(level=unit.level + 1, name=name, parent=unit)
    return unit


def _grid(floor_group: Unit, number: str, code: str, region: str = "530113") -> MicroGrid:
    building = Building.objects.filter(number=number, region_code=region).first() or Building.objects.create(
        branch=floor_group.parent,
        number=number,
        name=f"{number}栋",
        floor_count=12,
        rooms_per_floor=4,
        entrance_count=2,
        region_code=region,
    )
    return MicroGrid.objects.create(
        unit=floor_group, building=building, code=code, name=f"{code}网格", region_code=region
    )


def make_user(username: str, role: str | None = None, unit: Unit | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username, password=PASSWORD, full_name=username, **extra)
    if role and unit:
        department = Department.CIVIL_AFFAIRS if role == Role.DEPARTMENT else ""
        Assignment.objects.create(user=user, unit=unit, role=role, department=department)
    return user


def build_cast(tree: Tree) -> Cast:
    street2 = unit_create(level=2, name="第二街道", parent=tree.district)
    floor2 = _chain(street2, ["第二社区", "第二片区", "8栋党支部", "8栋党小组"])
    district2 = unit_create(level=1, name="另一区", code="530114")
    floor3 = _chain(district2, ["另一街道", "另一社区", "另一片区", "9栋党支部", "9栋党小组"])
    _grid(floor2, "8", "G-0002")
    _grid(tree.floor_group, "7", "G-0003")
    _grid(floor3, "9", "G-0009", region="530114")
    home_doc = copy.deepcopy(SAMPLE_DOCUMENT) | {"grid": "G-0001"}
    cast = Cast(
        tree=tree,
        street2=street2,
        district2=district2,
        home=household_save_document(data=home_doc).household,
        neighbour=_household("530113-000002", "G-0003", "303", "53011319700101001"),
        far=_household("530113-000003", "G-0002", "101", "53011319700101002"),
        elsewhere=_household("530114-000001", "G-0009", "101", "53011419700101003"),
    )
    _cast_users(cast)
    return cast


def _household(number: str, grid: str, room: str, id17: str) -> Household:
    return household_save_document(data=single_member_document(number, grid, room, id17)).household


def _cast_users(cast: Cast) -> None:
    tree = cast.tree
    units = {
        Role.DISTRICT_ADMIN: tree.district,
        Role.STREET_OFFICIAL: tree.street,
        Role.COMMUNITY_OFFICIAL: tree.community,
        Role.AREA_LEADER: tree.area,
        Role.BRANCH_SECRETARY: tree.branch,
        Role.FLOOR_LEADER: tree.floor_group,
        Role.GRID_WORKER: tree.floor_group,
        Role.DEPARTMENT: tree.district,
        Role.HELPER: tree.community,
        Role.LEADER: tree.district,
        Role.SYSTEM_ADMIN: tree.district,
    }
    for role, unit in units.items():
        staff = role == Role.SYSTEM_ADMIN
        cast.users[role] = make_user(role.replace("_", ""), role, unit, is_staff=staff)
    MicroGrid.objects.filter(code="G-0001").update(worker=cast.users[Role.GRID_WORKER])
    MicroGrid.objects.filter(code="G-0003").update(
        worker=make_user("othergrid", Role.GRID_WORKER, tree.floor_group)
    )
    HelperPairing.objects.create(helper=cast.users[Role.HELPER], household=cast.home)
    DepartmentMatch.objects.create(
        department=Department.CIVIL_AFFAIRS, household=cast.home, source="低保名单"
    )


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def cast(tree: Tree, fast_passwords: None) -> Cast:
    return build_cast(tree)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
