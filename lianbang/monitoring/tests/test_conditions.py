"""Conditions are refused with the path and the reason; valid ones compile to parameters only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lianbang.common.errors import ApplicationError
from lianbang.monitoring.conditions import Compiler, validate_condition
from lianbang.monitoring.defaults import DEFAULT_RULES
from lianbang.monitoring.engine import numbered_placeholders
from lianbang.monitoring.facts import Context


def problems(condition: Any) -> dict[str, str]:
    with pytest.raises(ApplicationError) as caught:
        validate_condition(condition)
    return {p.path: p.message_en for p in caught.value.problems}


@pytest.mark.parametrize("rule", DEFAULT_RULES, ids=lambda r: r["code"])
def test_every_default_rule_validates(rule: dict[str, Any]) -> None:
    validate_condition(rule["condition"])


def test_an_unknown_fact_is_named_with_its_path() -> None:
    found = problems(
        {
            "any": [
                {"fact": "housing_safe", "op": "=", "value": False},
                {"fact": "income_per_cat", "op": "<", "value": 1},
            ]
        }
    )
    assert list(found) == ["condition.any[1].fact"]
    assert "unknown fact" in found["condition.any[1].fact"]


def test_a_value_of_the_wrong_type_is_refused() -> None:
    assert "condition.value" in problems({"fact": "housing_safe", "op": "=", "value": "no"})
    assert "condition.value" in problems({"fact": "medical_self_paid", "op": ">=", "value": "1.234"})


def test_an_operator_the_fact_cannot_take_is_refused() -> None:
    found = problems({"fact": "housing_safe", "op": "<", "value": True})
    assert "operators allowed here" in found["condition.op"]


def test_a_member_fact_outside_a_member_condition_is_refused() -> None:
    assert "condition.fact" in problems({"fact": "age", "op": ">=", "value": 60})


def test_months_employed_is_a_member_fact_compared_with_a_whole_number_of_months() -> None:
    validate_condition({"any_member": {"fact": "months_employed", "op": ">=", "value": 3}})
    validate_condition({"any_member": {"fact": "months_employed", "op": "is_null"}})
    assert "condition.fact" in problems({"fact": "months_employed", "op": ">=", "value": 3})
    for bad in [-1, 1201, 2.5, "3", True, None]:
        found = problems({"any_member": {"fact": "months_employed", "op": ">=", "value": bad}})
        assert list(found) == ["condition.any_member.value"]
        assert found["condition.any_member.value"].endswith(
            "a number of months is a whole number from 0 to 1200"
        )
    found = problems({"any_member": {"fact": "months_employed", "op": "in", "value": [3]}})
    assert "operators allowed here" in found["condition.any_member.op"]


def test_a_span_fact_is_not_an_operand_of_another_comparison() -> None:
    # Ages and months compile to date cut-offs: as the other side of a comparison they have no SQL.
    found = problems(
        {"any_member": {"fact": "disability_grade", "op": "<", "value": {"fact": "months_employed"}}}
    )
    assert list(found) == ["condition.any_member.value.fact"]
    assert "condition.any_member.value.fact" in problems(
        {"any_member": {"fact": "disability_grade", "op": "<", "value": {"fact": "age"}}}
    )


def test_a_household_fact_inside_a_member_condition_is_refused() -> None:
    found = problems({"any_member": {"fact": "housing_safe", "op": "=", "value": True}})
    assert list(found) == ["condition.any_member.fact"]


def test_a_text_value_must_be_one_of_the_vocabulary() -> None:
    found = problems({"any_member": {"fact": "health", "op": "in", "value": ["残疾", "很好"]}})
    assert list(found) == ["condition.any_member.value[1]"]


def test_comparing_an_amount_with_a_count_is_refused() -> None:
    found = problems({"fact": "current_per_capita", "op": "<", "value": {"fact": "labour_members"}})
    assert "condition.value" in found


def test_counts_need_a_whole_number() -> None:
    found = problems({"count_members": {"fact": "active", "op": "=", "value": True}, "op": ">=", "value": -1})
    assert list(found) == ["condition.value"]


def test_a_malformed_tree_is_refused_not_crashed() -> None:
    for bad in [
        None,
        [],
        {},
        {"all": []},
        {"all": "x"},
        {"not": 3},
        {"fact": 5, "op": "="},
        {"all": [{"any": [{"not": {"fact": "x"}}]}]},
        {"fact": "x", "any": []},
    ]:
        assert problems(bad)


def test_values_travel_as_parameters_never_as_sql_text() -> None:
    hostile = "'); DROP TABLE registry_household; --"
    condition = {"fact": "category", "op": "=", "value": "一般农户"}
    validate_condition(condition)
    compiled = Compiler(Context(date(2026, 11, 29), 90, "sqlite")).compile(condition)
    assert "一般农户" not in compiled.text and "ordinary" not in compiled.text
    assert compiled.params == ("ordinary",)
    assert problems({"any_member": {"fact": "relation", "op": "=", "value": hostile}})


def test_the_judging_statement_numbers_its_placeholders_for_postgresql_left_to_right() -> None:
    text = "a = %s AND b LIKE '%%s%%' AND c IN (%s, %s)"
    assert numbered_placeholders(text) == "a = $1 AND b LIKE '%s%' AND c IN ($2, $3)"
