from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.registry.export import household_to_document
from lianbang.registry.models import Change, Event, Household, Income, Member
from lianbang.registry.services import household_save_document

TODAY = date(2026, 11, 29)


def save(document: dict[str, Any]) -> Any:
    return household_save_document(data=document, today=TODAY)


def refused(document: dict[str, Any]) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        save(document)
    return caught.value


def test_it_creates_a_household_from_the_interchange_document(tree: Tree, document: dict) -> None:
    result = save(document)
    household = Household.objects.get(household_no="530113-000001")
    assert result.outcome == "created"
    assert (household.category, household.building, household.entrance, household.room) == (
        "lifted_out",
        tree.building,
        "2",
        "302",
    )
    head = household.members.get(relation="head")
    assert (head.name, head.sex, head.birth_date) == ("张三", "M", date(1980, 1, 1))
    assert (head.work_location, head.monthly_wage) == ("in_province", Decimal("3500.00"))
    assert household.members.get(name="张小明").schooling == "junior"
    assert household.incomes.get(year=2025).net_income == Decimal("44100.00")
    assert household.events.get().type == "job_loss"


def test_saving_the_same_document_again_changes_nothing(tree: Tree, document: dict) -> None:
    save(document)
    changes_before = Change.objects.count()
    result = save(document)
    assert result.outcome == "unchanged"
    assert Change.objects.count() == changes_before
    assert (Member.objects.count(), Income.objects.count(), Event.objects.count()) == (3, 1, 1)
    assert Household.objects.get().version == 1


def test_it_updates_by_household_number_and_keeps_old_and_new(tree: Tree, document: dict) -> None:
    save(document)
    document["members"][0]["employment"]["monthly_wage"] = 4200
    document["water_safe"] = False
    assert save(document).outcome == "updated"
    household = Household.objects.get()
    assert household.version == 2
    member_change = Change.objects.get(entity="member", action="update")
    assert member_change.changes == {"monthly_wage": ["3500.00", "4200.00"]}
    household_change = Change.objects.get(entity="household", action="update")
    assert household_change.changes == {"water_safe": [True, False]}


def test_it_accepts_chinese_variants_and_full_width_input(tree: Tree, document: dict) -> None:
    document["category"] = "一般户"
    document["members"][0]["id_number"] = "５３０１１３１９８００１０１００１４"
    document["members"][0]["employment"]["location"] = "乡（镇）内"
    document["events"][0]["id_number"] = "530113198001010014"
    save(document)
    head = Member.objects.get(relation="head")
    assert (head.id_number, head.work_location) == ("530113198001010014", "in_township")
    assert Household.objects.get().category == "ordinary"


def test_it_rejects_a_wrong_checksum_naming_member_field_and_value(tree: Tree, document: dict) -> None:
    document["members"][1]["id_number"] = "530113198503150026"
    error = refused(document)
    problem = error.problems[0]
    assert problem.path == "members[1].id_number"
    assert "李梅" in problem.message and "530113198503150026" in problem.message
    assert "校验位错误" in problem.message and "check character" in problem.message_en
    assert not Household.objects.exists() and not Member.objects.exists()


def test_it_rejects_two_heads(tree: Tree, document: dict) -> None:
    document["members"][2]["relation"] = "户主"
    error = refused(document)
    assert [p.path for p in error.problems] == ["members[2].relation"]
    assert "只能有一名户主" in error.problems[0].message
    assert not Household.objects.exists()


def test_it_rejects_a_household_without_a_head(tree: Tree, document: dict) -> None:
    document["members"][0]["relation"] = "之子"
    assert "0名" in refused(document).problems[0].message


def test_it_rejects_a_spouse_of_the_same_sex(tree: Tree, document: dict) -> None:
    document["members"][1]["id_number"] = "530113198503150033"  # odd sequence: male
    document["members"][1]["id_number"] = _with_check("53011319850315003")
    error = refused(document)
    assert error.problems[0].path == "members[1].relation"
    assert "性别相同" in error.problems[0].message


def test_it_rejects_a_birth_date_that_contradicts_the_id(tree: Tree, document: dict) -> None:
    document["members"][0]["birth_date"] = "1980-02-01"
    error = refused(document)
    assert error.problems[0].path == "members[0].birth_date"
    assert "1980-01-01" in error.problems[0].message


def test_it_rejects_a_sex_that_contradicts_the_id(tree: Tree, document: dict) -> None:
    document["members"][0]["sex"] = "女"
    assert refused(document).problems[0].path == "members[0].sex"


def test_it_rejects_the_same_id_twice_in_one_household(tree: Tree, document: dict) -> None:
    document["members"][2]["id_number"] = document["members"][1]["id_number"]
    document["members"][2]["relation"] = "之女"
    assert refused(document).problems[0].path == "members[2].id_number"


def test_it_rejects_a_person_already_active_in_another_household(tree: Tree, document: dict) -> None:
    save(document)
    other = {
        **document,
        "household_no": "530113-000002",
        "address": {"building": "7", "unit": "1", "floor": 1, "room": "101"},
        "members": [document["members"][0]],
        "events": [],
    }
    error = refused(other)
    assert error.code == "duplicate_id"
    assert "530113-000001" in error.problems[0].message
    assert Household.objects.count() == 1


def test_it_lists_every_problem_at_once(tree: Tree, document: dict) -> None:
    document["phone"] = "12345"
    document["members"][0]["labor_skill"] = "很能干"
    document["incomes"][0]["wage"] = "abc"
    paths = {p.path for p in refused(document).problems}
    assert paths == {"phone", "members[0].labor_skill", "incomes[0].wage"}


def test_work_place_and_start_date_go_together(tree: Tree, document: dict) -> None:
    del document["members"][0]["employment"]["since"]
    assert refused(document).problems[0].path == "members[0].employment.since"


def test_education_and_schooling_are_exclusive(tree: Tree, document: dict) -> None:
    document["members"][2]["education"] = "小学"
    assert refused(document).problems[0].path == "members[2].education"


def test_it_warns_about_suspicious_but_allowed_values(tree: Tree, document: dict) -> None:
    document["incomes"][0]["wage"] = 80
    document["members"][1]["labor_skill"] = "无劳动力"
    warnings = {w.path for w in save(document).warnings}
    assert warnings == {"incomes[0].wage", "members[1].labor_skill"}


def test_a_new_household_needs_a_place(tree: Tree, document: dict) -> None:
    del document["address"]
    assert refused(document).problems[0].path == "address.building"


def test_an_unknown_building_is_named(tree: Tree, document: dict) -> None:
    document["address"]["building"] = "99"
    assert "99" in refused(document).problems[0].message


def test_a_grid_places_the_household_in_its_floor_group(tree: Tree, document: dict) -> None:
    document["grid"] = "G-0001"
    save(document)
    household = Household.objects.get()
    assert (household.grid, household.unit) == (tree.grid, tree.floor_group)


def test_english_messages_are_available(tree: Tree, document: dict) -> None:
    document["members"][0]["labor_skill"] = "很能干"
    error = refused(document)
    assert "not one of the allowed values" in error.problems[0].message_en
    assert error.as_dict()["fields"]["members[0].labor_skill"]["value"] == "很能干"


def _with_check(first17: str) -> str:
    from lianbang.common.validators import id_check_char

    return first17 + id_check_char(first17)


def test_a_household_read_out_as_a_document_saves_back_unchanged(tree: Tree, document: dict) -> None:
    household = save(document).household
    exported = household_to_document(household)
    assert exported["members"][0]["relation"] == "户主"
    assert exported["members"][0]["employment"]["location"] == "县外省内"
    assert exported["incomes"][0]["property"] == "300.00"
    assert save(exported).outcome == "unchanged"


@pytest.mark.parametrize("wage", [1e26, "1e30", "99999999999.99", -5])
def test_an_absurd_amount_is_refused_with_the_field_named(tree: Tree, document: dict, wage: Any) -> None:
    document["members"][0]["employment"]["monthly_wage"] = wage
    assert refused(document).problems[0].path == "members[0].employment.monthly_wage"
