"""The case endpoints as the console uses them: a red case from the report to its elimination,
conflicts, scope, refusals that name their reasons, matters, the inbox and the 公示 list.

The services read the time through ``lianbang.cases.clock``; ``clock`` moves it forward (the
injectable clock of the cases tests, here for requests).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import User
from lianbang.audit.models import AuditEntry
from lianbang.cases import clock as clock_module
from lianbang.cases.models import Case
from lianbang.cases.tests.conftest import Cast, family, save
from lianbang.cases.tests.conftest import cast as cast  # the fixture, re-exported
from lianbang.monitoring.models import HouseholdLight
from lianbang.registry.models import Household


class Clock:
    """``django.utils.timezone`` with ``now()`` moved forward by ``offset``."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return timezone.now() + self.offset

    def __getattr__(self, name: str) -> Any:
        return getattr(timezone, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    shim = Clock()
    monkeypatch.setattr(clock_module, "timezone", shim)
    yield shim


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(user: User, url: str, body: dict[str, Any], capture: Any = None) -> Any:
    return client(user).post(url, body, content_type="application/json")


def move(user: User, case_id: int, action: str, **data: Any) -> Any:
    version = Case.objects.get(pk=case_id).version
    return post(
        user, f"/api/v1/cases/{case_id}/transitions", {"action": action, "base_version": version, **data}
    )


def detail(user: User, case_id: int) -> dict[str, Any]:
    response = client(user).get(f"/api/v1/cases/{case_id}")
    assert response.status_code == 200, response.content
    return response.json()


def step(body: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in body["next_steps"] if s["action"] == action)


def report(cast: Cast, household: Household, capture: Any, level: str = "red") -> int:
    """A grid worker's report through the API; the case opens when the request commits."""
    with capture(execute=True):
        response = post(
            cast.grid_worker,
            "/api/v1/alerts",
            {
                "household_id": household.pk,
                "risk_type": "employment",
                "level": level,
                "channel": "grid_worker",
            },
        )
    assert response.status_code == 201, response.content
    return Case.objects.get(household=household, closed_at__isnull=True).pk


def test_a_red_case_walks_through_the_api_from_the_report_to_elimination(
    cast: Cast, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    household = save(family())
    case_id = report(cast, household, django_capture_on_commit_callbacks)
    alerts = client(cast.grid_worker).get("/api/v1/alerts?channel=grid_worker&open=true").json()
    assert [(a["household_no"], a["level"], a["case_id"]) for a in alerts["items"]] == [
        (household.household_no, "red", case_id)
    ]
    opened = detail(cast.grid_worker, case_id)
    assert (opened["state"], opened["level"], opened["assignee_id"]) == (
        "discovered",
        "red",
        cast.grid_worker.pk,
    )
    assert {s["kind"] for s in opened["steps"]} == {"first_visit", "measures", "identification"}
    assert step(opened, "verify")["allowed"] and step(opened, "verify")["fields"][0]["name"] == "findings"

    clock.offset = timedelta(hours=5)
    assert move(cast.grid_worker, case_id, "verify", findings="务工收入中断，已入户核实").status_code == 200
    measure = {
        "type": "employment",
        "start_date": "2026-12-01",
        "amount": "1200",
        "responsible_name": "张干部",
    }
    response = post(
        cast.community,
        f"/api/v1/cases/{case_id}/measures",
        {**measure, "base_version": Case.objects.get(pk=case_id).version},
    )
    assert response.status_code == 201 and response.json()["measures"][0]["developmental"]
    assert move(cast.grid_worker, case_id, "submit").json()["state"] == "identification"

    clock.offset = timedelta(days=1)
    assert move(cast.community, case_id, "approve").status_code == 200  # 民主评议
    clock.offset = timedelta(days=3)
    waiting = step(detail(cast.community, case_id), "approve")
    assert not waiting["allowed"] and [r["field"] for r in waiting["reasons"]] == ["publicity"]
    early = move(cast.community, case_id, "approve")
    assert early.status_code == 422 and "publicity" in early.json()["fields"]
    clock.offset = timedelta(days=6, hours=1)
    assert move(cast.community, case_id, "approve").status_code == 200  # 公示 over
    clock.offset = timedelta(days=8)
    assert move(cast.street, case_id, "approve").status_code == 200
    clock.offset = timedelta(days=10)
    assert move(cast.district, case_id, "approve").json()["state"] == "assistance"
    clock.offset = timedelta(days=12)
    assert move(cast.community, case_id, "start_tracking").json()["state"] == "tracking"

    clock.offset = timedelta(days=215)
    assert move(cast.community, case_id, "request_elimination").json()["state"] == "elimination_requested"
    clock.offset = timedelta(days=218)
    assert move(cast.street, case_id, "pass_review").json()["state"] == "review"
    clock.offset = timedelta(days=220)
    done = move(cast.district, case_id, "approve_elimination").json()
    assert (done["state"], done["closed"], done["next_steps"]) == ("eliminated", True, [])
    assert HouseholdLight.objects.get(household=household).color == "green"
    audited = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case_id))
    assert {"case.transition", "case.visit", "case.measure"} <= set(audited.values_list("action", flat=True))


def test_an_early_elimination_is_refused_with_its_reasons_and_changes_nothing(
    cast: Cast, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    household = save(family())
    case_id = report(cast, household, django_capture_on_commit_callbacks)
    clock.offset = timedelta(hours=2)
    move(cast.grid_worker, case_id, "verify", findings="已核实")
    move(cast.grid_worker, case_id, "submit")
    for days, user in ((1, cast.community), (7, cast.community), (8, cast.street), (9, cast.district)):
        clock.offset = timedelta(days=days)
        assert move(user, case_id, "approve").status_code == 200
    version = Case.objects.get(pk=case_id).version
    post(
        cast.community,
        f"/api/v1/cases/{case_id}/measures",
        {"base_version": version, "type": "public_welfare_job", "start_date": "2026-12-01"},
    )
    move(cast.community, case_id, "start_tracking")
    clock.offset = timedelta(days=40)
    before = Case.objects.get(pk=case_id)

    offered = step(detail(cast.community, case_id), "request_elimination")
    assert not offered["allowed"] and "opened_at" in [r["field"] for r in offered["reasons"]]
    refused = move(cast.community, case_id, "request_elimination")
    assert refused.status_code == 422
    error = refused.json()
    assert error["code"] == "conditions_not_met" and "opened_at" in error["fields"]
    assert "帮扶未满6个月" in error["fields"]["opened_at"]["message"]
    after = Case.objects.get(pk=case_id)
    assert (after.state, after.version) == (before.state, before.version) == ("tracking", before.version)
    timeline = detail(cast.community, case_id)["events"]
    assert timeline[-1]["type"] == "refused"


def test_a_stale_version_is_a_conflict_naming_the_current_state(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case_id = report(cast, save(family()), django_capture_on_commit_callbacks)
    stale = Case.objects.get(pk=case_id).version
    assert move(cast.grid_worker, case_id, "verify", findings="已核实").status_code == 200
    response = post(
        cast.community,
        f"/api/v1/cases/{case_id}/transitions",
        {"action": "not_identified", "base_version": stale, "reason": "不符合条件"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["fields"]["state"]["value"] == "verifying"
    assert body["fields"]["version"]["value"] == Case.objects.get(pk=case_id).version
    assert Case.objects.get(pk=case_id).state == "verifying"


def test_errors_name_the_reason_and_change_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case_id = report(cast, save(family()), django_capture_on_commit_callbacks)
    version = Case.objects.get(pk=case_id).version
    illegal = move(cast.community, case_id, "approve_elimination")
    assert (illegal.status_code, illegal.json()["code"]) == (409, "illegal_transition")
    missing = move(cast.grid_worker, case_id, "verify")
    assert missing.status_code == 400 and "findings" in missing.json()["fields"]
    forbidden = move(cast.leader, case_id, "verify", findings="x")
    assert forbidden.status_code == 403
    unknown = post(
        cast.community,
        f"/api/v1/cases/{case_id}/transitions",
        {"action": "x", "base_version": version, "y": 1},
    )
    assert unknown.status_code == 422 and any(path.endswith(".y") for path in unknown.json()["fields"])
    assert Case.objects.get(pk=case_id).version == version


def test_out_of_scope_is_not_found(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    case_id = report(cast, save(family()), django_capture_on_commit_callbacks)
    outsider = client(cast.outsider)
    assert outsider.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert move(cast.outsider, case_id, "verify", findings="x").status_code == 404
    assert outsider.get("/api/v1/cases").json()["items"] == []
    assert client(cast.outsider).get(f"/api/v1/cases/{987654321}").status_code == 404


def test_a_grid_worker_sees_only_the_cases_of_their_grid(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    ours = report(cast, save(family()), django_capture_on_commit_callbacks)
    other = save(
        family(household_no="530113-900002", grid="", address={**family()["address"], "room": "402"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(
            cast.community,
            "/api/v1/alerts",
            {"household_id": other.pk, "risk_type": "illness", "level": "yellow", "channel": "grid_worker"},
        )
    theirs = Case.objects.get(household=other).pk
    seen = client(cast.grid_worker).get("/api/v1/cases").json()["items"]
    assert [c["id"] for c in seen] == [ours]
    assert client(cast.grid_worker).get(f"/api/v1/cases/{theirs}").status_code == 404
    community = [c["id"] for c in client(cast.community).get("/api/v1/cases?sort=opened_at").json()["items"]]
    assert community == [ours, theirs]
    red = (
        client(cast.community).get("/api/v1/cases?level=red&assigned_to_me=false&due_within_hours=30").json()
    )
    assert [c["id"] for c in red["items"]] == [ours]


def test_cases_page_by_cursor_without_repeats(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    ids = [report(cast, save(family()), django_capture_on_commit_callbacks)]
    for number in range(2, 5):
        document = family(
            household_no=f"530113-90000{number}", address={**family()["address"], "room": f"40{number}"}
        )
        ids.append(report(cast, save(document), django_capture_on_commit_callbacks))
    seen: list[int] = []
    url = "/api/v1/cases?limit=3"
    while url:
        body = client(cast.community).get(url).json()
        seen += [c["id"] for c in body["items"]]
        url = f"/api/v1/cases?limit=3&cursor={body['next_cursor']}" if body["next_cursor"] else ""
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    bad = client(cast.community).get("/api/v1/cases?cursor=nonsense")
    assert bad.status_code == 400 and "cursor" in bad.json()["fields"]


def test_a_dispute_is_registered_mediated_and_settled(cast: Cast) -> None:
    household = save(family())
    body = {
        "kind": "dispute",
        "household_id": household.pk,
        "category": "邻里纠纷",
        "parties": [{"name": "甲", "side": "楼上"}, {"name": "乙", "side": "楼下"}],
        "summary": "漏水",
    }
    created = post(cast.grid_worker, "/api/v1/matters", body)
    assert created.status_code == 201, created.content
    matter = created.json()
    assert (matter["kind"], matter["state"]) == ("dispute", "registered")
    url = f"/api/v1/matters/{matter['id']}"
    version = matter["version"]
    moved = post(
        cast.grid_worker, f"{url}/transitions", {"action": "start_mediation", "base_version": version}
    )
    assert moved.json()["state"] == "mediating"
    early = post(
        cast.community,
        f"{url}/transitions",
        {"action": "settle", "base_version": moved.json()["version"], "agreement": "赔偿500元"},
    )
    assert early.status_code == 422 and "sessions" in early.json()["fields"]
    session = post(
        cast.grid_worker,
        f"{url}/mediation-sessions",
        {"base_version": moved.json()["version"], "mediator": "调解员王", "summary": "双方同意"},
    )
    assert session.status_code == 201 and len(session.json()["dispute"]["sessions"]) == 1
    settled = post(
        cast.community,
        f"{url}/transitions",
        {"action": "settle", "base_version": session.json()["version"], "agreement": "赔偿500元"},
    )
    assert settled.json()["state"] == "settled" and settled.json()["dispute"]["agreement"] == "赔偿500元"
    listed = client(cast.community).get("/api/v1/matters?kind=dispute").json()["items"]
    assert [m["id"] for m in listed] == [matter["id"]]
    assert (
        client(cast.community).get(f"/api/v1/households/{household.pk}/cases").json()[0]["id"] == matter["id"]
    )


def test_an_enterprise_issue_needs_a_valid_credit_code_and_a_street_official(cast: Cast) -> None:
    body = {
        "kind": "enterprise_issue",
        "unit_id": cast.tree.street.pk,
        "enterprise_name": "昆明某建材有限公司",
        "credit_code": "91530100MA6K0000X0",
        "meeting_date": "2026-11-20",
        "issue": "用工短缺",
        "team": "就业专班",
    }
    bad = post(cast.street, "/api/v1/matters", body)
    assert bad.status_code == 400 and "credit_code" in bad.json()["fields"]
    assert post(
        cast.community, "/api/v1/matters", {**body, "unit_id": cast.tree.community.pk}
    ).status_code in (400, 403)


def test_the_inbox_lists_my_notifications_and_marks_them_read(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    report(cast, save(family()), django_capture_on_commit_callbacks)
    inbox = client(cast.grid_worker).get("/api/v1/inbox").json()
    assert inbox["unread"] == 1 and inbox["items"][0]["kind"] == "assigned"
    note = inbox["items"][0]["id"]
    assert client(cast.community).post(f"/api/v1/inbox/{note}/read").status_code == 404
    assert client(cast.grid_worker).post(f"/api/v1/inbox/{note}/read").json() == {"unread": 0}


def test_the_publicity_list_and_its_export_show_no_sensitive_field(
    cast: Cast, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    document = family(phone="13987654321")
    document["members"][0]["health"] = "患有大病"
    household = save(document)
    case_id = report(cast, household, django_capture_on_commit_callbacks)
    move(cast.grid_worker, case_id, "verify", findings="已核实")
    move(cast.grid_worker, case_id, "submit")
    move(cast.community, case_id, "approve")
    listed = client(cast.community).get(f"/api/v1/publicity?unit_id={cast.tree.community.pk}")
    assert listed.status_code == 200
    assert [r["household_no"] for r in listed.json()["items"]] == [household.household_no]
    exported = client(cast.community).get(f"/api/v1/publicity/export?unit_id={cast.tree.community.pk}")
    assert exported.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(exported.content)).get_sheet_by_name("公示名单").to_python()
    )
    text = repr(rows) + listed.content.decode()
    for secret in ("13987654321", "患有大病", *(m["id_number"] for m in document["members"])):
        assert secret not in text
    assert AuditEntry.objects.filter(
        action="export", object_id=f"publicity:{cast.tree.community.pk}"
    ).exists()
    assert client(cast.grid_worker).get("/api/v1/publicity").status_code == 403


def test_the_figures_of_a_unit(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    report(cast, save(family()), django_capture_on_commit_callbacks)
    figures = client(cast.community).get("/api/v1/cases/figures").json()
    assert figures["unit"]["id"] == cast.tree.community.pk
    assert figures["open"] == [
        {"kind": "risk", "state": "discovered", "state_label": "发现", "level": "red", "count": 1}
    ]
    assert (
        client(cast.outsider).get(f"/api/v1/cases/figures?unit_id={cast.tree.community.pk}").status_code
        == 404
    )
