"""Micro-grids of a building: create, rename, assign a worker, move households; the worker then
sees exactly the grid's households, and they come down on the worker's next incremental pull."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lianbang.accounts.models import Assignment, Role
from lianbang.accounts.scope import households_for
from lianbang.accounts.tests.cast import Cast, logged_in, make_user
from lianbang.accounts.tests.cast import cast as cast  # the fixture, re-exported
from lianbang.accounts.tests.cast import fast_passwords as fast_passwords
from lianbang.audit.models import AuditEntry
from lianbang.org.models import MicroGrid
from lianbang.registry.models import Change, Household
from lianbang.sync.models import ScopeExit


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def _new_grid(client: Client, cast: Cast, code: str = "G-0100") -> MicroGrid:
    response = _post(
        client,
        "/admin/grids",
        {
            "building_id": cast.home.building_id,
            "unit_id": cast.tree.floor_group.pk,
            "code": code,
            "name": "新网格",
        },
    )
    assert response.status_code == 201, response.content
    return MicroGrid.objects.get(code=code)


def _pull(client: Client, cursor: str) -> Any:
    response = client.get("/api/v1/sync/pull", {"cursor": cursor})
    assert response.status_code == 200
    # The pull streams its pages (sync.pull); read the whole body.
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_a_building_lists_its_grids_with_workers_and_household_counts(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    body = client.get(f"/api/v1/admin/buildings/{cast.home.building_id}/grids").json()

    grids = {g["code"]: g for g in body["grids"]}
    assert grids["G-0001"]["worker"]["username"] == "gridworker" and grids["G-0001"]["households"] == 1
    assert grids["G-0003"]["households"] == 1
    assert {h["household_no"] for h in body["households"]} == {"530113-000001", "530113-000002"}
    assert "gridworker" in {w["username"] for w in body["workers"]}
    assert body["floor_groups"] == [{"id": cast.tree.floor_group.pk, "name": cast.tree.floor_group.name}]


def test_a_building_outside_the_administrators_units_is_not_found(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    response = client.get(f"/api/v1/admin/buildings/{cast.elsewhere.building_id}/grids")

    assert response.status_code == 404


def test_a_grid_is_created_renamed_and_refused_a_taken_code(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grid = _new_grid(client, cast)

    taken = _post(
        client,
        "/admin/grids",
        {
            "building_id": cast.home.building_id,
            "unit_id": cast.tree.floor_group.pk,
            "code": "g-0001",
            "name": "x",
        },
    )
    wrong_unit = _post(
        client,
        "/admin/grids",
        {"building_id": cast.home.building_id, "unit_id": cast.tree.area.pk, "code": "G-0101", "name": "x"},
    )
    renamed = _post(client, "/admin/grids/rename", {"grid_id": grid.pk, "name": "7栋第9网格"})

    assert taken.status_code == 400 and "code" in taken.json()["fields"]
    assert wrong_unit.status_code == 400 and "unit_id" in wrong_unit.json()["fields"]
    assert renamed.status_code == 200
    assert MicroGrid.objects.get(pk=grid.pk).name == "7栋第9网格"
    assert not MicroGrid.objects.filter(code="G-0101").exists()
    actions = list(AuditEntry.objects.filter(object_type="org.microgrid").values_list("action", flat=True))
    assert actions == ["grid_create", "grid_rename"]


def test_the_assigned_worker_sees_exactly_the_households_moved_into_the_grid(cast: Cast) -> None:
    worker = make_user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grid = _new_grid(client, cast)

    assigned = _post(client, "/admin/grids/worker", {"grid_id": grid.pk, "username": "xinwangge"})
    moved = _post(
        client, "/admin/grids/move", {"grid_id": grid.pk, "household_ids": [cast.home.pk, cast.neighbour.pk]}
    )

    assert assigned.status_code == 200 and moved.status_code == 200, moved.content
    counts = {g["code"]: g["households"] for g in moved.json()["grids"]}
    assert counts == {"G-0001": 0, "G-0003": 0, "G-0100": 2}
    assert set(households_for(worker).values_list("pk", flat=True)) == {cast.home.pk, cast.neighbour.pk}
    assert not households_for(cast.user(Role.GRID_WORKER)).exists()
    home = Household.objects.get(pk=cast.home.pk)
    assert home.version == cast.home.version + 1 and home.unit_id == grid.unit_id
    assert Change.objects.filter(household=home, action="move").count() == 1
    assert AuditEntry.objects.filter(action="grid_worker").count() == 1


def test_households_moved_into_a_workers_grid_come_down_on_the_next_incremental_pull(cast: Cast) -> None:
    worker = make_user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grid = _new_grid(admin, cast)
    assert (
        _post(admin, "/admin/grids/worker", {"grid_id": grid.pk, "username": "xinwangge"}).status_code == 200
    )
    # The phone's previous pull was an hour ago; nothing has changed since a day ago.
    Household.objects.update(updated_at=timezone.now() - timedelta(days=1))
    cursor = (timezone.now() - timedelta(hours=1)).isoformat()
    phone = logged_in(worker)
    assert _pull(phone, cursor)["households"] == []

    _post(admin, "/admin/grids/move", {"grid_id": grid.pk, "household_ids": [cast.home.pk]})

    pulled = _pull(phone, cursor)
    assert [h["id"] for h in pulled["households"]] == [cast.home.pk]
    assert pulled["households"][0]["grid"] == "G-0100"


def test_a_worker_assigned_to_a_grid_gets_its_households_on_the_next_incremental_pull(cast: Cast) -> None:
    worker = make_user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)
    Household.objects.update(updated_at=timezone.now() - timedelta(days=1))
    cursor = (timezone.now() - timedelta(hours=1)).isoformat()
    phone = logged_in(worker)
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    g3 = MicroGrid.objects.get(code="G-0003")

    assert _post(admin, "/admin/grids/worker", {"grid_id": g3.pk, "username": "xinwangge"}).status_code == 200

    assert [h["id"] for h in _pull(phone, cursor)["households"]] == [cast.neighbour.pk]


def test_a_worker_must_hold_the_grid_worker_role_and_households_stay_in_their_building(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grid = _new_grid(client, cast)

    not_worker = _post(
        client, "/admin/grids/worker", {"grid_id": grid.pk, "username": cast.user(Role.AREA_LEADER).username}
    )
    other_building = _post(
        client, "/admin/grids/move", {"grid_id": grid.pk, "household_ids": [cast.home.pk, cast.far.pk]}
    )
    out_of_scope = _post(
        client, "/admin/grids/move", {"grid_id": grid.pk, "household_ids": [cast.elsewhere.pk]}
    )

    assert not_worker.status_code == 400 and "username" in not_worker.json()["fields"]
    assert other_building.status_code == 400 and "household_ids" in other_building.json()["fields"]
    assert out_of_scope.status_code == 400 and "household_ids" in out_of_scope.json()["fields"]
    assert MicroGrid.objects.get(pk=grid.pk).worker is None
    assert Household.objects.get(pk=cast.home.pk).grid.code == "G-0001"  # all or none


def test_the_old_workers_next_pull_drops_households_that_left_their_grid(cast: Cast) -> None:
    old_worker = cast.user(Role.GRID_WORKER)  # works G-0001, where the home lives
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grid = _new_grid(admin, cast)
    cursor = (timezone.now() - timedelta(hours=1)).isoformat()
    phone = logged_in(old_worker)
    assert _pull(phone, cursor)["removed"] == []

    _post(admin, "/admin/grids/move", {"grid_id": grid.pk, "household_ids": [cast.home.pk]})

    pulled = _pull(phone, cursor)
    assert pulled["removed"] == [cast.home.pk] and pulled["households"] == []
    # A later cursor no longer repeats it.
    assert _pull(phone, pulled["cursor"])["removed"] == [cast.home.pk]  # within the overlap window
    assert _pull(phone, (timezone.now() + timedelta(minutes=5)).isoformat())["removed"] == []


def test_a_worker_whose_grid_is_given_to_someone_else_drops_its_households(cast: Cast) -> None:
    old_worker = cast.user(Role.GRID_WORKER)
    make_user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    cursor = (timezone.now() - timedelta(hours=1)).isoformat()
    g1 = MicroGrid.objects.get(code="G-0001")

    _post(admin, "/admin/grids/worker", {"grid_id": g1.pk, "username": "xinwangge"})

    assert _pull(logged_in(old_worker), cursor)["removed"] == [cast.home.pk]
    assert not households_for(old_worker).exists()


def test_a_code_taken_by_a_concurrent_creation_is_already_taken_not_a_500(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lianbang.org import services

    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    _new_grid(client, cast, code="G-0100")
    # The other request created G-0100 after this one checked the code (the race window).
    monkeypatch.setattr(services, "_grid_code_problems", lambda code: [])

    response = _post(
        client,
        "/admin/grids",
        {
            "building_id": cast.home.building_id,
            "unit_id": cast.tree.floor_group.pk,
            "code": "G-0100",
            "name": "又一个",
        },
    )

    assert response.status_code == 400, response.content
    assert response.json()["fields"]["code"]["message_en"] == "this grid code is already taken"
    assert MicroGrid.objects.filter(code="G-0100").count() == 1
    assert AuditEntry.objects.filter(action="grid_create").count() == 1


def test_a_revoked_or_deactivated_grid_worker_drops_their_grids_households(cast: Cast) -> None:
    revoked = cast.user(Role.GRID_WORKER)  # works G-0001, where the home lives
    deactivated = MicroGrid.objects.get(code="G-0003").worker  # the neighbour's worker
    assert deactivated is not None
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    grant = Assignment.objects.get(user=revoked, role=Role.GRID_WORKER)

    gone = _post(admin, "/admin/grants/revoke", {"grant_id": grant.pk})
    off = _post(admin, "/admin/users/active", {"username": deactivated.username, "active": False})

    assert gone.status_code == 200 and off.status_code == 200, off.content
    exits = set(ScopeExit.objects.values_list("user_id", "household_id"))
    assert (revoked.pk, cast.home.pk) in exits and (deactivated.pk, cast.neighbour.pk) in exits
    assert (revoked.pk, cast.neighbour.pk) not in exits
