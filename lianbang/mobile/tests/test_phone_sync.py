"""The phone app's additions to sync: a visit's place, answers and photo; events named by member
id; self-declared applications; the tasks list and a household's visit photos."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from django.test import Client, override_settings

from lianbang.api.tests.conftest import Caller, caller
from lianbang.api.tests.test_sync_api import push, visit, worker_of
from lianbang.audit.models import AuditEntry
from lianbang.cases.models import Alert
from lianbang.conftest import Tree
from lianbang.mobile.models import VisitDetail, VisitPhoto
from lianbang.registry.models import Event, Household, Visit

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000 + b"\xff\xd9"


def results(worker: Caller, items: list[Any]) -> list[dict[str, Any]]:
    response = push(worker, items)
    assert response.status_code == 200, response.content
    return json.loads(response.content)["results"]


def photo_item(visit_uuid: str, data: bytes = JPEG, content_type: str = "image/jpeg") -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "visit_photo",
        "visit_uuid": visit_uuid,
        "data": {"content_type": content_type, "base64": base64.b64encode(data).decode()},
    }


def test_a_visit_keeps_its_place_answers_and_photo_once(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    item = visit(household)
    item["data"].update(
        answers={"employment": "lost", "income": "down"}, place="7栋1单元201", latitude=26.1, longitude=103.2
    )
    photo = photo_item(item["uuid"])
    first = results(worker, [item, photo])
    again = results(worker, [item, photo])
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert all(r["replayed"] for r in again)
    saved = Visit.objects.get()
    assert saved.notes.startswith("有人失业；收入减少") and "一切正常" in saved.notes
    assert VisitDetail.objects.get().place == "7栋1单元201"
    stored = VisitPhoto.objects.get()
    assert bytes(stored.data) == JPEG and stored.size == len(JPEG)
    assert AuditEntry.objects.filter(action="visit.photo", object_id=str(saved.pk)).count() == 1


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (b"GIF89a" + b"\x00" * 100, "image/jpeg", "invalid"),
        (JPEG, "application/pdf", "invalid"),
        (b"\xff\xd8\xff" + b"\x00" * 3000, "image/jpeg", "photo_too_large"),
    ],
)
def test_a_photo_of_the_wrong_type_or_too_large_is_rejected(
    tree: Tree, household: Household, data: bytes, content_type: str, code: str
) -> None:
    worker = worker_of(tree)
    item = visit(household)
    with override_settings(LIANBANG_VISIT_PHOTO_MAX_BYTES=2048):
        first = results(worker, [item, photo_item(item["uuid"], data, content_type)])
    assert first[0]["status"] == "applied" and first[1]["status"] == "rejected"
    assert first[1]["error"]["code"] == code
    assert not VisitPhoto.objects.exists()


def test_a_photo_of_a_visit_never_uploaded_is_rejected(tree: Tree, household: Household) -> None:
    result = results(worker_of(tree), [photo_item(str(uuid.uuid4()))])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "visit_not_synced"


def test_a_bad_answer_rejects_the_visit_whole(tree: Tree, household: Household) -> None:
    item = visit(household)
    item["data"]["answers"] = {"employment": "on_the_moon"}
    result = results(worker_of(tree), [item])[0]
    assert result["status"] == "rejected" and "data.answers.employment" in result["error"]["fields"]
    assert not Visit.objects.exists()


def test_an_event_names_its_member_by_id(tree: Tree, household: Household) -> None:
    member = household.members.first()
    assert member is not None
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "event",
        "household_id": household.pk,
        "data": {"type": "job_loss", "date": "2026-11-20", "member_id": member.pk},
    }
    assert results(worker_of(tree), [item])[0]["status"] == "applied"
    assert Event.objects.get(type="job_loss").member == member


def test_an_event_naming_a_stranger_is_rejected(tree: Tree, household: Household) -> None:
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "event",
        "household_id": household.pk,
        "data": {"type": "job_loss", "date": "2026-11-20", "member_id": 987654},
    }
    result = results(worker_of(tree), [item])[0]
    assert result["status"] == "rejected" and "data.member_id" in result["error"]["fields"]


def test_a_self_declared_application_becomes_an_alert_once(tree: Tree, household: Household) -> None:
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "self_declared",
        "household_id": household.pk,
        "data": {"risk_type": "illness", "level": "yellow", "note": "父亲住院，医药费困难"},
    }
    worker = worker_of(tree)
    assert results(worker, [item])[0]["status"] == "applied"
    assert results(worker, [item])[0]["replayed"] is True
    alert = Alert.objects.get()
    assert (alert.channel, alert.risk_type, alert.note) == ("self_declared", "因病", "父亲住院，医药费困难")
    assert alert.reported_by == worker.user


def test_a_self_declared_application_needs_a_risk_type_and_words(tree: Tree, household: Household) -> None:
    item = {"uuid": str(uuid.uuid4()), "kind": "self_declared", "household_id": household.pk, "data": {}}
    assert results(worker_of(tree), [item])[0]["status"] == "rejected"
    assert not Alert.objects.exists()


def test_the_pull_tells_when_the_household_was_last_visited(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    results(worker, [visit(household)])
    pulled = json.loads(worker.client().get("/api/v1/sync/pull").getvalue())
    assert pulled["households"][0]["last_visit_at"].startswith("2026-11-28T01:30:00")


def test_tasks_list_the_workers_open_alerts(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "self_declared",
        "household_id": household.pk,
        "data": {"risk_type": "water", "level": "red", "note": "自来水停了一周"},
    }
    results(worker, [item])
    tasks = json.loads(worker.client().get("/api/v1/mobile/tasks").content)
    assert [(a["household_no"], a["risk_type"], a["channel"]) for a in tasks["alerts"]] == [
        (household.household_no, "饮水安全", "self_declared")
    ]
    stranger = caller("grid0002", "grid_worker", tree.floor_group)
    assert json.loads(stranger.client().get("/api/v1/mobile/tasks").content)["alerts"] == []


def test_visit_photos_are_served_to_the_households_readers_only(tree: Tree, household: Household) -> None:
    worker = worker_of(tree)
    item = visit(household)
    results(worker, [item, photo_item(item["uuid"])])
    photos = json.loads(worker.client().get(f"/api/v1/households/{household.pk}/visit-photos").content)
    assert photos[0]["data_url"] == "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    stranger = caller("grid0002", "grid_worker", tree.floor_group)
    assert stranger.client().get(f"/api/v1/households/{household.pk}/visit-photos").status_code == 404


def test_the_officials_household_page_shows_the_visit_with_its_place_and_photo(
    tree: Tree, household: Household, official: Caller
) -> None:
    worker = worker_of(tree)
    item = visit(household)
    item["data"].update(place="7栋1单元201", answers={"income": "down"})
    results(worker, [item, photo_item(item["uuid"])])
    client = Client()
    client.force_login(official.user)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "7栋1单元201" in page and "收入减少" in page
    assert "data:image/jpeg;base64," + base64.b64encode(JPEG).decode() in page
