"""Each default rule of DOMAIN §4 just inside and just outside its thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from lianbang.conftest import Tree
from lianbang.monitoring.tests.builders import D, green_family, income, light_of, member

pytestmark = pytest.mark.usefixtures("tree")


@pytest.fixture
def family() -> dict[str, Any]:
    return green_family()


def with_event(family: dict[str, Any], kind: str, day: date, who: int = 0, **more: Any) -> dict[str, Any]:
    family["events"].append(
        {"type": kind, "date": day.isoformat(), "id_number": family["members"][who]["id_number"], **more}
    )
    return family


def test_the_green_family_is_green(family: dict[str, Any]) -> None:
    assert light_of(family) == ("green", [])


@pytest.mark.parametrize(
    "day,fires",
    [
        (D, True),
        (D - timedelta(days=89), True),
        (date(2026, 9, 1), True),
        (date(2026, 8, 31), False),
        (D + timedelta(days=1), False),
    ],
)
def test_serious_illness_in_the_90_day_window_is_red(family: dict, day: date, fires: bool) -> None:
    color, rules = light_of(with_event(family, "serious_illness", day))
    assert ("R_ILLNESS" in rules) is fires
    assert color == ("red" if fires else "green")


@pytest.mark.parametrize(
    "paid,expected", [("20000", ["R_ILLNESS", "Y_EXPENSE"]), ("19999.99", ["Y_EXPENSE"]), ("4999.99", [])]
)
def test_self_paid_medical_costs(family: dict, paid: str, expected: list[str]) -> None:
    family["incomes"][1] = income(2026, 60000, medical_self_paid=paid)
    assert light_of(family)[1] == expected


def _deceased(family: dict, birth: date, died: date, **fields: Any) -> dict:
    person = member(birth, relation="之父", status="deceased", **fields)
    family["members"].append(person)
    return with_event(family, "death", died, who=len(family["members"]) - 1)


@pytest.mark.parametrize(
    "birth,fires",
    [
        (date(1962, 10, 2), True),  # 64 on the day of death
        (date(1961, 10, 1), False),  # turned 65 that day
        (date(2010, 10, 1), True),  # turned 16 that day
        (date(2010, 10, 2), False),  # 15
    ],
)
def test_death_of_a_labour_member_uses_the_age_at_death(family: dict, birth: date, fires: bool) -> None:
    schooling = {"education": "初中"}
    rules = light_of(_deceased(family, birth, date(2026, 10, 1), **schooling))[1]
    assert ("R_DEATH" in rules) is fires


def test_death_of_a_member_without_labour_capacity_is_not_red(family: dict) -> None:
    rules = light_of(_deceased(family, date(1970, 1, 1), date(2026, 10, 1), labor_skill="丧失劳动力"))[1]
    assert "R_DEATH" not in rules


@pytest.mark.parametrize("severity,fires", [("serious", True), ("minor", False)])
def test_only_a_serious_accident_is_red(family: dict, severity: str, fires: bool) -> None:
    rules = light_of(with_event(family, "accident", date(2026, 11, 1), severity=severity))[1]
    assert ("R_ACCIDENT" in rules) is fires


@pytest.mark.parametrize(
    "loss,damaged,fires", [("10000", False, True), ("9999.99", False, False), ("0", True, True)]
)
def test_disaster_with_a_large_loss_or_a_damaged_house(
    family: dict, loss: str, damaged: bool, fires: bool
) -> None:
    event = with_event(family, "disaster", date(2026, 11, 1), loss=loss, house_damaged=damaged)
    assert ("R_DISASTER" in light_of(event)[1]) is fires


@pytest.mark.parametrize("field", ["housing_safe", "water_safe"])
def test_unsafe_housing_or_water_is_red(family: dict, field: str) -> None:
    family[field] = False
    assert light_of(family) == ("red", ["R_BOTTOM_LINE"])


@pytest.mark.parametrize(
    "birth,fires",
    [
        (date(2011, 11, 30), True),  # 15, a day before 16
        (date(2010, 11, 29), False),  # 16 today
        (date(2020, 11, 29), True),  # 6 today
        (date(2020, 11, 30), False),  # 5
    ],
)
def test_a_dropout_of_compulsory_school_age_is_red(family: dict, birth: date, fires: bool) -> None:
    family["members"].append(member(birth, labor_skill="无劳动力", education=None, schooling="辍学"))
    assert ("R_BOTTOM_LINE" in light_of(family)[1]) is fires


def test_a_member_without_basic_medical_insurance_is_red(family: dict) -> None:
    family["members"][2]["medical_insurance"] = False
    assert light_of(family) == ("red", ["R_BOTTOM_LINE"])


@pytest.mark.parametrize(
    "net,expected",
    [
        ("26099.99", ("red", ["R_BELOW_LINE"])),  # 8,699.996… per head
        ("26100", ("yellow", ["Y_NEAR_LINE"])),  # exactly 8,700: at the line is not below it
        ("28709.99", ("yellow", ["Y_NEAR_LINE"])),  # just under 1.1 × 8,700 = 9,570
        ("28710", ("green", [])),  # exactly 9,570
    ],
)
def test_income_against_the_monitoring_line(family: dict, net: str, expected: tuple) -> None:
    family["incomes"] = [income(2026, net)]
    assert light_of(family) == expected


def test_the_line_of_the_latest_earlier_year_applies(family: dict) -> None:
    family["incomes"] = [income(2026, "26099.99")]
    assert light_of(family, as_of=date(2027, 3, 1))[1] == ["R_BELOW_LINE"]


def test_the_records_household_size_wins_over_the_member_count(family: dict) -> None:
    family["incomes"] = [income(2026, "34800", size=4)]  # 8,700 per head of 4, 11,600 of 3
    assert light_of(family)[1] == ["Y_NEAR_LINE"]


def test_without_a_size_the_active_members_count(family: dict) -> None:
    family["incomes"] = [{"year": 2026, "wage": "26100"}]
    assert light_of(family)[1] == ["Y_NEAR_LINE"]


@pytest.mark.parametrize("current,fires", [("48000", True), ("48000.03", False)])
def test_a_drop_of_20_percent_is_yellow(family: dict, current: str, fires: bool) -> None:
    family["incomes"] = [income(2025, "60000"), income(2026, current)]
    assert ("Y_INCOME_DROP" in light_of(family)[1]) is fires


def test_the_previous_record_must_be_the_year_before(family: dict) -> None:
    family["incomes"] = [income(2024, "60000"), income(2026, "40000")]
    assert "Y_INCOME_DROP" not in light_of(family)[1]


def test_the_current_record_is_the_latest_not_after_the_evaluation_year(family: dict) -> None:
    family["incomes"] = [income(2025, "60000"), income(2026, "20000")]
    assert light_of(family, as_of=date(2025, 12, 31))[1] == []


def test_no_income_record_gives_no_income_colour_and_the_missing_label(family: dict) -> None:
    from lianbang.monitoring.tests.builders import judged

    family["incomes"] = []
    light = judged(family)
    assert (light.color, light.rules, light.income_missing) == ("green", [], True)


def test_a_recent_job_loss_of_someone_still_out_of_work_is_yellow(family: dict) -> None:
    family["members"][1].pop("employment")
    event = with_event(family, "job_loss", date(2026, 10, 20), who=1)
    assert light_of(event) == ("yellow", ["Y_JOB_LOSS"])


def test_a_job_loss_followed_by_a_new_job_is_not_yellow(family: dict) -> None:
    event = with_event(family, "job_loss", date(2026, 10, 20), who=1)
    assert light_of(event) == ("green", [])


def test_a_zero_employment_family_is_yellow(family: dict) -> None:
    for person in family["members"][:2]:
        person.pop("employment")
    assert light_of(family)[1] == ["Y_JOB_LOSS"]


@pytest.mark.parametrize(
    "birth,labour",
    [
        (date(1962, 11, 30), True),  # 64 today
        (date(1961, 11, 29), False),  # 65 today
        (date(2010, 11, 29), True),  # 16 today
        (date(2010, 11, 30), False),  # 15
    ],
)
def test_labour_age_is_16_to_64_for_zero_employment(birth: date, labour: bool, tree: Tree) -> None:
    family = green_family()
    family["members"] = [member(birth, relation="户主")]
    family["incomes"] = [income(2026, 20000, size=1)]
    assert ("Y_JOB_LOSS" in light_of(family)[1]) is labour


def test_a_pupil_is_not_a_labour_member(family: dict) -> None:
    family["members"] = [member(date(2008, 1, 1), relation="户主", education=None, schooling="普通高中")]
    family["incomes"] = [income(2026, 20000, size=1)]
    assert light_of(family)[1] == []


@pytest.mark.parametrize(
    "medical,education,fires",
    [
        ("5000", "0", True),
        ("4999.99", "0", False),
        ("0", "10000", True),
        ("0", "9999.99", False),
    ],
)
def test_high_rigid_spending_is_yellow(family: dict, medical: str, education: str, fires: bool) -> None:
    family["incomes"] = [income(2026, 60000, medical_self_paid=medical, education_expense=education)]
    assert ("Y_EXPENSE" in light_of(family)[1]) is fires


@pytest.mark.parametrize("education,fires", [("6000", True), ("5999.99", False)])
def test_spending_half_of_the_net_income_is_yellow(family: dict, education: str, fires: bool) -> None:
    # Net 20,000 for one person: 4,000 medical + 6,000 education is exactly half.
    family["members"] = family["members"][:1]
    family["incomes"] = [income(2026, 20000, size=1, medical_self_paid="4000", education_expense=education)]
    assert ("Y_EXPENSE" in light_of(family)[1]) is fires


def test_red_wins_over_yellow_and_every_fired_rule_is_listed(family: dict) -> None:
    family["housing_safe"] = False
    family["incomes"] = [income(2026, "26100")]
    assert light_of(family) == ("red", ["R_BOTTOM_LINE", "Y_NEAR_LINE"])
