"""A small cast for the assistance chain: one official per level above the grid, the grid
worker of grid G-0001, and an official of another street who must see nothing of ours."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from lianbang.accounts.models import Assignment, Role, User
from lianbang.cases.models import Case
from lianbang.cases.services.records import case_add_measure, case_record_visit
from lianbang.cases.services.transitions import case_transition
from lianbang.conftest import Tree
from lianbang.monitoring.tests.builders import D, green_family
from lianbang.org.models import Unit
from lianbang.org.services import unit_create
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document


@dataclass
class Cast:
    tree: Tree
    grid_worker: User
    floor_leader: User
    branch_secretary: User
    area_leader: User
    community: User
    street: User
    district: User
    leader: User
    outsider: User
    other_street: Unit


def _user(username: str, role: str, unit: Unit) -> User:
    user = User.objects.create_user(username=username, password=None, full_name=username)
    Assignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def cast(tree: Tree) -> Cast:
    other_street = unit_create(level=2, name="碧谷街道", parent=tree.district)
    grid_worker = _user("grid", Role.GRID_WORKER, tree.floor_group)
    tree.grid.worker = grid_worker
    tree.grid.save(update_fields=["worker"])
    return Cast(
        tree=tree,
        grid_worker=grid_worker,
        floor_leader=_user("floor", Role.FLOOR_LEADER, tree.floor_group),
        branch_secretary=_user("branch", Role.BRANCH_SECRETARY, tree.branch),
        area_leader=_user("area", Role.AREA_LEADER, tree.area),
        community=_user("community", Role.COMMUNITY_OFFICIAL, tree.community),
        street=_user("street", Role.STREET_OFFICIAL, tree.street),
        district=_user("district", Role.DISTRICT_ADMIN, tree.district),
        leader=_user("leader", Role.LEADER, tree.district),
        outsider=_user("outsider", Role.STREET_OFFICIAL, other_street),
        other_street=other_street,
    )


def family(**fields: Any) -> dict[str, Any]:
    """The green family of the monitoring tests, living in grid G-0001, with ``fields`` changed."""
    document = green_family()
    document["grid"] = "G-0001"
    document.update(fields)
    return document


def save(document: dict[str, Any]) -> Household:
    return household_save_document(data=copy.deepcopy(document), today=D).household


Opener = Callable[[dict[str, Any]], Case]


@pytest.fixture
def open_case(cast: Cast, django_capture_on_commit_callbacks: Any) -> Opener:
    """Save a household whose light the document lights, as a registry write would, and let the
    commit run: the case the alert opened."""

    def opener(document: dict[str, Any]) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            household = save(document)
        return Case.objects.get(household=household, closed_at__isnull=True)

    return opener


def later(case: Case, **delta: float) -> datetime:
    """A moment after the case was opened (the injectable clock of the services)."""
    return case.opened_at + timedelta(**delta)


def act(case: Case, action: str, actor: Any, now: datetime | None = None, **data: Any) -> Case:
    """Take ``action`` based on the case's current version, as a person reading it now would."""
    case.refresh_from_db()
    return case_transition(
        case_id=case.pk, action=action, actor=actor, expected_version=case.version, data=data, now=now
    )


def visit(case: Case, actor: Any, now: datetime | None = None, findings: str = "已入户核实") -> Case:
    case.refresh_from_db()
    return case_record_visit(
        case_id=case.pk, actor=actor, expected_version=case.version, findings=findings, now=now
    )


def measure(case: Case, actor: Any, type: str, now: datetime | None = None) -> None:
    case.refresh_from_db()
    case_add_measure(
        case_id=case.pk,
        actor=actor,
        expected_version=case.version,
        type=type,
        start_date=date(2026, 12, 1),
        amount="1200",
        responsible_name="张干部",
        now=now,
    )


def walk_to_tracking(case: Case, cast: Cast, measures: tuple[str, ...] = ("employment",)) -> Case:
    """Visit, identify through every level (公示 5 days), help and start tracking, day by day."""
    visit(case, cast.grid_worker, later(case, hours=3))
    act(case, "submit", cast.grid_worker, later(case, hours=6))
    act(case, "approve", cast.community, later(case, days=1))
    act(case, "approve", cast.community, later(case, days=6, hours=2))
    act(case, "approve", cast.street, later(case, days=7))
    act(case, "approve", cast.district, later(case, days=8))
    for kind in measures:
        measure(case, cast.community, kind, later(case, days=9))
    act(case, "start_tracking", cast.community, later(case, days=10))
    case.refresh_from_db()
    return case
