"""The console's household file: members with ids for reveal, labels by category, income vs line."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from lianbang.api.tests.conftest import Caller, caller
from lianbang.conftest import Tree
from lianbang.monitoring.models import MonitoringLine
from lianbang.org.services import unit_create
from lianbang.registry.models import Household


def test_the_file_lists_masked_members_with_ids_that_reveal_one_value(
    official: Caller, household: Household
) -> None:
    client = official.client()
    file = client.get(f"/api/v1/households/{household.pk}/file").json()
    assert file["unit_id"] == household.unit_id  # the breadcrumb starts there
    head = next(m for m in file["members"] if m["relation"] == "户主")
    real = household.members.get(pk=head["id"]).id_number
    assert head["id_number"] != real and "*" in head["id_number"]
    revealed = client.post(
        f"/api/v1/households/{household.pk}/reveal",
        {"field": "id_number", "member_id": head["id"], "reason": "核对身份"},
        content_type="application/json",
    ).json()
    assert revealed["value"] == real


def test_the_file_marks_the_labour_members_whose_employment_file_it_links(
    official: Caller, household: Household
) -> None:
    file = official.client().get(f"/api/v1/households/{household.pk}/file").json()
    assert {m["relation"]: m["labour"] for m in file["members"]} == {
        "户主": True,
        "配偶": True,
        "之女": False,
    }


def test_labels_come_grouped_by_category(official: Caller, household: Household) -> None:
    official.client().post(f"/api/v1/households/{household.pk}/labels/left_behind_child")
    file = official.client().get(f"/api/v1/households/{household.pk}/file").json()
    groups = {g["category"]: [label["code"] for label in g["labels"]] for g in file["label_groups"]}
    assert any("left_behind_child" in codes for codes in groups.values())
    assert all(name for name in groups)


def test_each_years_income_stands_beside_that_years_monitoring_line(
    official: Caller, household: Household
) -> None:
    MonitoringLine.objects.update_or_create(
        region_prefix="53", year=2026, defaults={"amount": Decimal("9000")}
    )
    incomes = official.client().get(f"/api/v1/households/{household.pk}/file").json()["incomes"]
    assert [row["year"] for row in incomes] == [2025, 2026]
    assert Decimal(incomes[1]["per_capita"]) == Decimal("20000.00")
    assert Decimal(incomes[1]["monitoring_line"]) == Decimal("9000")
    assert Decimal(incomes[0]["monitoring_line"]) == Decimal("8700")


def test_a_household_outside_the_callers_scope_is_404(tree: Tree, household: Household) -> None:
    other = unit_create(level=3, name="别的社区", parent=tree.street)
    stranger = caller("community2", "community_official", other)
    response = stranger.client().get(f"/api/v1/households/{household.pk}/file")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Client().get(f"/api/v1/households/{household.pk}/file").status_code == 401
