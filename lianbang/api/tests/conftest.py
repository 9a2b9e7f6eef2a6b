from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from lianbang.accounts.models import Assignment, Role, User
from lianbang.accounts.tokens import token_create
from lianbang.conftest import Tree
from lianbang.monitoring.tests.builders import D, green_family
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document


@dataclass
class Caller:
    user: User
    token: str

    def client(self) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")


def caller(username: str, role: str, unit: Any) -> Caller:
    user = User.objects.create_user(username, password="Lianbang@2026", full_name=username)
    assignment = Assignment.objects.create(user=user, unit=unit, role=role)
    return Caller(user, token_create(user=user, assignment=assignment)[1])


@pytest.fixture
def official(tree: Tree) -> Caller:
    return caller("community1", Role.COMMUNITY_OFFICIAL, tree.community)


@pytest.fixture
def household(tree: Tree) -> Household:
    family = green_family()
    family["grid"] = tree.grid.code
    return household_save_document(data=family, today=D).household
