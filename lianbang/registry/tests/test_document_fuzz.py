"""Whatever arrives, the parser answers with a result or an ApplicationError, never a crash."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lianbang.common.errors import ApplicationError
from lianbang.conftest import SAMPLE_DOCUMENT
from lianbang.registry.document import parse_household_document

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
paths = st.sampled_from(
    [
        ("household_no",),
        ("category",),
        ("housing_safe",),
        ("phone",),
        ("address",),
        ("address", "floor"),
        ("members",),
        ("members", 0),
        ("members", 0, "id_number"),
        ("members", 0, "relation"),
        ("members", 1, "birth_date"),
        ("members", 0, "employment"),
        ("members", 0, "employment", "monthly_wage"),
        ("incomes",),
        ("incomes", 0, "year"),
        ("incomes", 0, "wage"),
        ("events", 0, "date"),
        ("events", 0),
        ("members", 2, "schooling"),
    ]
)


def replace(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(document)
    target: Any = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return result


@settings(max_examples=300, deadline=None)
@given(paths, json_values)
def test_any_value_anywhere_is_parsed_or_refused_with_named_fields(path: tuple, value: Any) -> None:
    document = replace(SAMPLE_DOCUMENT, path, value)
    try:
        parse_household_document(document, today=date(2026, 11, 29))
    except ApplicationError as error:
        assert error.problems, "a refusal must name at least one field"
        assert all(p.message and p.message_en for p in error.problems)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_a_document_that_is_not_an_object_is_refused(value: Any) -> None:
    try:
        parse_household_document(value, today=date(2026, 11, 29))
    except ApplicationError:
        return
    raise AssertionError("accepted a non-document")
