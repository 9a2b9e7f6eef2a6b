"""Every route × every role × in and out of scope (issue 5).

Each URL pattern and API operation needs a rule in ``lianbang.accounts.routes``; each rule is
then exercised as anonymous and as every role: allowed where the rule allows (in scope), and
refused (out of scope: 404, exactly like an id that does not exist) everywhere else.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from lianbang.accounts.models import Role, User
from lianbang.accounts.permissions import permissions_of
from lianbang.accounts.routes import (
    Access,
    Route,
    RouteRule,
    Scope,
    all_routes,
    routes_without_rule,
    rule_for,
)
from lianbang.accounts.tests.cast import Cast, make_user
from lianbang.care.tests import routes as care_routes
from lianbang.care.tests.bodies import CARE_BODIES
from lianbang.cases.models import Case, Notification
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.matters import request_register
from lianbang.cases.services.opening import cases_open_pending
from lianbang.employment.tests.factories import ROUTE_PARAMETERS, route_object
from lianbang.jobs.models import Job
from lianbang.registry.models import Household, Member

ROLES: list[str | None] = [None, *Role.values]
# Bodies for API writes, so that ninja's own validation (422) does not answer before scope does.
API_BODIES: dict[str, Any] = {
    "POST /api/v1/households/{household_id}/reveal": {"field": "phone", "reason": "路由权限测试"},
    "PATCH /api/v1/households/{household_id}": {"changes": {"phone": "13800000000"}},
    "PATCH /api/v1/households/{household_id}/members/{member_id}": {"changes": {"pension_insurance": True}},
    "POST /api/v1/households/{household_id}/visits": {"visited_at": "2026-11-01T10:00:00+08:00"},
    "POST /api/v1/sync/push": {"items": []},
    "POST /api/v1/rules/preview": {"condition": {"fact": "housing_safe", "op": "=", "value": False}},
    "POST /api/v1/evaluate": {"documents": []},
    # Administration: bodies that pass ninja's validation and are refused (400) by the service,
    # so that the route test changes nothing.
    "POST /api/v1/admin/grants": {"username": "nobody-here", "unit_id": 987654321, "role": "grid_worker"},
    "POST /api/v1/admin/grants/revoke": {"grant_id": 987654321},
    "POST /api/v1/admin/users": {"username": "x", "full_name": "x", "password": "x", "grants": []},
    "POST /api/v1/admin/users/active": {"username": "nobody-here", "active": True},
    "POST /api/v1/admin/users/password": {"username": "nobody-here", "password": "x"},
    "POST /api/v1/admin/users/unlock": {"username": "nobody-here"},
    "POST /api/v1/admin/grids": {"building_id": 987654321, "unit_id": 987654321, "code": "X", "name": "x"},
    "POST /api/v1/admin/grids/rename": {"grid_id": 987654321, "name": "x"},
    "POST /api/v1/admin/grids/worker": {"grid_id": 987654321},
    "POST /api/v1/admin/grids/move": {"grid_id": 987654321, "household_ids": [987654321]},
    # Units and buildings: a blank name in the caller's own floor group is refused (400).
    "POST /api/v1/admin/units": lambda cast: {"parent_id": cast.tree.floor_group.pk, "name": ""},
    "POST /api/v1/admin/units/rename": lambda cast: {"unit_id": cast.tree.floor_group.pk, "name": ""},
    "POST /api/v1/admin/buildings": lambda cast: {
        "branch_id": cast.tree.floor_group.pk,
        "number": "",
        "name": "",
        "floor_count": 1,
        "rooms_per_floor": 1,
    },
    "POST /api/v1/admin/buildings/rename": lambda cast: {"building_id": cast.home.building_id, "name": ""},
    "PUT /api/v1/admin/labels": {"code": "left_behind_child"},
    "POST /api/v1/admin/rule-sets": {"name": "路由权限测试"},
    "POST /api/v1/admin/rules": {"version": 987654321, "code": "X", "color": "red", "name": "x"},
    "POST /api/v1/admin/rule-sets/activate": {"version": 987654321},
    "PUT /api/v1/admin/settings/workflow": {"changes": {"publicity_days": 1}},
    "PUT /api/v1/admin/lines": {"region_prefix": "x", "year": 2026, "amount": "1"},
    # Case writes name version 0, never current: a 409 (with the current state) shows the caller
    # got past the gate; which role takes which step is tested in lianbang/cases.
    "POST /api/v1/alerts": lambda cast: _report(cast.home),
    "POST /api/v1/cases": lambda cast: _report(cast.home),
    "POST /api/v1/cases/{case_id}/transitions": {"action": "submit", "base_version": 0},
    "POST /api/v1/cases/{case_id}/visits": {"base_version": 0, "findings": "路由权限测试"},
    "PUT /api/v1/cases/{case_id}/risk-types": {"base_version": 0, "risk_types": ["illness"]},
    "POST /api/v1/cases/{case_id}/measures": {
        "base_version": 0,
        "type": "employment",
        "start_date": "2026-11-01",
    },
    "POST /api/v1/cases/{case_id}/comments": {"text": "路由权限测试"},
    "POST /api/v1/matters": lambda cast: _request(cast.home),
    "POST /api/v1/matters/{matter_id}/transitions": {"action": "accept", "base_version": 0},
    "POST /api/v1/matters/{matter_id}/mediation-sessions": {
        "base_version": 0,
        "mediator": "甲",
        "summary": "乙",
    },
    "POST /api/v1/matters/{matter_id}/comments": {"text": "路由权限测试"},
    # The lists' exports: the caller's open cases / requests (a job; scope is tested in lianbang/cases).
    "POST /api/v1/cases/export": {"open": True, "sort": "id"},
    "POST /api/v1/matters/export": {"kind": "resident_request", "open": True},
    # 六步就业 (lianbang.employment): valid bodies, so that scope answers before validation.
    "POST /api/v1/employment/units/{unit_id}/surveys": {"name": "2026年冬季摸底"},
    "POST /api/v1/employment/surveys/{campaign_id}/members/{member_id}": {"status": "employed"},
    "PUT /api/v1/employment/members/{member_id}/wish": {"places": ["县内"]},
    "POST /api/v1/employment/members/{member_id}/job-change": {
        "employer": "某物流公司",
        "work_location": "县外省内",
        "started_on": "2025-06-01",
    },
    "POST /api/v1/employment/members/{member_id}/job-loss": {"lost_on": "2025-06-01"},
    "POST /api/v1/employment/members/{member_id}/rights-cases": {"summary": "拖欠工资两个月"},
    "POST /api/v1/employment/members/{member_id}/referrals/{posting_id}/outcome": {"outcome": "declined"},
    "POST /api/v1/employment/members/{member_id}/follow-ups/{follow_up_id}": {
        "done_on": "2025-06-01",
        "method": "phone",
        "still_employed": True,
    },
    "POST /api/v1/employment/units/{unit_id}/enterprises": {
        "name": "路由测试企业",
        "credit_code": "91530113000000001X",
        "work_location": "乡镇内",
    },
    "POST /api/v1/employment/enterprises/{enterprise_id}/postings": {
        "title": "普工",
        "job_type": "factory",
        "headcount": 5,
        "wage_min": 3000,
        "wage_max": 4000,
        "work_location": "县外省内",
        "deadline": "2099-12-31",
    },
    "POST /api/v1/employment/enterprises/{enterprise_id}/courses": {
        "name": "订单班",
        "job_type": "electronics",
        "committed_hires": 10,
        "starts_on": "2099-01-01",
        "ends_on": "2099-01-31",
        "sessions": 10,
    },
    "POST /api/v1/employment/units/{unit_id}/fairs": {"name": "专场招聘会", "held_on": "2026-03-01"},
    "POST /api/v1/employment/fairs/{fair_id}/enterprises/{enterprise_id}": {"posts": 10},
    "POST /api/v1/employment/fairs/{fair_id}/attendees/{member_id}": {"outcome": "attended"},
    "POST /api/v1/employment/courses/{course_id}/attendance": {"day": "2026-01-01", "member_ids": []},
    "POST /api/v1/employment/courses/{course_id}/enrolments/{member_id}/hire": {"started_on": "2026-01-01"},
    "POST /api/v1/employment/units/{unit_id}/transport/{enterprise_id}": {
        "departs_on": "2026-03-01",
        "vehicle": "云A12345",
    },
    "POST /api/v1/employment/transport/{batch_id}/passengers": {"member_ids": []},
    "POST /api/v1/employment/transport/{batch_id}/arrival": {"arrived_on": "2026-03-02", "member_ids": []},
    "POST /api/v1/employment/units/{unit_id}/exports": {"what": "postings"},
    **CARE_BODIES,
}
MISSING_ID = 987654321


def exercised(route: Route) -> bool:
    rule = rule_for(route)
    if rule is None or rule.access == Access.STAFF:
        return route.key == "admin:index"
    return True


EXERCISED = [route for route in all_routes() if exercised(route)]


def test_every_route_of_the_project_has_an_access_rule(db: None) -> None:
    assert routes_without_rule() == []


@pytest.mark.urls("lianbang.accounts.tests.unruled_urls")
def test_a_new_route_without_a_rule_fails_the_check(db: None) -> None:
    missing = routes_without_rule("lianbang.accounts.tests.unruled_urls")
    assert {"forgotten", "GET /extra-api/ping"} <= set(missing)
    assert all(key == "forgotten" or "extra-api" in key for key in missing)


def test_api_operations_are_checked_one_by_one_per_method() -> None:
    keys = {route.key for route in all_routes()}
    assert (
        "POST /api/v1/households/{household_id}/reveal" in keys
        and "GET /api/v1/households/{household_id}" in keys
    )


def test_every_route_parameter_has_a_value_in_this_test() -> None:
    known = {
        "unit_id",
        "household_id",
        "job_id",
        "member_id",
        "code",
        "path",
        "case_id",
        "matter_id",
        "notification_id",
        "building_id",
        *ROUTE_PARAMETERS,
        *care_routes.PARAMETERS,
    }
    unknown = {p for route in EXERCISED for p in route.parameters} - known
    assert unknown == set(), "give the route test in- and out-of-scope values for these parameters"


@pytest.mark.parametrize("route", EXERCISED, ids=lambda r: r.key)
def test_each_role_is_allowed_in_scope_and_refused_outside(route: Route, cast: Cast) -> None:
    rule = rule_for(route)
    assert rule is not None
    if route.key.startswith(CASE_ROUTES):
        _matters_of(cast)
    problems = [problem for role in ROLES for problem in _check(route, rule, role, cast)]
    assert problems == []


def _check(route: Route, rule: RouteRule, role: str | None, cast: Cast) -> list[str]:
    client = Client()
    if role is not None:
        client.force_login(cast.user(role))
    allowed = role is not None and (rule.access == Access.LOGIN or rule.permission in permissions_of([role]))
    label = f"{route.key} as {role or 'anonymous'}"
    if rule.access == Access.PUBLIC:
        return _expect(label, _call(client, route, rule, cast, role, True), "any")
    if role is None:
        return _expect(label, _call(client, route, rule, cast, role, True), "login")
    if rule.access == Access.LOGIN and (not route.parameters or rule.scope == Scope.NONE):
        return _expect(label, _call(client, route, rule, cast, role, True), "allow")
    if rule.access == Access.STAFF:
        staff = cast.user(role).is_staff
        return _expect(label, _call(client, route, rule, cast, role, True), "allow" if staff else "login")
    if rule.scope == Scope.LIST:
        return _check_list(label, _call(client, route, rule, cast, role, True), cast, role, allowed)
    if not route.parameters:
        return _expect(label, _call(client, route, rule, cast, role, True), "allow" if allowed else "deny")
    inside = _call(client, route, rule, cast, role, True)
    outside = _call(client, route, rule, cast, role, False)
    missing = _call(client, route, rule, cast, role, None)
    # Without the permission at all, 403 or 404 alike; with it, out of scope is a plain 404.
    problems = _expect(label + " (in scope)", inside, "allow" if allowed else "deny")
    problems += _expect(label + " (out of scope)", outside, "404" if allowed else "deny")
    if outside.status_code != missing.status_code:
        problems.append(
            f"{label}: out of scope answers {outside.status_code}, a missing id {missing.status_code}"
        )
    return problems


def _call(
    client: Client, route: Route, rule: RouteRule, cast: Cast, role: str | None, inside: bool | None
) -> HttpResponse:
    url = "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str(_value(m.group(1), cast, role, inside)), route.route
    )
    method = route.method or rule.method
    if method == "GET":
        return client.get(url)  # type: ignore[return-value]
    body = API_BODIES.get(route.key, {})
    body = body(cast) if callable(body) else body
    if route.method:
        return client.generic(method, url, json.dumps(body), content_type="application/json")  # type: ignore[return-value]
    return client.post(url, body)  # type: ignore[return-value]


def _value(parameter: str, cast: Cast, role: str | None, inside: bool | None) -> int | str:
    if parameter == "code":  # a manual label: scope is the household's
        return "left_behind_child"
    if parameter == "path":  # a Vue app's own route: the page is the same for every path
        return "households/1"
    if parameter in care_routes.PARAMETERS:  # care records and policies
        return care_routes.route_value(parameter, cast, role or Role.DISTRICT_ADMIN, inside)
    if inside is None:
        return MISSING_ID
    key = role or Role.DISTRICT_ADMIN
    if parameter == "member_id":
        household = cast.home if inside else cast.out_household(key)
        return _member_of(household).pk
    if parameter in ("case_id", "matter_id"):
        household = cast.home if inside else cast.out_household(key)
        return _matters_of(cast)[household.pk][parameter].pk
    if parameter == "notification_id":
        owner = cast.user(key) if inside else make_user(f"reader{Notification.objects.count()}")
        return _notification(owner, _matters_of(cast)[cast.home.pk]["case_id"]).pk
    if parameter in ROUTE_PARAMETERS:
        household = cast.home if inside else cast.out_household(key)
        unit = cast.in_unit(key) if inside else cast.out_unit(key)
        return route_object(parameter, unit, _member_of(household)).pk
    if parameter == "job_id":
        return _job(cast.user(key) if inside else make_user(f"stranger{Job.objects.count()}")).pk
    if parameter == "unit_id":
        return (cast.in_unit(key) if inside else cast.out_unit(key)).pk
    if parameter == "building_id":  # the neighbour shares the home's building: use the far one
        outside = cast.out_household(key) if cast.out_household(key) != cast.neighbour else cast.far
        return int((cast.home if inside else outside).building_id or 0)
    return (cast.home if inside else cast.out_household(key)).pk


CASE_ROUTES = tuple(
    f"{method} /api/v1/{path}"
    for method in ("GET", "POST", "PUT")
    for path in ("alerts", "cases", "matters", "households/{household_id}/cases", "inbox", "publicity")
)


def _report(household: Household) -> dict[str, Any]:
    return {"household_id": household.pk, "risk_type": "illness", "level": "yellow", "channel": "grid_worker"}


def _request(household: Household) -> dict[str, Any]:
    return {
        "kind": "resident_request",
        "household_id": household.pk,
        "requester_name": "路由",
        "content": "测试",
    }


def _matters_of(cast: Cast) -> dict[int, dict[str, Case]]:
    """A risk case (from a grid worker's report) and a resident request for each household of
    the cast, made once: household id → {"case_id": case, "matter_id": matter}."""
    made: dict[int, dict[str, Case]] = getattr(cast, "_matters", {})
    if made:
        return made
    households = [cast.home, cast.neighbour, cast.far, cast.elsewhere]
    for household in households:
        alert_raise(household=household, risk_type="illness", level="red", channel="grid_worker", actor=None)
    cases_open_pending(household_ids=[h.pk for h in households], force=True)
    for household in households:
        made[household.pk] = {
            "case_id": Case.objects.get(household=household, kind="risk", closed_at__isnull=True),
            "matter_id": request_register(
                actor=None, requester_name="居民", content="诉求", household=household
            ),
        }
    cast._matters = made  # type: ignore[attr-defined]
    return made


def _notification(owner: User, case: Case) -> Notification:
    return Notification.objects.create(
        user=owner,
        kind="assigned",
        case=case,
        message="路由测试",
        message_en="route test",
        created_at=timezone.now(),
    )


def _member_of(household: Any) -> Member:
    member = household.members.first()
    if member is None:  # the cast's households have no members: give them one
        member = Member.objects.create(
            household=household,
            id_number=f"53011319800101{household.pk:04d}"[:18],
            name="路由测试",
            sex="M",
            birth_date=date(1980, 1, 1),
            relation="head",
            education="junior",
            labor_skill="ordinary",
            region_code="530113",
        )
    return member


def _job(owner: User) -> Job:
    """A running import preview with both files present: every job page has something to show."""
    report = Path(tempfile.mkdtemp()) / "report.xlsx"
    report.write_bytes(b"x")
    return Job.objects.create(
        kind="import_households",
        status=Job.Status.RUNNING,
        created_by=owner,
        params={"dry_run": True},
        result_path=str(report),
        error_path=str(report),
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def _expect(label: str, response: HttpResponse, outcome: str) -> list[str]:
    status = response.status_code
    to_login = status == 401 or (status == 302 and "/login/" in response.get("Location", ""))
    ok = {
        "any": status < 500,
        "allow": status < 500 and status not in (401, 403, 404, 405) and not to_login,
        "deny": status in (403, 404),
        "404": status == 404,
        "login": to_login,
    }[outcome]
    return [] if ok else [f"{label}: expected {outcome}, got {status} {response.get('Location', '')}"]


def _check_list(label: str, response: HttpResponse, cast: Cast, role: str | None, allowed: bool) -> list[str]:
    problems = _expect(label, response, "allow")
    body: Any = response.getvalue().decode()  # a list may be streamed (the sync pull)
    key = role or Role.DISTRICT_ADMIN
    if allowed and cast.home.household_no not in body:
        problems.append(f"{label}: the in-scope household is missing from the list")
    if cast.out_household(key).household_no in body:
        problems.append(f"{label}: the out-of-scope household is listed")
    return problems
