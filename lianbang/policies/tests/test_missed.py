"""Missed entitlements: a household that qualifies for 残疾人两项补贴 and does not receive it is on
its unit's list until it receives it (by the registry's benefit flag or a receipt record)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.care.tests.people import household, person
from lianbang.policies import eligibility
from lianbang.policies.models import Policy
from lianbang.registry.models import Household, Member
from lianbang.registry.services import member_update

JSON = "application/json"


def _disabled_family(
    number: str = "530113-000301", grid: str = "G-0001", room: str = "403", id17: str = "53011319700505001"
) -> Household:
    """One member with a grade-1 physical disability: 重度残疾人护理补贴 applies."""
    return household(
        number,
        grid,
        room,
        [
            person(
                id17,
                "周建国",
                health="残疾",
                disability_type="肢体",
                disability_grade=1,
                labor_skill="丧失劳动力",
            )
        ],
    )


def _missed(cast: Cast, role: str = Role.COMMUNITY_OFFICIAL, **query: Any) -> dict[str, Any]:
    params = "&".join(f"{k}={v}" for k, v in {"unit": cast.tree.community.pk, **query}.items())
    response = logged_in(cast.user(role)).get(f"/api/v1/policies/missed?{params}")
    assert response.status_code == 200, response.content
    return response.json()


def _pairs(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(row["household_no"], row["policy"]["code"]) for row in body["items"]}


def test_a_household_that_qualifies_without_receiving_is_on_the_missed_list(cast: Cast) -> None:
    disabled = _disabled_family()
    body = _missed(cast, policy="disability_subsidy")
    assert _pairs(body) == {(disabled.household_no, "disability_subsidy")}
    assert body["by_policy"] == [{"code": "disability_subsidy", "name": "残疾人两项补贴", "count": 1}]
    mine = logged_in(cast.user(Role.GRID_WORKER)).get(f"/api/v1/households/{disabled.pk}/policies").json()
    standing = {row["policy"]["code"]: row for row in mine["items"]}["disability_subsidy"]
    assert standing == {
        "policy": standing["policy"],
        "eligible": True,
        "receives": False,
        "received_by": [],
        "missed": True,
    }


def test_it_disappears_once_the_registry_records_the_subsidy(cast: Cast) -> None:
    disabled = _disabled_family()
    member = Member.objects.get(household=disabled)
    member_update(member=member, changes={"disability_subsidy": True})
    assert _pairs(_missed(cast, policy="disability_subsidy")) == set()
    mine = logged_in(cast.user(Role.GRID_WORKER)).get(f"/api/v1/households/{disabled.pk}/policies").json()
    standing = {row["policy"]["code"]: row for row in mine["items"]}["disability_subsidy"]
    assert standing["receives"] is True and standing["received_by"] == ["registry"]


def test_it_disappears_once_a_receipt_is_recorded_and_returns_when_it_ends(cast: Cast) -> None:
    disabled = _disabled_family()
    policy = Policy.objects.get(code="disability_subsidy")
    worker = logged_in(cast.user(Role.GRID_WORKER))
    url = f"/api/v1/households/{disabled.pk}/policies/{policy.pk}/receipts"
    recorded = worker.post(url, {"started_on": "2026-01-01", "amount": "100.00"}, content_type=JSON)
    assert recorded.status_code == 201, recorded.content
    assert _pairs(_missed(cast, policy="disability_subsidy")) == set()
    ended = worker.post(url + "/end", {"ended_on": "2026-01-31"}, content_type=JSON)
    assert ended.json() == {"ended": 1}
    assert _pairs(_missed(cast, policy="disability_subsidy")) == {
        (disabled.household_no, "disability_subsidy")
    }


def test_a_second_disabled_member_without_it_keeps_the_household_on_the_list(cast: Cast) -> None:
    disabled = _disabled_family()
    member_update(member=Member.objects.get(household=disabled), changes={"disability_subsidy": True})
    standings = eligibility.household_standings(disabled, timezone.localdate())
    assert not {s.policy.code for s in standings if s.missed} & {"disability_subsidy"}
    household(
        disabled.household_no,
        "G-0001",
        "403",
        [
            person(
                "53011319700505001",
                "周建国",
                health="残疾",
                disability_type="肢体",
                disability_grade=1,
                labor_skill="丧失劳动力",
                disability_subsidy=True,
            ),
            person(
                "53011319720606002",
                "吴芳",
                relation="配偶",
                health="残疾",
                disability_type="视力",
                disability_grade=2,
                labor_skill="丧失劳动力",
            ),
        ],
    )
    assert _pairs(_missed(cast, policy="disability_subsidy")) == {
        (disabled.household_no, "disability_subsidy")
    }


def test_the_list_is_scoped_to_the_callers_units(cast: Cast) -> None:
    _disabled_family()
    _disabled_family("530113-000302", "G-0002", "102", "53011319700505011")  # under the second street
    street_official = _missed(
        cast, Role.STREET_OFFICIAL, unit=cast.tree.street.pk, policy="disability_subsidy"
    )
    assert {n for n, _ in _pairs(street_official)} == {"530113-000301"}
    outside = logged_in(cast.user(Role.STREET_OFFICIAL)).get(
        f"/api/v1/policies/missed?unit={cast.street2.pk}"
    )
    assert outside.status_code == 404
    refused = logged_in(cast.user(Role.GRID_WORKER)).get("/api/v1/policies/missed")
    assert refused.status_code == 403


def test_suggestions_by_risk_type_put_the_missed_policy_first(cast: Cast) -> None:
    disabled = _disabled_family()
    client = logged_in(cast.user(Role.GRID_WORKER))
    body = client.get(f"/api/v1/policies/suggestions?risk_type=因残&household_id={disabled.pk}").json()
    assert body["risk_types"] == ["disability"]
    missed = [item["eligible"] and not item["receives"] for item in body["items"]]
    assert missed == sorted(missed, reverse=True)  # what the household misses comes first
    first = {item["policy"]["code"]: item for item in body["items"][: missed.count(True)]}
    assert "disability_subsidy" in first  # alone and severely disabled: 特困供养 applies too
    assert all("disability" in item["risk_types"] for item in body["items"])
    bad = client.get("/api/v1/policies/suggestions?risk_type=因懒")
    assert bad.status_code == 400 and "risk_type[0]" in bad.json()["fields"]


def test_a_bad_unit_and_an_unknown_policy_are_named_at_once(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    export = "/api/v1/policies/missed/export"
    for bad in (
        client.get("/api/v1/policies/missed?unit=0&policy=nope"),
        client.post(export, {"unit": "0", "policy": "nope"}, content_type=JSON),
    ):
        assert bad.status_code == 400
        assert {name: (f["message"], f["message_en"]) for name, f in bad.json()["fields"].items()} == {
            "unit": ("应为正整数编号", "must be a positive whole number"),
            "policy": ("没有该政策代码", "no policy with this code"),
        }
