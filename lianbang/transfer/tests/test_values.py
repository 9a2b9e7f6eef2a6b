"""Cell cleaning keeps recent results: equal but different cells must not share one."""

from __future__ import annotations

import pytest

from lianbang.transfer.columns import Kind
from lianbang.transfer.values import CellProblem, clean


def test_equal_cells_of_different_types_are_cleaned_each_as_itself() -> None:
    # True == 1 == 1.0 in Python: a cache keyed by value alone would answer one for the other.
    assert clean(Kind.TEXT, True) == "是"
    assert clean(Kind.TEXT, 1) == "1"
    assert clean(Kind.TEXT, 1.0) == "1"
    assert clean(Kind.INT, True) is True
    assert clean(Kind.INT, 1.0) == 1 and type(clean(Kind.INT, 1.0)) is int


def test_a_refused_cell_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(CellProblem):
            clean(Kind.ID, "5.30113E+17")
