"""The phone's employment and care kinds: a wish, a follow-up and a care visit queued offline
arrive once each, through the apps' own services (validated, audited); and the small read the
phone caches for its forms."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from lianbang.audit.models import AuditEntry
from lianbang.care.models import CareVisit
from lianbang.conftest import Tree
from lianbang.employment.models import FollowUp, Wish
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import Family, People, family, people

__all__ = ["family", "people"]


def _push(user: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    client = Client()
    client.force_login(user)
    response = client.post("/api/v1/sync/push", json.dumps({"items": items}), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _wish(member_id: int, **data: Any) -> dict[str, Any]:
    body = {"job_types": ["电子装配"], "places": ["in_county"], "min_wage": "3200"} | data
    return {"uuid": str(uuid.uuid4()), "kind": "employment_wish", "member_id": member_id, "data": body}


def _follow_up(family: Family) -> FollowUp:
    placement = factories.placement(family.spouse)
    return FollowUp.objects.create(placement=placement, due_on=timezone.localdate() - timedelta(days=2))


def test_a_queued_wish_is_stored_once_and_audited(tree: Tree, family: Family, people: People) -> None:
    item = _wish(family.spouse.pk, constraints=["照顾老人"], visited_at="2026-11-20T10:00:00+08:00")
    first = _push(people.grid_worker, [item])
    again = _push(people.grid_worker, [item])
    assert first[0]["status"] == "applied" and again[0]["replayed"]
    wish = Wish.objects.get(member=family.spouse)
    assert wish.job_types == ["electronics"] and wish.constraints == ["care_elderly"]
    assert AuditEntry.objects.filter(action="employment.wish_record").count() == 1
    assert family.household.visits.filter(purpose="敲门行动问需求").count() == 1


def test_a_bad_wish_is_rejected_with_its_field(tree: Tree, family: Family, people: People) -> None:
    result = _push(people.grid_worker, [_wish(family.spouse.pk, places=["火星"])])[0]
    assert result["status"] == "rejected" and "places[0]" in result["error"]["fields"]
    result = _push(people.grid_worker, [_wish(family.spouse.pk, seeking="yes")])[0]
    assert result["status"] == "rejected" and "data.seeking" in result["error"]["fields"]
    assert not Wish.objects.exists()


def test_a_wish_outside_the_workers_scope_is_not_found(tree: Tree, family: Family, people: People) -> None:
    result = _push(people.grid_worker, [_wish(999999)])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "not_found"


def test_a_queued_follow_up_is_recorded_once(tree: Tree, family: Family, people: People) -> None:
    due = _follow_up(family)
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "employment_follow_up",
        "member_id": family.spouse.pk,
        "follow_up_id": due.pk,
        "data": {"done_on": timezone.localdate().isoformat(), "method": "phone", "still_employed": True},
    }
    first = _push(people.grid_worker, [item])
    again = _push(people.grid_worker, [item])
    assert first[0]["status"] == "applied" and again[0]["replayed"]
    due.refresh_from_db()
    assert due.done_on == timezone.localdate() and due.method == "phone" and due.still_employed
    assert AuditEntry.objects.filter(action="employment.follow_up").count() == 1


def test_a_queued_care_visit_is_recorded_once(tree: Tree, family: Family, people: People) -> None:
    item = {
        "uuid": str(uuid.uuid4()),
        "kind": "care_visit",
        "household_id": family.household.pk,
        "data": {
            "member_id": family.head.pk,
            "visited_at": "2026-11-20T10:00:00+08:00",
            "all_well": False,
            "health_note": "血压偏高",
        },
    }
    first = _push(people.grid_worker, [item])
    again = _push(people.grid_worker, [item, {**item, "uuid": str(uuid.uuid4()), "data": {"member_id": "x"}}])
    assert first[0]["status"] == "applied" and again[0]["replayed"]
    assert again[1]["status"] == "rejected"
    visit = CareVisit.objects.get()
    assert visit.health_note == "血压偏高" and not visit.all_well
    assert AuditEntry.objects.filter(object_type="care.carevisit").count() == 1


def test_the_phone_reads_labour_wishes_and_due_follow_ups(tree: Tree, family: Family, people: People) -> None:
    due = _follow_up(family)
    _push(people.grid_worker, [_wish(family.spouse.pk)])
    client = Client()
    client.force_login(people.grid_worker)
    got = client.get("/api/v1/mobile/employment").json()
    assert family.spouse.pk in got["labour"]
    assert [w["member_id"] for w in got["wishes"]] == [family.spouse.pk]
    assert got["follow_ups"] == [
        {
            "id": due.pk,
            "member_id": family.spouse.pk,
            "employer": "某电子厂",
            "due_on": due.due_on.isoformat(),
            "overdue": True,
        }
    ]
    assert ["in_county", "县内"] in got["choices"]["places"]
    assert date.fromisoformat(got["as_of"]) == timezone.localdate()
