"""The 公示 list: households under public notice, never an ID, phone, bank account or health."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from lianbang.cases.services.export import COLUMNS, FORBIDDEN, publicity_list_export
from lianbang.cases.tests.conftest import Cast, Opener, act, family, later, visit
from lianbang.common.errors import ApplicationError


def rows_of(data: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("公示名单").to_python()


def test_the_publicity_list_shows_households_under_notice_without_sensitive_fields(
    cast: Cast, open_case: Opener
) -> None:
    document = family(water_safe=False, phone="13987654321")
    document["members"][0]["health"] = "患有大病"
    case = open_case(document)
    visit(case, cast.grid_worker, later(case, hours=2))
    act(case, "submit", cast.grid_worker, later(case, hours=3))
    act(case, "approve", cast.community, later(case, days=1))
    output = io.BytesIO()
    assert publicity_list_export(actor=cast.community, unit=cast.tree.community, output=output) == 1

    rows = rows_of(output.getvalue())
    assert rows[0] == COLUMNS
    assert not any(word in header for header in COLUMNS for word in FORBIDDEN)
    assert rows[1][1:4] == ["530113-900001", document["members"][0]["name"], 3.0]
    text = repr(rows)
    for secret in ("13987654321", "患有大病", "大病", *(m["id_number"] for m in document["members"])):
        assert secret not in text


def test_only_officials_of_the_unit_export_the_publicity_list(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as caught:
        publicity_list_export(actor=cast.grid_worker, unit=cast.tree.community, output=io.BytesIO())
    assert caught.value.status == 404
    with pytest.raises(ApplicationError) as caught:
        publicity_list_export(actor=cast.outsider, unit=cast.tree.community, output=io.BytesIO())
    assert caught.value.status == 404
