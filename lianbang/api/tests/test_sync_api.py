"""The phone's sync protocol over HTTP: scoped, masked, idempotent, limited."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from lianbang.accounts.masking import mask_household_document
from lianbang.api.tests.conftest import Caller, caller
from lianbang.conftest import Tree
from lianbang.monitoring.models import HouseholdLight
from lianbang.monitoring.tests.builders import D, green_family
from lianbang.registry.models import Household, Visit
from lianbang.registry.services import household_move_out, household_save_document, member_update
from lianbang.sync import pull as pull_module
from lianbang.sync.tests.test_sync import _stored_document


def worker_of(tree: Tree) -> Caller:
    worker = caller("grid0001", "grid_worker", tree.floor_group)
    tree.grid.worker = worker.user
    tree.grid.save()
    return worker


def push(worker: Caller, items: list[Any]) -> Any:
    return worker.client().post(
        "/api/v1/sync/push", json.dumps({"items": items}), content_type="application/json"
    )


def visit(household: Household) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "visit",
        "household_id": household.pk,
        "data": {"visited_at": "2026-11-28T09:30:00+08:00", "notes": "一切正常"},
    }


def test_a_grid_worker_pulls_their_households_masked(tree: Tree, household: Household) -> None:
    pulled = json.loads(worker_of(tree).client().get("/api/v1/sync/pull").getvalue())
    assert pulled["full"] and [h["household_no"] for h in pulled["households"]] == ["530113-900001"]
    head = pulled["households"][0]["members"][0]
    assert "*" in head["id_number"] and head["version"] == 1


def another(tree: Tree, number: int) -> Household:
    family = green_family()
    family.update(household_no=f"530113-90000{number}", grid=tree.grid.code)
    family["address"] = {"building": "7", "unit": "1", "floor": 2, "room": f"20{number}"}
    return household_save_document(data=family, today=D).household


def test_the_streamed_pull_is_the_stored_households_read_out_and_masked(
    tree: Tree, household: Household, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five households in chunks of two: the body comes in pieces and, put together, holds each
    household's document as the registry stores it, masked as before streaming."""
    monkeypatch.setattr(pull_module, "CHUNK", 2)
    households = [household, *(another(tree, number) for number in (2, 3, 4, 5))]
    response = worker_of(tree).client().get("/api/v1/sync/pull")
    assert response.streaming and response["Content-Type"].startswith("application/json")
    pieces = list(response.streaming_content)
    assert len(pieces) == 2 + 3 + 1  # cursor and full, three chunks, removed
    pulled = json.loads(b"".join(pieces))
    today = timezone.localdate()
    assert pulled["households"] == [
        mask_household_document(_stored_document(h), today=today) for h in households
    ]
    assert pulled["full"] is True and pulled["removed"] == [] and pulled["cursor"]
    assert "*" in pulled["households"][4]["members"][0]["id_number"]


def test_a_pull_with_the_cursor_brings_what_changed_and_what_left(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    untouched, leaving = another(tree, 2), another(tree, 3)
    earlier = timezone.now() - timedelta(hours=1)  # written well before the first pull
    Household.objects.update(updated_at=earlier)
    HouseholdLight.objects.update(since=earlier)
    cursor = json.loads(worker.client().get("/api/v1/sync/pull").getvalue())["cursor"]
    spouse = household.members.get(relation="spouse")
    member_update(member=spouse, changes={"labor_skill": "弱劳动力或半劳动力"})
    household_move_out(household=leaving, moved_on=D)
    again = json.loads(worker.client().get("/api/v1/sync/pull", {"cursor": cursor}).getvalue())
    assert not again["full"] and [h["id"] for h in again["households"]] == [household.pk]
    changed = next(m for m in again["households"][0]["members"] if m["id"] == spouse.pk)
    assert (changed["version"], changed["labor_skill"]) == (2, "弱劳动力或半劳动力")
    assert again["removed"] == [leaving.pk] and untouched.pk not in again["removed"]


def test_a_grid_worker_without_the_household_in_their_grid_pulls_nothing(
    tree: Tree, household: Household
) -> None:
    stranger = caller("grid0002", "grid_worker", tree.floor_group)
    assert json.loads(stranger.client().get("/api/v1/sync/pull").getvalue())["households"] == []


def test_pushing_the_same_batch_twice_stores_each_visit_once(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    items = [visit(household), visit(household)]
    first = json.loads(push(worker, items).content)["results"]
    second = json.loads(push(worker, items).content)["results"]
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert all(r["replayed"] for r in second)
    assert Visit.objects.count() == 2


def test_a_conflict_comes_back_with_the_other_value_masked(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    spouse = household.members.get(relation="spouse")
    url = f"/api/v1/households/{household.pk}/members/{spouse.pk}"
    worker.client().patch(
        url, json.dumps({"changes": {"health": "长期慢性病"}}), content_type="application/json"
    )
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "member_update",
        "member_id": spouse.pk,
        "base_version": 1,
        "changes": {"health": "患有大病"},
    }
    result = json.loads(push(worker, [item]).content)["results"][0]
    assert result["status"] == "conflict"
    assert result["conflicts"]["health"] == {"yours": "患有大病", "theirs": "***"}


@override_settings(LIANBANG_SYNC_BATCH_MAX=3)
def test_a_batch_over_the_limit_is_413_and_applies_nothing(tree: Tree, household: Household) -> None:
    response = push(worker_of(tree), [visit(household) for _ in range(4)])
    assert response.status_code == 413 and json.loads(response.content)["code"] == "batch_too_large"
    assert not Visit.objects.exists()


def test_an_official_without_edit_rights_cannot_push(tree: Tree, household: Household) -> None:
    leader = caller("leader1", "leader", tree.district)
    assert push(leader, [visit(household)]).status_code == 403
