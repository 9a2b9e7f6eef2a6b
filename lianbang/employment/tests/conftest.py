"""A family in grid G-0001 and the officials who work with it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from lianbang.accounts.models import Assignment, Role, User
from lianbang.conftest import Tree
from lianbang.monitoring.tests.builders import D, green_family, job, member
from lianbang.registry.models import Household, Member
from lianbang.registry.services import household_save_document


@dataclass
class Family:
    household: Household
    head: Member  # employed since 2024-01-01, 县外省内
    spouse: Member  # not employed
    son: Member  # 18, not employed


@dataclass
class People:
    grid_worker: User
    street: User
    leader: User


def family_document(number: str = "530113-900001", room: str = "201") -> dict[str, Any]:
    document = copy.deepcopy(green_family())
    document["household_no"] = number
    document["address"]["room"] = room
    head, spouse, _daughter = document["members"]
    spouse.pop("employment")
    son = member(date(2008, 3, 1), relation="之子", education="高中", employment=None)
    document["members"] = [head, spouse, son]
    document["incomes"] = [{**i, "household_size": 3} for i in document["incomes"]]
    return document


def save_family(tree: Tree, number: str = "530113-900001", room: str = "201") -> Family:
    document = family_document(number, room) | {"grid": tree.grid.code}
    household = household_save_document(data=document, today=D).household
    members = {m.relation: m for m in household.members.all()}
    return Family(household, members["head"], members["spouse"], members["son"])


@pytest.fixture
def family(tree: Tree) -> Family:
    return save_family(tree)


def _user(username: str, role: str, unit: Any) -> User:
    user = User.objects.create_user(username=username, password=None, full_name=username)
    Assignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(tree: Tree) -> People:
    grid_worker = _user("grid", Role.GRID_WORKER, tree.floor_group)
    tree.grid.worker = grid_worker
    tree.grid.save(update_fields=["worker"])
    return People(
        grid_worker,
        _user("street", Role.STREET_OFFICIAL, tree.street),
        _user("leader", Role.LEADER, tree.district),
    )


__all__ = ["D", "Family", "People", "job", "save_family"]
