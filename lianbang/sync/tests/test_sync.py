"""Phones download their households and upload queued changes: once each, conflicts returned."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.conftest import Tree
from lianbang.monitoring.labels import household_label_set
from lianbang.monitoring.models import HouseholdLight, Label
from lianbang.monitoring.tests.builders import D, green_family, income
from lianbang.registry.export import (
    event_to_document,
    household_fields_to_document,
    income_to_document,
    member_to_document,
)
from lianbang.registry.models import Change, Event, Household, Member, Visit
from lianbang.registry.services import household_save_document, member_update, visit_record
from lianbang.sync.models import SyncChange
from lianbang.sync.pull import sync_pull
from lianbang.sync.push import sync_push


@pytest.fixture
def worker(tree: Tree) -> User:
    return User.objects.create_user("grid0001", password="Lianbang@2026")


@pytest.fixture
def household(tree: Tree) -> Household:
    return household_save_document(data=green_family(), today=D).household


def push(worker: User, *items: dict[str, Any]) -> list[dict[str, Any]]:
    return sync_push(user=worker, households=Household.objects.all(), items=list(items))


def visit_item(household: Household, key: str | None = None) -> dict[str, Any]:
    return {
        "uuid": key or str(uuid.uuid4()),
        "kind": "visit",
        "household_id": household.pk,
        "data": {"visited_at": (timezone.now() - timedelta(hours=1)).isoformat(), "notes": "一切正常"},
    }


def test_the_first_pull_is_complete_with_members_light_and_versions(household: Household) -> None:
    pulled = sync_pull(households=Household.objects.all(), cursor=None)
    document = pulled.households[0]
    assert pulled.full and (document["id"], document["version"]) == (household.pk, 1)
    assert [m["name"] for m in document["members"]] == [m.name for m in household.members.order_by("pk")]
    assert all(m["version"] == 1 for m in document["members"])
    assert document["light"]["color"] == "green"


def test_a_later_pull_brings_only_what_changed_since_the_cursor(household: Household) -> None:
    cursor = timezone.now() + timedelta(minutes=5)  # as if pulled later than any write so far
    assert sync_pull(households=Household.objects.all(), cursor=cursor).households == []
    Household.objects.filter(pk=household.pk).update(updated_at=cursor + timedelta(seconds=1))
    again = sync_pull(households=Household.objects.all(), cursor=cursor)
    assert [h["id"] for h in again.households] == [household.pk] and not again.full


def test_a_replayed_batch_applies_nothing_twice(worker: User, household: Household) -> None:
    items = [visit_item(household), visit_item(household)]
    first = push(worker, *items)
    second = push(worker, *items)
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert all(r["replayed"] for r in second) and [r["id"] for r in second] == [r["id"] for r in first]
    assert Visit.objects.count() == 2 and SyncChange.objects.count() == 2


def test_a_batch_cut_short_is_safe_to_replay(worker: User, household: Household) -> None:
    items = [visit_item(household) for _ in range(3)]
    push(worker, items[0])  # the crash happened after the first item
    results = push(worker, *items)
    assert [r.get("replayed", False) for r in results] == [True, False, False]
    assert Visit.objects.count() == 3


def test_an_event_from_the_phone_is_recorded_with_its_source(worker: User, household: Household) -> None:
    head = household.members.get(relation="head")
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "event",
        "household_id": household.pk,
        "data": {"type": "失业", "date": "2026-11-20", "id_number": head.id_number},
    }
    assert push(worker, item)[0]["status"] == "applied"
    event = Event.objects.get(type="job_loss")
    assert (event.member, event.source, event.created_by) == (head, "grid_worker", worker)


def test_a_field_someone_else_changed_comes_back_as_a_conflict(worker: User, household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    member_update(member=spouse, changes={"health": "长期慢性病"})  # someone else, after the phone read v1
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "member_update",
        "member_id": spouse.pk,
        "base_version": 1,
        "changes": {"health": "患有大病", "labor_skill": "弱劳动力或半劳动力"},
    }
    result = push(worker, item)[0]
    assert result["status"] == "conflict"
    assert result["conflicts"] == {"health": {"yours": "患有大病", "theirs": "长期慢性病"}}
    assert result["applied"] == ["labor_skill"]
    spouse.refresh_from_db()
    assert (spouse.health, spouse.labor_skill) == ("chronic", "weak")


def test_choosing_after_a_conflict_applies_on_the_new_version(worker: User, household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    member_update(member=spouse, changes={"health": "长期慢性病"})
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "member_update",
        "member_id": spouse.pk,
        "base_version": 2,
        "changes": {"health": "患有大病"},
    }
    assert push(worker, item)[0]["status"] == "applied"
    spouse.refresh_from_db()
    assert spouse.health == "serious"


def test_a_household_field_conflict_leaves_the_other_value_in_place(
    worker: User, household: Household
) -> None:
    from lianbang.registry.services import household_update

    household_update(household=household, changes={"water_safe": False})
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "household_update",
        "household_id": household.pk,
        "base_version": 1,
        "changes": {"water_safe": True, "phone": "13812345678"},
    }
    result = push(worker, item)[0]
    assert result["conflicts"] == {"water_safe": {"yours": True, "theirs": False}}
    household.refresh_from_db()
    assert (household.water_safe, household.phone) == (False, "13812345678")
    assert Change.objects.filter(entity="household", changes__has_key="phone").exists()


def test_bad_items_are_rejected_one_by_one_with_reasons(worker: User, household: Household) -> None:
    results = push(
        worker,
        {"uuid": "not-a-uuid", "kind": "visit"},
        "garbage",
        {"uuid": str(uuid.uuid4()), "kind": "teleport"},
        {"uuid": str(uuid.uuid4()), "kind": "visit", "household_id": 99999, "data": {}},
        {
            "uuid": str(uuid.uuid4()),
            "kind": "event",
            "household_id": household.pk,
            "data": {"type": "外星人", "date": "2026-02-30"},
        },
        visit_item(household),
    )
    assert [r["status"] for r in results] == ["rejected"] * 5 + ["applied"]
    assert set(results[4]["error"]["fields"]) == {"event.type", "event.date"}


def test_a_household_outside_the_scope_is_not_touched(worker: User, household: Household) -> None:
    result = sync_push(user=worker, households=Household.objects.none(), items=[visit_item(household)])
    assert result[0]["status"] == "rejected" and result[0]["error"]["code"] == "not_found"
    assert not Visit.objects.exists() and Member.objects.count() == 3


def _stored_document(household: Household) -> dict[str, Any]:
    """The pull document built from model instances, as the first version of the pull did."""
    household = Household.objects.select_related("building", "grid", "light").get(pk=household.pk)
    light = HouseholdLight.objects.filter(household=household).first()
    return {
        "id": household.pk,
        "version": household.version,
        **household_fields_to_document(household),
        "members": [
            {"id": m.pk, "version": m.version, **member_to_document(m)}
            for m in household.members.order_by("pk")
        ],
        "incomes": [income_to_document(i) for i in household.incomes.order_by("year")],
        "events": [event_to_document(e) for e in household.events.select_related("member").order_by("pk")],
        "light": None
        if light is None
        else {
            "color": light.color,
            "rules": light.rules,
            "income_missing": light.income_missing,
            "since": light.since.isoformat(),
        },
        "labels": sorted(hl.label.code for hl in household.labels.select_related("label")),
        "last_visit_at": _last_visit_at(household),
    }


def _last_visit_at(household: Household) -> str | None:
    latest = household.visits.order_by("-visited_at").values_list("visited_at", flat=True).first()
    return latest.isoformat() if latest is not None else None


def test_the_pull_documents_are_the_stored_households_read_out(tree: Tree, household: Household) -> None:
    """Read set-wise as plain rows, each document is what the registry's export gives for it:
    members, incomes by year, events with and without a member, light, labels, grid, building."""
    red = green_family()
    red.update(household_no="530113-900002", grid=tree.grid.code, water_safe=False)
    red["address"] = {"building": "7", "unit": "1", "floor": 2, "room": "202"}
    red["incomes"] = [income(2026, 9000), income(2025, 60000)]
    red["events"] = [
        {"type": "意外事故", "date": "2026-11-20", "id_number": red["members"][0]["id_number"]},
        {"type": "自然灾害", "date": "2026-08-02", "loss": "1200.50", "house_damaged": True},
    ]
    second = household_save_document(data=red, today=D).household
    label = Label.objects.filter(kind=Label.Kind.MANUAL).first()
    if label is not None:
        household_label_set(household=second, label=label, actor=None)
    HouseholdLight.objects.filter(household=household).delete()  # a household not judged yet
    for days_ago in (9, 2):  # the phone sorts by the latest visit
        visit_record(household=second, visitor=None, visited_at=timezone.now() - timedelta(days=days_ago))
    pulled = sync_pull(households=Household.objects.all(), cursor=None)
    assert pulled.households == [_stored_document(household), _stored_document(second)]
    document = pulled.households[1]
    assert document["grid"] == tree.grid.code and document["light"]["color"] == "red"
    assert len(document["events"]) == 2 and document["events"][1]["id_number"] is None
    assert document["labels"] and pulled.households[0]["light"] is None
    assert pulled.households[0]["last_visit_at"] is None and document["last_visit_at"] is not None


def test_a_rejected_visit_among_visits_leaves_the_others_applied(worker: User, household: Household) -> None:
    future = visit_item(household)
    future["data"]["visited_at"] = (timezone.now() + timedelta(days=1)).isoformat()
    items = [visit_item(household), future, visit_item(household)]
    results = push(worker, *items)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["fields"] == {"visited_at": results[1]["error"]["fields"]["visited_at"]}
    again = push(worker, *items)
    assert all(r["replayed"] for r in again) and [r["status"] for r in again] == [
        "applied",
        "rejected",
        "applied",
    ]
    assert Visit.objects.count() == 2 and SyncChange.objects.count() == 3


def test_the_same_uuid_twice_in_one_batch_is_applied_once(worker: User, household: Household) -> None:
    item = visit_item(household)
    results = push(worker, item, visit_item(household), item)
    assert [r.get("replayed", False) for r in results] == [False, False, True]
    assert results[2]["id"] == results[0]["id"] and Visit.objects.count() == 2


def test_visits_around_an_edit_keep_their_order_and_each_applies(worker: User, household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    edit = {
        "uuid": str(uuid.uuid4()),
        "kind": "member_update",
        "member_id": spouse.pk,
        "base_version": 1,
        "changes": {"labor_skill": "弱劳动力或半劳动力"},
    }
    results = push(worker, visit_item(household), edit, visit_item(household))
    assert [r["status"] for r in results] == ["applied"] * 3 and results[1]["version"] == 2
    assert Visit.objects.count() == 2 and Change.objects.filter(member=spouse, action="update").count() == 1


def test_a_crash_inside_a_run_of_visits_commits_none_of_it_and_the_replay_applies_each_once(
    worker: User, household: Household, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lianbang.sync import push as push_module

    seen: list[int] = []

    def crash_on_the_second(visit: Visit, data: dict[str, Any], user: User) -> None:
        seen.append(visit.pk)
        if len(seen) == 2:
            raise RuntimeError("the server died here")

    items = [visit_item(household) for _ in range(3)]
    monkeypatch.setattr(push_module, "VISIT_HOOKS", [crash_on_the_second])
    with pytest.raises(RuntimeError):
        push(worker, *items)
    assert not Visit.objects.exists() and not SyncChange.objects.exists()
    monkeypatch.setattr(push_module, "VISIT_HOOKS", [])
    assert [r["status"] for r in push(worker, *items)] == ["applied"] * 3
    assert Visit.objects.count() == 3 and SyncChange.objects.count() == 3
