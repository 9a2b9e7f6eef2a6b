"""The shared filter value parsers: what each accepts, and how a bad value is reported."""

from __future__ import annotations

from typing import Any

import pytest

from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.filters import BadValue, one_of, parse_filters, parse_flag, parse_id


@pytest.mark.parametrize(
    ("raw", "flag"),
    [
        (True, True), (False, False), ("true", True), ("FALSE", False), ("1", True), ("0", False),
        (" yes ", True), ("no", False), ("on", True), ("off", False), ("是", True), ("否", False),
    ],
)  # fmt: skip
def test_a_flag_is_a_boolean_or_a_yes_or_no_in_english_or_chinese(raw: Any, flag: bool) -> None:
    assert parse_flag(raw) is flag


@pytest.mark.parametrize("raw", ["maybe", "是的", "2", "", "对"])
def test_anything_else_is_not_a_flag(raw: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_flag(raw)
    assert (refused.value.zh, refused.value.en) == ("应为 true 或 false", "must be true or false")


def test_an_id_is_a_positive_whole_number_that_fits_a_key() -> None:
    assert parse_id(" 42 ") == 42 and parse_id(7) == 7
    for raw in (0, "-1", "1.5", "abc", True, str(2**63)):
        with pytest.raises(BadValue, match="must be a positive whole number"):
            parse_id(raw)


def test_a_choice_is_one_of_its_options_named_in_the_refusal() -> None:
    parse = one_of(("red", "yellow"))
    assert parse("red") == "red"
    with pytest.raises(BadValue) as refused:
        parse("green")
    assert (refused.value.zh, refused.value.en) == ("可选：red、yellow", "one of red, yellow")


def test_the_filters_skip_empty_values_and_report_every_bad_one_naming_field_and_value() -> None:
    parsers = {"unit": parse_id, "open": parse_flag, "light": one_of(("red",))}
    assert parse_filters({"unit": "3", "open": "否", "light": ""}, parsers) == {"unit": 3, "open": False}
    with pytest.raises(ApplicationError) as refused:
        parse_filters({"unit": "x", "open": "maybe", "light": None, "other": "ignored"}, parsers)
    assert (refused.value.status, refused.value.message, refused.value.message_en) == (
        400,
        "筛选条件有误",
        "invalid filters",
    )
    assert refused.value.problems == [
        FieldProblem("unit", "x", "应为正整数编号", "must be a positive whole number"),
        FieldProblem("open", "maybe", "应为 true 或 false", "must be true or false"),
    ]
