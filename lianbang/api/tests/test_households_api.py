"""The households API as an integration sees it: tokens, scope, masking, errors, versions."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client, override_settings

from lianbang.api.tests.conftest import Caller, caller
from lianbang.conftest import SAMPLE_DOCUMENT, Tree
from lianbang.monitoring.tests.builders import green_family
from lianbang.org.services import unit_create
from lianbang.registry.models import Household, Member, Visit


def body(response: Any) -> Any:
    return json.loads(response.content)


def send(client: Client, method: str, url: str, data: Any) -> Any:
    return client.generic(method, url, json.dumps(data, ensure_ascii=False), content_type="application/json")


def test_without_a_token_the_api_answers_401_in_the_error_shape(db: None) -> None:
    response = Client().get("/api/v1/households")
    assert response.status_code == 401
    assert set(body(response)) == {"code", "message", "message_en", "fields"}


def test_a_household_list_is_scoped_filtered_and_paged(
    official: Caller, household: Household, tree: Tree
) -> None:
    other = unit_create(level=3, name="别的社区", parent=tree.street)
    stranger = caller("community2", "community_official", other)
    assert body(stranger.client().get("/api/v1/households"))["items"] == []
    page = body(official.client().get("/api/v1/households?light=green&limit=1"))
    assert [row["household_no"] for row in page["items"]] == ["530113-900001"]
    assert page["items"][0]["light"] == "green" and page["next_cursor"] is None
    assert body(official.client().get("/api/v1/households?light=red"))["items"] == []
    assert body(official.client().get(f"/api/v1/households?unit_id={tree.area.pk}"))["items"]


def test_cursor_pages_cover_every_household_once(official: Caller, tree: Tree) -> None:
    for number in range(5):
        family = green_family()
        family["household_no"] = f"530113-90010{number}"
        family["address"]["room"] = f"50{number}"
        for member in family["members"]:
            member["id_number"] = _id(member["id_number"], number)
        send(official.client(), "POST", "/api/v1/households", family)
    seen, cursor = [], ""
    while True:
        page = body(official.client().get(f"/api/v1/households?limit=2&cursor={cursor}"))
        seen += [row["household_no"] for row in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 5


def _id(id_number: str, shift: int) -> str:
    from lianbang.common.validators import id_check_char

    first17 = id_number[:14] + f"{(int(id_number[14:17]) + 2 * shift + 10) % 1000:03d}"
    return first17 + id_check_char(first17)


def test_the_document_is_masked(official: Caller, household: Household) -> None:
    document = body(official.client().get(f"/api/v1/households/{household.pk}/document"))
    head = document["members"][0]
    assert head["id_number"].startswith("530113") and "*" in head["id_number"]
    assert head["health"] != "健康"


def test_creating_a_household_reports_each_bad_field(official: Caller, tree: Tree) -> None:
    document = copy.deepcopy(SAMPLE_DOCUMENT)
    document["members"][1]["id_number"] = "530113198503150026"
    response = send(official.client(), "POST", "/api/v1/households", document)
    assert response.status_code == 400
    error = body(response)
    assert error["code"] == "invalid_household" and "members[1].id_number" in error["fields"]
    assert not Household.objects.exists()


def test_creating_then_saving_again_is_unchanged(official: Caller, tree: Tree) -> None:
    first = send(official.client(), "POST", "/api/v1/households", SAMPLE_DOCUMENT)
    second = send(official.client(), "POST", "/api/v1/households", SAMPLE_DOCUMENT)
    assert (first.status_code, body(first)["outcome"]) == (201, "created")
    assert (second.status_code, body(second)["outcome"]) == (200, "unchanged")


def test_an_edit_on_a_stale_version_is_a_409_and_changes_nothing(
    official: Caller, household: Household
) -> None:
    url = f"/api/v1/households/{household.pk}"
    assert (
        send(
            official.client(), "PATCH", url, {"base_version": 1, "changes": {"water_safe": False}}
        ).status_code
        == 200
    )
    stale = send(official.client(), "PATCH", url, {"base_version": 1, "changes": {"water_safe": True}})
    assert stale.status_code == 409 and body(stale)["code"] == "conflict"
    household.refresh_from_db()
    assert household.water_safe is False


def test_a_member_edit_returns_the_new_version_and_rejudges(official: Caller, household: Household) -> None:
    member = household.members.get(relation="head")
    url = f"/api/v1/households/{household.pk}/members/{member.pk}"
    response = send(
        official.client(), "PATCH", url, {"base_version": 1, "changes": {"medical_insurance": False}}
    )
    assert body(response) == {"id": member.pk, "version": 2}
    light = body(official.client().get(f"/api/v1/households/{household.pk}/light"))
    assert light["color"] == "red" and light["rules"] == ["R_BOTTOM_LINE"]
    history = body(official.client().get(f"/api/v1/households/{household.pk}/light-history"))
    assert history["items"][0]["to"] == "red" and history["items"][0]["cause"] == "api"


def test_events_and_visits_are_recorded_and_listed(official: Caller, household: Household) -> None:
    head = household.members.get(relation="head")
    event = send(
        official.client(),
        "POST",
        f"/api/v1/households/{household.pk}/events",
        {"type": "大病确诊", "date": "2026-11-20", "id_number": head.id_number},
    )
    assert event.status_code == 201
    events = body(official.client().get(f"/api/v1/households/{household.pk}/events"))["items"]
    assert events[0]["type"] == "***"  # an illness is health data: masked in lists
    visit = send(
        official.client(),
        "POST",
        f"/api/v1/households/{household.pk}/visits",
        {"visited_at": "2026-11-28T09:30:00+08:00", "notes": "一切正常"},
    )
    assert visit.status_code == 201 and Visit.objects.get().visitor == official.user


def test_a_manual_label_can_be_set_and_a_computed_one_cannot(official: Caller, household: Household) -> None:
    url = f"/api/v1/households/{household.pk}/labels"
    assert official.client().post(f"{url}/left_behind_child").status_code == 201
    assert "left_behind_child" in [row["code"] for row in body(official.client().get(url))]
    refused = official.client().post(f"{url}/lifted_out")
    assert refused.status_code == 400
    assert official.client().delete(f"{url}/left_behind_child").status_code == 204


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[1, 2",
        '{"base_version": "x", "changes": {}}',
        '{"changes": {"phone": "1"}, "colour": "red"}',
    ],
)
def test_malformed_or_unknown_bodies_get_4xx_in_the_error_shape(
    official: Caller, household: Household, raw: str
) -> None:
    response = official.client().generic(
        "PATCH", f"/api/v1/households/{household.pk}", raw, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert {"code", "message", "message_en", "fields"} <= set(body(response))


def test_a_huge_string_is_refused_with_its_field_named(official: Caller, household: Household) -> None:
    response = send(
        official.client(),
        "PATCH",
        f"/api/v1/households/{household.pk}",
        {"changes": {"origin_village": "村" * 5000}},
    )
    assert response.status_code == 400 and "origin_village" in body(response)["fields"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_413(official: Caller, household: Household) -> None:
    response = send(
        official.client(),
        "PATCH",
        f"/api/v1/households/{household.pk}",
        {"changes": {"origin_village": "x" * 2000}},
    )
    assert response.status_code == 413 and body(response)["code"] == "too_large"


@override_settings(LIANBANG_API_RATE="3/m")
def test_too_many_requests_per_token_is_429_with_retry_after(official: Caller, household: Household) -> None:
    client = official.client()
    statuses = [client.get("/api/v1/households").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get("/api/v1/households")["Retry-After"]) >= 1


def test_the_openapi_document_and_docs_page_are_served_locally(db: None) -> None:
    spec = Client().get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/sync/push" in body(spec)["paths"]
    page = Client().get("/api/v1/docs").content.decode()
    assert "cdn" not in page.lower() and "/static/" in page


def test_members_of_other_households_are_not_reachable_through_this_one(
    official: Caller, household: Household
) -> None:
    other = household_copy(household)
    member = other.members.first()
    assert member is not None
    url = f"/api/v1/households/{household.pk}/members/{member.pk}"
    assert send(official.client(), "PATCH", url, {"changes": {"pension_insurance": True}}).status_code == 404


def household_copy(household: Household) -> Household:
    member = Member.objects.filter(household=household).first()
    assert member is not None
    twin = Household.objects.create(
        household_no="530113-999999", category="ordinary", unit=household.unit, region_code="530113"
    )
    Member.objects.create(
        household=twin,
        id_number="530113196002020012",
        name="王五",
        sex="M",
        birth_date=member.birth_date.replace(year=1960, month=2, day=2),
        relation="head",
        education="primary",
        labor_skill="ordinary",
        region_code="530113",
    )
    return twin


def test_a_household_placed_outside_the_callers_scope_is_not_saved(tree: Tree) -> None:
    grid_worker = caller("grid0001", "grid_worker", tree.floor_group)
    response = send(grid_worker.client(), "POST", "/api/v1/households", SAMPLE_DOCUMENT)
    assert response.status_code == 403 and body(response)["code"] == "out_of_scope"
    assert not Household.objects.exists() and not Member.objects.exists()
