"""Administration endpoints: grants inside the caller's units, rule drafts edited, validated and
activated, monitoring lines and deadlines; every write audited, every refusal changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from lianbang.accounts.models import Assignment, Role
from lianbang.accounts.tests.cast import Cast, logged_in, make_user
from lianbang.accounts.tests.cast import cast as cast  # the fixture, re-exported
from lianbang.accounts.tests.cast import fast_passwords as fast_passwords
from lianbang.audit.models import AuditEntry
from lianbang.cases.conf import workflow_settings
from lianbang.monitoring.models import MonitoringLine, RuleSet

WATER = {"fact": "water_safe", "op": "=", "value": False}


def _post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(f"/api/v1{path}", body, content_type="application/json")


def test_a_district_admin_lists_the_accounts_of_their_units_only(cast: Cast) -> None:
    make_user("stranger", Role.GRID_WORKER, cast.district2)
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    body = client.get("/api/v1/admin/users").json()

    names = {u["username"] for u in body["items"]}
    assert "gridworker" in names and "stranger" not in names
    grid = next(u for u in body["items"] if u["username"] == "gridworker")
    assert grid["grants"][0]["role_label"] == "网格员"
    assert any(r["code"] == "system_admin" for r in body["roles"])


def test_a_grant_is_given_within_scope_and_audited(cast: Cast) -> None:
    newcomer = make_user("newcomer")
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    response = _post(
        client, "/admin/grants", {"username": "newcomer", "unit_id": cast.tree.area.pk, "role": "area_leader"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["grants"][0]["unit_name"] == cast.tree.area.name
    assert Assignment.objects.filter(user=newcomer, role="area_leader").exists()
    assert AuditEntry.objects.filter(action="grant_create").count() == 1


def test_no_one_grants_outside_their_units_or_more_than_they_hold(cast: Cast) -> None:
    make_user("newcomer")
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    outside = _post(
        client, "/admin/grants", {"username": "newcomer", "unit_id": cast.district2.pk, "role": "grid_worker"}
    )
    higher = _post(
        client,
        "/admin/grants",
        {"username": "newcomer", "unit_id": cast.tree.area.pk, "role": "system_admin"},
    )

    assert outside.status_code == 400 and "unit_id" in outside.json()["fields"]
    assert higher.status_code == 400 and "config.manage" in higher.json()["message"]
    assert not Assignment.objects.filter(user__username="newcomer").exists()
    assert not AuditEntry.objects.filter(action="grant_create").exists()


def test_a_grant_is_revoked_and_audited(cast: Cast) -> None:
    grant = Assignment.objects.get(user=cast.user(Role.GRID_WORKER))
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    response = _post(client, "/admin/grants/revoke", {"grant_id": grant.pk})

    assert response.status_code == 200 and response.json()["grants"] == []
    assert not Assignment.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action="grant_revoke").count() == 1


def test_community_officials_may_not_manage_accounts_or_rules(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))

    assert client.get("/api/v1/admin/users").status_code == 403
    assert client.get("/api/v1/admin/rule-sets").status_code == 403
    assert _post(client, "/admin/rule-sets", {}).status_code == 403


def test_a_draft_is_edited_refused_when_invalid_and_activated(cast: Cast) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))
    active = RuleSet.objects.get(status="active")

    draft = _post(client, "/admin/rule-sets", {"name": "饮水试行"}).json()
    bad = _post(
        client,
        "/admin/rules",
        {
            "version": draft["version"],
            "code": "W1",
            "color": "red",
            "name": "饮水",
            "condition": {"fact": "nope", "op": "=", "value": 1},
        },
    )
    good = _post(
        client,
        "/admin/rules",
        {
            "version": draft["version"],
            "code": "W1",
            "color": "yellow",
            "name": "饮水不安全",
            "reason": "饮水不安全",
            "condition": WATER,
        },
    )
    old = _post(
        client,
        "/admin/rules",
        {"version": active.version, "code": "W1", "color": "red", "name": "x", "condition": WATER},
    )
    switched = _post(client, "/admin/rule-sets/activate", {"version": draft["version"]})

    assert draft["status"] == "draft" and len(draft["rules"]) == active.rules.count()
    assert bad.status_code == 400 and "condition" in next(iter(bad.json()["fields"]))
    assert good.status_code == 200 and any(r["code"] == "W1" for r in good.json()["rules"])
    assert old.status_code == 400  # only drafts change
    assert switched.status_code == 200, switched.content
    assert RuleSet.objects.get(status="active").version == draft["version"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"rule_set_draft", "rule_save", "rule_set_activate"} <= actions


def test_the_rule_editor_gets_the_facts_with_their_values(cast: Cast) -> None:
    facts = logged_in(cast.user(Role.SYSTEM_ADMIN)).get("/api/v1/admin/facts").json()

    health = next(f for f in facts if f["name"] == "health")
    assert health["scope"] == "member" and health["type"] == "text" and health["choices"]
    assert next(f for f in facts if f["name"] == "water_safe")["type"] == "bool"


def test_lines_and_deadlines_are_set_checked_and_audited(cast: Cast) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))

    line = _post(client, "/admin/lines", {"region_prefix": "5301", "year": 2027, "amount": "7800"}, "put")
    short = _post(client, "/admin/settings/workflow", {"changes": {"publicity_days": 3}}, "put")
    longer = _post(
        client, "/admin/settings/workflow", {"changes": {"publicity_days": 7, "red_visit_hours": 12}}, "put"
    )

    assert line.status_code == 200
    assert MonitoringLine.objects.get(region_prefix="5301", year=2027).amount == 7800
    assert short.status_code == 400 and "changes.publicity_days" in short.json()["fields"]
    assert longer.status_code == 200
    assert workflow_settings().publicity_days == 7 and workflow_settings().red_visit_hours == 12
    deadlines = {d["name"]: d["value"] for d in longer.json()["deadlines"]}
    assert deadlines["publicity_days"] == 7
    assert {"monitoring_line", "workflow_settings"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
