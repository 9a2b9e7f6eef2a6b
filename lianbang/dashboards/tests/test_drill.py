"""提户知人 → 提人知事 → 提事知情: a person's page and a matter's situation, scoped and masked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lianbang.accounts.models import Role
from lianbang.cases.models import Case, CaseEvent
from lianbang.cases.services.matters import request_register
from lianbang.dashboards.tests.conftest import client_for
from lianbang.monitoring.models import Rule
from lianbang.org.models import Unit
from lianbang.org.services import unit_create

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:400]
    return response.json()


def _red_case() -> Case:
    case = Case.objects.filter(kind="risk", level="red", closed_at__isnull=True).order_by("pk").first()
    assert case is not None and case.household is not None
    return case


def test_a_person_page_shows_them_masked_with_their_households_matters(district: Unit) -> None:
    case = _red_case()
    household = case.household
    assert household is not None
    member = household.members.order_by("pk").first()
    assert member is not None
    other = household.members.exclude(pk=member.pk).first()
    officer = client_for(Role.COMMUNITY_OFFICIAL, Unit.objects.get(level=Unit.Level.COMMUNITY))
    body = _get(officer, f"/api/v1/members/{member.pk}")
    assert body["household"]["id"] == household.pk and body["household"]["light"] == "red"
    assert body["id_number"] != member.id_number and body["id_number"].endswith(member.id_number[-4:])
    matters = {m["id"]: m["concerns"] for m in body["matters"]}
    assert matters[case.pk] == "household"
    assert body["label_groups"] == _get(officer, f"/api/v1/households/{household.pk}/file")["label_groups"]
    if other is not None:
        asked = request_register(
            household=household,
            requester_name=other.name,
            content="想在小区就近务工",
            actor=None,
        )
        mine = {m["id"] for m in _get(officer, f"/api/v1/members/{member.pk}")["matters"]}
        theirs = {m["id"]: m["concerns"] for m in _get(officer, f"/api/v1/members/{other.pk}")["matters"]}
        assert asked.pk not in mine and theirs[asked.pk] == "person"


def test_a_matters_situation_gives_the_rules_with_reasons_history_and_timeline(district: Unit) -> None:
    case = _red_case()
    assert case.household is not None
    officer = client_for(Role.COMMUNITY_OFFICIAL, Unit.objects.get(level=Unit.Level.COMMUNITY))
    body = _get(officer, f"/api/v1/cases/{case.pk}/situation")
    assert body["case"]["id"] == case.pk
    fired = set(case.household.light.rules)
    shown = {r["code"]: r for r in body["rules"]}
    assert fired <= set(shown)
    for code in fired:
        rule = Rule.objects.get(rule_set__status="active", code=code)
        assert shown[code]["reason"] == rule.reason and shown[code]["fires_now"]
    assert any(r["raised_the_matter"] for r in body["rules"])
    assert body["light_history"][0]["to_color"] == "red"
    assert body["timeline"] and body["timeline"][0]["type"]
    assert {f["key"] for f in body["facts"]} >= {"per_capita", "monitoring_line", "housing_safe"}


def test_a_person_or_matter_outside_the_callers_scope_is_404(district: Unit) -> None:
    case = _red_case()
    assert case.household is not None
    member = case.household.members.order_by("pk").first()
    assert member is not None
    community = Unit.objects.get(level=Unit.Level.COMMUNITY)
    outsider = client_for(
        Role.COMMUNITY_OFFICIAL, unit_create(level=3, name="另一社区", parent=community.parent)
    )
    assert _get(outsider, f"/api/v1/members/{member.pk}", 404)["code"] == "not_found"
    assert _get(outsider, f"/api/v1/cases/{case.pk}/situation", 404)["code"] == "not_found"
    assert _get(outsider, "/api/v1/members/987654321", 404)["code"] == "not_found"


def test_the_situation_timeline_is_the_case_timeline_ties_by_id(district: Unit) -> None:
    case = _red_case()
    first = case.events.order_by("at", "pk").first()
    assert first is not None
    top = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # two events at one moment, the later id written first: the order must not follow the write
    for pk in (top + 20, top + 10):
        CaseEvent.objects.create(
            pk=pk, case=case, type=first.type, at=first.at, region_code=first.region_code, payload={}
        )
    officer = client_for(Role.COMMUNITY_OFFICIAL, Unit.objects.get(level=Unit.Level.COMMUNITY))
    shown = [e["id"] for e in _get(officer, f"/api/v1/cases/{case.pk}/situation")["timeline"]]
    assert shown == list(case.events.order_by("at", "pk").values_list("pk", flat=True))
    assert shown == [e["id"] for e in _get(officer, f"/api/v1/cases/{case.pk}")["events"]]
