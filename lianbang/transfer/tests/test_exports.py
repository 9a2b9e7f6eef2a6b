"""Exports of the console's lists (masked by default, audited) and the standard reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from lianbang.audit.models import AuditEntry
from lianbang.conftest import Tree
from lianbang.org.models import Unit
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document
from lianbang.transfer import report_hooks
from lianbang.transfer.exports import ListFilter, households_export, members_export
from lianbang.transfer.report_hooks import PublicityEntry
from lianbang.transfer.reports import (
    PUBLICITY_TITLES,
    employment_figures,
    employment_report,
    month_bounds,
    monthly_report,
    publicity_list,
)
from lianbang.transfer.tests.files import valid_id


@pytest.fixture
def family(tree: Tree, document: dict[str, Any]) -> Household:
    document.update(events=[], phone="13812345678")
    return household_save_document(data=document).household


def read(path: Path) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def by_title(sheet: list[list[Any]], header_row: int = 0) -> list[dict[str, Any]]:
    titles = sheet[header_row]
    return [dict(zip(titles, row, strict=False)) for row in sheet[header_row + 1 :]]


def test_the_member_list_is_masked_by_default(family: Household, tmp_path: Path) -> None:
    count = members_export(tmp_path / "m.xlsx", households=Household.objects.all(), today=date(2026, 11, 29))
    rows = by_title(read(tmp_path / "m.xlsx"))
    assert count == 3 and len(rows) == 3
    head = rows[0]
    assert head["证件号码"] == "530113********0014"
    assert head["联系电话"] == "138****5678"
    assert head["健康状况"] == "***"
    assert (head["姓名"], head["务工所在地"], head["预警灯"]) == ("张三", "县外省内", "绿灯")


def test_an_unmasked_member_list_shows_the_values(family: Household, tmp_path: Path) -> None:
    members_export(tmp_path / "m.xlsx", households=Household.objects.all(), masked=False)
    head = by_title(read(tmp_path / "m.xlsx"))[0]
    assert (head["证件号码"], head["联系电话"], head["健康状况"]) == (
        "530113198001010014",
        "13812345678",
        "健康",
    )


def test_every_export_is_in_the_audit_log(family: Household, tmp_path: Path) -> None:
    members_export(
        tmp_path / "m.xlsx", households=Household.objects.all(), list_filter=ListFilter(color="red")
    )
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.object_id == "members"
    assert entry.changes["rows"] == 0 and entry.changes["masked"] is True
    assert entry.changes["filter"]["color"] == "red"


def test_the_household_list_follows_its_filters(family: Household, tmp_path: Path) -> None:
    assert households_export(tmp_path / "h.xlsx", households=Household.objects.all()) == 1
    row = by_title(read(tmp_path / "h.xlsx"))[0]
    assert (row["户主姓名"], row["在册人口"], row["安置地址"]) == ("张三", 3, "7栋2单元302室")
    assert row["联系电话"] == "138****5678"
    only_red = ListFilter(color="red")
    assert (
        households_export(tmp_path / "r.xlsx", households=Household.objects.all(), list_filter=only_red) == 0
    )


def test_the_monthly_report_counts_households_people_and_new_risks(
    family: Household, tree: Tree, tmp_path: Path, document: dict[str, Any]
) -> None:
    document.update(household_no="530113-000002", events=[])
    document["address"]["room"] = "303"
    for member, first17 in zip(document["members"], ["53011319700101001", "53011319720101002"], strict=False):
        member["id_number"] = valid_id(first17)
    document["members"] = document["members"][:2]
    document["members"][1].update(relation="配偶")
    document["incomes"][0].update(wage=1000, household_size=2)
    household_save_document(data=document)  # below the line: red
    today = date.today()
    monthly_report(tmp_path / "m.xlsx", unit=tree.community, month=today)
    sheet = read(tmp_path / "m.xlsx")
    assert "防返贫动态监测月报" in sheet[0][0]
    rows = by_title(sheet, 1)
    community = rows[0]
    assert community["单位"] == "和谐社区"
    assert (community["在册户数"], community["红灯户"], community["绿灯户"]) == (2, 1, 1)
    assert (community["在册人数"], community["红灯户人数"]) == (5, 2)
    assert (community["本月新增风险户"], community["其中新增红灯"]) == (1, 1)
    assert rows[1]["单位"] == "第一片区" and rows[1]["在册户数"] == 2


def test_the_employment_rate_is_employed_labour_members_over_labour_members(
    family: Household, tree: Tree
) -> None:
    figures = employment_figures(tree.community, date(2026, 11, 29))
    # 张三 (46, works since 2025-03) and 李梅 (41, not working); 张小明 is 16 but in school.
    assert (figures.labour, figures.employed, figures.stable) == (2, 1, 1)
    assert figures.rate == 0.5 and figures.by_location["in_province"] == 1


def test_the_employment_report_shows_rates_per_unit(family: Household, tree: Tree, tmp_path: Path) -> None:
    employment_report(tmp_path / "e.xlsx", unit=tree.area, as_of=date(2026, 11, 29))
    row = by_title(read(tmp_path / "e.xlsx"), 1)[0]
    assert (row["劳动力人数"], row["已就业"], row["就业率"], row["稳定就业率"]) == (2, 1, "50.00%", "50.00%")


def test_the_publicity_list_never_shows_id_phone_bank_or_health(
    family: Household, tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        report_hooks._providers, "publicity", lambda unit: [PublicityEntry(family, "监测对象")]
    )
    assert publicity_list(tmp_path / "p.xlsx", unit=tree.district) == 1
    sheet = read(tmp_path / "p.xlsx")
    assert sheet[0] == PUBLICITY_TITLES
    assert not any(
        word in title for title in sheet[0] for word in ("证件", "身份证", "电话", "银行", "健康", "病", "残")
    )
    assert sheet[1][1:4] == ["530113-000001", "张三", 3]
    text = " ".join(str(cell) for row in sheet for cell in row)
    assert "530113198001010014" not in text and "13812345678" not in text


def test_without_the_cases_app_the_publicity_list_is_the_monitored_households(
    family: Household, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_hooks.apps, "is_installed", lambda name: False)
    assert report_hooks.publicity_entries_for(tree.district) == []
    Household.objects.filter(pk=family.pk).update(monitoring_type="marginal")
    assert [e.household.pk for e in report_hooks.publicity_entries_for(tree.district)] == [family.pk]
    assert report_hooks.case_figures_for(tree.district, *month_bounds(date.today())) is None


def test_reports_are_written_for_a_unit_without_households(tree: Tree, tmp_path: Path) -> None:
    empty = Unit.objects.get(pk=tree.floor_group.pk)
    assert monthly_report(tmp_path / "m.xlsx", unit=empty, month=date.today()) == 1
    assert by_title(read(tmp_path / "m.xlsx"), 1)[0]["在册户数"] == 0
