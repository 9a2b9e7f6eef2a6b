"""The case board's and the matters list's Excel exports (POST /cases/export, /matters/export):
a transfer job whose workbook holds exactly the rows the list shows with the same filters, in
its order, within the caller's units — the state in Chinese, the channel, the household's
phone masked, a minor head's name masked — and the export in the audit log; a bad or unknown
filter is refused before any job starts, and so is a caller who may not export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import User
from lianbang.audit.models import AuditEntry
from lianbang.cases.models import Case
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.matters import enterprise_issue_register, request_register
from lianbang.cases.services.opening import cases_open_pending
from lianbang.cases.tests.conftest import Cast, family, save, visit
from lianbang.jobs.models import Job
from lianbang.monitoring.models import Color
from lianbang.monitoring.tests.builders import member
from lianbang.org.models import Building, MicroGrid
from lianbang.org.services import unit_create
from lianbang.registry.models import Household

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report(household: Household, risk_type: str, level: str, channel: str) -> Case:
    alert_raise(household=household, risk_type=risk_type, level=level, channel=channel, actor=None)
    cases_open_pending(household_ids=[household.pk], force=True)
    return Case.objects.get(household=household, closed_at__isnull=True)


def _elsewhere(cast: Cast) -> Household:
    """A household of the other street (碧谷街道): outside every official of ours."""
    community = unit_create(level=3, name="碧谷社区", parent=cast.other_street)
    area = unit_create(level=4, name="碧谷片区", parent=community)
    branch = unit_create(level=5, name="9栋党支部", parent=area)
    floor = unit_create(level=6, name="9栋党小组", parent=branch)
    building = Building.objects.create(
        branch=branch, number="9", name="9栋", floor_count=6, rooms_per_floor=4, region_code="530113"
    )
    MicroGrid.objects.create(
        unit=floor, building=building, code="G-0900", name="9栋网格", region_code="530113"
    )
    address = {"building": "9", "unit": "1", "floor": 1, "room": "101"}
    return save(family(household_no="530113-900009", grid="G-0900", address=address))


def _orphans() -> dict[str, Any]:
    """A household whose head is a child of eleven (and a grandmother): the head's name is masked."""
    document = family(household_no="530113-900003", address={**family()["address"], "room": "403"})
    document["members"] = [
        member(date(2015, 3, 1), relation="户主", labor_skill="无劳动力", education=None, schooling="小学"),
        member(date(1950, 3, 1), male=False, relation="之祖母", labor_skill="无劳动力"),
    ]
    return document


@pytest.fixture
def board(cast: Cast, settings: Any) -> dict[str, Case]:
    """Three cases of ours (red by the grid worker, visited; yellow from a department's list; a
    red one of a child head) and a red one of the other street."""
    settings.LIANBANG_JOBS_THREADED = False  # the export job runs in the request
    ours = save(family(phone=PHONE))
    second = save(family(household_no="530113-900002", address={**family()["address"], "room": "402"}))
    cases = {
        "red": _report(ours, "employment", "red", "grid_worker"),
        "yellow": _report(second, "illness", "yellow", "department"),
        "child": _report(save(_orphans()), "education", "red", "self_declared"),
        "elsewhere": _report(_elsewhere(cast), "illness", "red", "grid_worker"),
    }
    visit(cases["red"], cast.grid_worker)
    return cases


def _listed(client: Client, path: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get(f"{path}?{urlencode({**query, 'limit': 500})}")
    assert response.status_code == 200, response.content.decode()[:400]
    assert response.json()["next_cursor"] is None
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _exported(client: Client, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    assert response.json()["url"] == f"/transfer/jobs/{job.pk}/"
    rows = CalamineWorkbook.from_path(job.result_path).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _time(value: str | None) -> str:
    """An API time as the workbook writes it (local, to the minute)."""
    if not value:
        return ""
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


PLACE = "铜都街道/和谐社区/第一片区/7栋党支部/7栋1-6层党小组"


def test_the_case_export_holds_exactly_the_filtered_cases_of_the_callers_units(
    cast: Cast, board: dict[str, Case]
) -> None:
    client = _client(cast.community)
    query = {"level": "red", "sort": "id"}
    shown = _listed(client, "/api/v1/cases", query)
    assert [row["id"] for row in shown] == [board["red"].pk, board["child"].pk]  # not the other street's

    sheet = _exported(client, "/api/v1/cases/export", query)

    detail = client.get(f"/api/v1/cases/{shown[0]['id']}").json()
    red, child = (Case.objects.select_related("assignee").get(pk=row["id"]) for row in shown)
    first = shown[0]
    assert sheet[0] == {
        "案件编号": red.pk,
        "户编号": "530113-900001",
        "户主姓名": red.household.members.get(relation="head").name,  # type: ignore[union-attr]
        "联系电话": "139****5678",
        "所属社区": "和谐社区",
        "所属单位": PLACE,
        "承办单位": red.handling_unit.name,
        "风险类型": "因务工就业不稳",
        "预警等级": "红灯",
        "当前灯色": Color(red.household.light.color).label,  # type: ignore[union-attr]
        "发现渠道": "网格员排查",
        "办理状态": "入户核实",
        "责任人": str(red.assignee),
        "发现时间": _time(first["opened_at"]),
        "下一期限": _time(first["next_due_at"]),
        "是否逾期": "否",
        "上报次数": 0,
        "办结时间": "",
        "最近办理": "入户核实",  # the visit: the transition it took
        "最近办理时间": _time(detail["events"][-1]["at"]),
    }
    head = child.household.members.get(relation="head").name  # type: ignore[union-attr]
    assert (sheet[1]["案件编号"], sheet[1]["办理状态"], sheet[1]["发现渠道"], sheet[1]["最近办理"]) == (
        child.pk,
        "发现",
        "农户自主申报",
        "立案",
    )
    assert sheet[1]["户主姓名"] == head[0] + "*" * (len(head) - 1) != head  # a minor's name is masked
    assert PHONE not in repr(sheet)

    entry = AuditEntry.objects.filter(action="export", object_id="cases").latest("pk")
    assert entry.actor_id == cast.community.pk
    assert entry.changes == {
        "rows": 2,
        "masked": True,
        "filter": {"level": "red", "assigned_to_me": "false", "sort": "id"},
    }


def test_the_case_export_follows_the_boards_url_values_and_order(cast: Cast, board: dict[str, Case]) -> None:
    client = _client(cast.street)
    # the board's links carry strings: ids, flags and hours as a query string has them
    query = {"unit_id": str(cast.tree.community.pk), "open": "true", "due_within_hours": "72"}
    shown = _listed(client, "/api/v1/cases", query)
    assert len(shown) == 3
    sheet = _exported(client, "/api/v1/cases/export", query)
    assert [(r["案件编号"], r["户编号"], r["办理状态"]) for r in sheet] == [
        (row["id"], row["household_no"], row["state_label"]) for row in shown
    ]
    assert {r["发现渠道"] for r in sheet} == {"网格员排查", "部门筛查预警", "农户自主申报"}
    department = _exported(client, "/api/v1/cases/export", {"risk_type": "因病", "open": True})
    assert [(r["户编号"], r["风险类型"], r["预警等级"]) for r in department] == [
        ("530113-900002", "因病", "黄灯")
    ]


def test_the_matters_export_holds_the_listed_matters_of_the_callers_units(
    cast: Cast, board: dict[str, Case], settings: Any
) -> None:
    ours = Household.objects.get(household_no="530113-900001")
    request = request_register(
        actor=cast.grid_worker, requester_name="张三", content="楼道灯坏了", household=ours
    )
    enterprise_issue_register(
        actor=cast.outsider,
        unit=cast.other_street,
        enterprise_name="碧谷建材有限公司",
        credit_code="91530100MA6K0000XR",
        meeting_date=date(2026, 11, 20),
        issue="用工短缺",
        team="就业专班",
    )
    client = _client(cast.community)
    shown = _listed(client, "/api/v1/matters", {})
    assert [row["id"] for row in shown] == [request.pk]  # not the other street's enterprise issue

    sheet = _exported(client, "/api/v1/matters/export", {"kind": "resident_request", "open": "true"})

    assert [
        {
            k: r[k]
            for k in (
                "事项编号",
                "事项类型",
                "事项",
                "户编号",
                "联系电话",
                "所属社区",
                "来源渠道",
                "办理状态",
            )
        }
        for r in sheet
    ] == [
        {
            "事项编号": request.pk,
            "事项类型": "群众诉求",
            "事项": "群众诉求：楼道灯坏了",
            "户编号": "530113-900001",
            "联系电话": "139****5678",
            "所属社区": "和谐社区",
            "来源渠道": "农户自主申报",
            "办理状态": shown[0]["state_label"],
        }
    ]
    assert sheet[0]["最近办理"] == "立案" and sheet[0]["登记时间"] == _time(shown[0]["opened_at"])
    entry = AuditEntry.objects.filter(action="export", object_id="matters").latest("pk")
    assert entry.changes == {
        "rows": 1,
        "masked": True,
        "filter": {"kind": "resident_request", "open": "true"},
    }
    assert _exported(_client(cast.outsider), "/api/v1/matters/export", {})[0]["事项类型"] == "企业诉求"


@pytest.mark.parametrize("path", ["/api/v1/cases/export", "/api/v1/matters/export"])
def test_an_unknown_or_bad_filter_is_refused_and_no_job_starts(cast: Cast, path: str) -> None:
    client = _client(cast.community)
    before = Job.objects.count()

    response = client.post(path, {"levle": "red"}, content_type="application/json")
    assert response.status_code == 422, response.content.decode()[:400]
    refused = response.json()
    assert refused["code"] == "invalid" and refused["message"] and refused["message_en"]
    assert [field for field in refused["fields"] if field.endswith("levle")], refused["fields"]

    bad = {"state": "nowhere", "open": "perhaps", "unit_id": "x"}
    response = client.post(path, bad, content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {name: fields[name]["value"] for name in fields} == bad
    assert all(fields[name]["message"] and fields[name]["message_en"] for name in fields)

    outside = {"unit_id": cast.other_street.pk}
    response = client.post(path, outside, content_type="application/json")
    assert (
        response.status_code == 404 and response.json()["fields"]["unit_id"]["value"] == cast.other_street.pk
    )
    assert Job.objects.count() == before


def test_bad_board_values_name_field_value_and_reason(cast: Cast) -> None:
    client = _client(cast.community)
    body = {"level": "green", "sort": "name", "due_within_hours": 0, "closed_in": "2026-13"}
    response = client.post("/api/v1/cases/export", body, content_type="application/json")
    assert response.status_code == 400
    assert {name: f["value"] for name, f in response.json()["fields"].items()} == body
    assert client.get("/api/v1/cases?closed_in=2026-13").json()["fields"]["closed_in"]["value"] == "2026-13"
    assert Job.objects.count() == 0


def test_a_caller_without_the_export_permission_is_refused(cast: Cast) -> None:
    for user in (cast.branch_secretary, cast.grid_worker):  # both see the board, neither may export
        client = _client(user)
        assert client.get("/api/v1/cases").status_code == 200
        for path in ("/api/v1/cases/export", "/api/v1/matters/export"):
            assert client.post(path, {}, content_type="application/json").status_code == 403
    assert Job.objects.count() == 0
