from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lianbang.audit.models import AuditEntry
from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.registry.models import Change, Event, Household, Member
from lianbang.registry.services import (
    household_move_out,
    household_save_document,
    member_move,
    member_record_death,
    member_update,
    visit_record,
)

TODAY = date(2026, 11, 29)


@pytest.fixture
def household(tree: Tree, document: dict[str, Any]) -> Household:
    return household_save_document(data=document, today=TODAY).household


@pytest.fixture
def second_household(tree: Tree, document: dict[str, Any]) -> Household:
    head = {
        "id_number": "530113196002020012",
        "name": "王五",
        "relation": "户主",
        "labor_skill": "普通劳动力",
        "education": "小学",
        "medical_insurance": True,
    }
    other = {
        "household_no": "530113-000002",
        "category": "脱贫户",
        "address": {"building": "7", "unit": "1", "floor": 1, "room": "101"},
        "members": [head],
    }
    return household_save_document(data=other, today=TODAY).household


def test_moving_a_member_keeps_the_history_in_both_households(
    household: Household, second_household: Household
) -> None:
    son = household.members.get(name="张小明")
    member_move(member=son, to_household=second_household, relation="grandson", reason="随祖父生活")
    son.refresh_from_db()
    assert (son.household, son.relation) == (second_household, "grandson")
    for side in (household, second_household):
        change = Change.objects.get(household=side, action="move")
        assert change.changes["household"] == ["530113-000001", "530113-000002"]
        assert change.reason == "随祖父生活"


def test_the_head_cannot_move_away_without_a_new_head(
    household: Household, second_household: Household
) -> None:
    with pytest.raises(ApplicationError):
        member_move(
            member=household.members.get(relation="head"), to_household=second_household, relation="son"
        )
    assert household.members.filter(relation="head").count() == 1


def test_a_spouse_cannot_join_a_household_whose_head_has_the_same_sex(
    household: Household, second_household: Household
) -> None:
    son = household.members.get(name="张小明")
    with pytest.raises(ApplicationError):
        member_move(member=son, to_household=second_household, relation="spouse")
    son.refresh_from_db()
    assert son.household == household


def test_a_death_keeps_the_member_on_file_with_an_event(household: Household) -> None:
    son = household.members.get(name="张小明")
    member_record_death(member=son, died_on=date(2026, 11, 1))
    son.refresh_from_db()
    assert (son.status, son.status_date) == ("deceased", date(2026, 11, 1))
    assert Event.objects.filter(member=son, type="death", date=date(2026, 11, 1)).exists()
    assert Change.objects.filter(member=son, action="death").exists()


def test_when_the_head_dies_another_member_must_become_head(household: Household) -> None:
    head = household.members.get(relation="head")
    with pytest.raises(ApplicationError):
        member_record_death(member=head, died_on=date(2026, 11, 1))
    spouse = household.members.get(relation="spouse")
    member_record_death(member=head, died_on=date(2026, 11, 1), new_head=spouse)
    spouse.refresh_from_db()
    assert spouse.relation == "head"
    assert household.members.filter(status="active", relation="head").get() == spouse


def test_moving_out_frees_the_id_numbers_and_keeps_the_records(
    household: Household, document: dict[str, Any]
) -> None:
    household_move_out(household=household, moved_on=date(2026, 11, 20), reason="投亲")
    household.refresh_from_db()
    assert household.status == "moved_out"
    assert set(household.members.values_list("status", flat=True)) == {"moved_out"}
    again = {
        **document,
        "household_no": "530113-000009",
        "address": {"building": "7", "unit": "1", "floor": 2, "room": "201"},
    }
    household_save_document(data=again, today=TODAY)
    assert Member.objects.filter(id_number="530113198001010014").count() == 2


def test_load_commits_good_households_and_reports_every_bad_one(
    tree: Tree, document: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    bad = json.loads(json.dumps(document))
    bad["household_no"] = "530113-000002"
    bad["address"]["room"] = "303"
    bad["members"][1]["id_number"] = "530113198503150026"
    path = tmp_path / "households.json"
    path.write_text(json.dumps([document, bad], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load", str(path))
    output = capsys.readouterr()
    assert "530113-000002" in output.err and "members[1].id_number" in output.err
    assert "created 1" in output.out
    assert list(Household.objects.values_list("household_no", flat=True)) == ["530113-000001"]


def test_load_twice_changes_nothing(
    tree: Tree, document: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([document], ensure_ascii=False), encoding="utf-8")
    call_command("load", str(path))
    call_command("load", str(path))
    assert "unchanged 1" in capsys.readouterr().out


def test_load_names_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load", str(path))


def test_a_visit_is_recorded_and_a_future_one_refused(household: Household) -> None:
    when = timezone.now() - timedelta(hours=2)
    visit = visit_record(household=household, visitor=None, visited_at=when, notes="一切正常")
    assert household.visits.get() == visit
    entry = AuditEntry.objects.get(object_type="registry.visit", object_id=str(visit.pk))
    assert (entry.action, entry.changes["household"]) == ("create", household.household_no)
    with pytest.raises(ApplicationError) as caught:
        visit_record(household=household, visitor=None, visited_at=timezone.now() + timedelta(days=1))
    assert caught.value.problems[0].path == "visited_at"
    assert AuditEntry.objects.filter(object_type="registry.visit").count() == 1


def test_a_member_edit_keeps_old_and_new_and_bumps_versions(household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    member_update(member=spouse, changes={"health": "长期慢性病"}, expected_version=1)
    spouse.refresh_from_db()
    household.refresh_from_db()
    assert (spouse.health, spouse.version, household.version) == ("chronic", 2, 2)
    change = Change.objects.get(member=spouse, action="update")
    assert change.changes == {"health": ["healthy", "chronic"]}


def test_a_member_edit_based_on_an_old_version_is_a_conflict(household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    member_update(member=spouse, changes={"health": "长期慢性病"})
    with pytest.raises(ApplicationError) as caught:
        member_update(member=spouse, changes={"health": "健康"}, expected_version=1)
    assert (caught.value.status, caught.value.code) == (409, "conflict")
    spouse.refresh_from_db()
    assert spouse.health == "chronic"


def test_a_bad_member_edit_names_the_field_and_saves_nothing(household: Household) -> None:
    spouse = household.members.get(relation="spouse")
    with pytest.raises(ApplicationError) as caught:
        member_update(member=spouse, changes={"labor_skill": "很强"})
    assert caught.value.problems[0].path == "member.labor_skill"
    spouse.refresh_from_db()
    assert spouse.labor_skill == "ordinary" and spouse.version == 1


def test_a_member_edit_re_judges_the_household_light(household: Household) -> None:
    from lianbang.monitoring.models import HouseholdLight

    son = household.members.get(name="张小明")
    member_update(member=son, changes={"medical_insurance": False})
    light = HouseholdLight.objects.get(household=household)
    assert light.color == "red" and "R_BOTTOM_LINE" in light.rules
