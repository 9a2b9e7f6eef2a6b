"""Household import from real .xlsx/.xls/.csv files with the mess real exports have."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Assignment, Role, User
from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.monitoring.engine import household_evaluate
from lianbang.monitoring.models import HouseholdLight, LightChange
from lianbang.org.services import unit_create
from lianbang.registry.models import Change, Household, Income, Member
from lianbang.transfer.errorfile import write_error_file
from lianbang.transfer.importing import ImportReport, households_import
from lianbang.transfer.scope import EditScope
from lianbang.transfer.tests import messy
from lianbang.transfer.tests.files import HEADER, household_rows, write_csv, write_xls, write_xlsx

TODAY = date(2026, 11, 29)
DAMAGED = "证件号码被Excel存成了数字（科学计数法），后几位已丢失；请把该列设为文本格式后重新填写"


def outcomes(report: ImportReport) -> list[tuple[int, str, str, list[tuple[str, str]]]]:
    return [(r.row, r.status, r.household_no, [(e.column, e.value) for e in r.errors]) for r in report.rows]


def run(path: Path, **options: Any) -> ImportReport:
    return households_import(path=path, today=TODAY, income_year=2025, **options)


EXPECTED_MESSY = [
    (5, "created", "530113-000001", []),
    (6, "created", "530113-000001", []),
    (7, "created", "530113-000001", []),
    (8, "error", "530113-000002", [("", "")]),
    (9, "error", "530113-000002", [("身份证号", "5.3011319900101e+17")]),
    (11, "created", "530113-000003", []),
    (12, "error", "530113-000004", [("身份证号", messy.H4_BAD)]),
    (13, "error", "", [("户号", "")]),
]


def test_a_messy_xlsx_is_read_row_by_row_with_exact_outcomes(tree: Tree, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "户信息.xlsx", messy.sheet_rows(), merges=messy.merges())
    report = run(path)
    assert report.header_rows == [3, 4]
    assert report.unknown_columns == ["村民小组"]
    assert outcomes(report) == EXPECTED_MESSY
    errors = {r.row: r.errors[0].reason for r in report.error_rows}
    assert errors[9] == DAMAGED
    assert "其他行有误（第9行）" in errors[8]
    assert "校验位错误" in errors[12]
    assert errors[13] == "户编号不能为空"


def test_messy_values_are_stored_in_their_canonical_form(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges()))
    head = Member.objects.get(id_number="530113198001010014")
    assert (head.name, head.work_location, head.employed_since) == ("张三", "in_province", date(2025, 3, 1))
    assert head.medical_insurance == "resident"
    income = Income.objects.get(household__household_no="530113-000001", year=2025)
    assert (income.wage, income.property_income, income.transfer) == (
        Decimal(42000),
        Decimal(300),
        Decimal(1800),
    )
    household = Household.objects.get(household_no="530113-000001")
    assert (household.phone, household.entrance, household.room) == ("13812345678", "2", "302")
    third = Household.objects.get(household_no="530113-000003")
    assert third.category == "ordinary"
    assert Member.objects.get(id_number=messy.H3_HEAD).work_location == "in_county"
    assert Member.objects.get(id_number=messy.H3_HEAD).employed_since == date(2024, 8, 1)


def test_a_refused_household_leaves_nothing_behind(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges()))
    assert not Household.objects.filter(household_no__in=["530113-000002", "530113-000004"]).exists()
    assert not Member.objects.filter(id_number=messy.H2_HEAD.upper()).exists()
    assert set(Household.objects.values_list("household_no", flat=True)) == {"530113-000001", "530113-000003"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_the_same_file_as_csv_gives_the_same_outcomes(tree: Tree, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "户信息.csv", messy.sheet_rows(csv=True), encoding)
    report = run(path)
    expected = [
        (r, s, h, [(c, "5.30113E+17" if r == 9 else v) for c, v in e]) for r, s, h, e in EXPECTED_MESSY
    ]
    assert outcomes(report) == expected
    assert report.error_rows[1].errors[0].reason == DAMAGED
    assert Member.objects.get(id_number="530113198001010014").employed_since == date(2025, 3, 1)


def test_an_xls_file_is_imported(tree: Tree, tmp_path: Path) -> None:
    pytest.importorskip("xlwt")
    path = write_xls(tmp_path / "户信息.xls", [HEADER, *household_rows()])
    report = run(path)
    assert [(r.row, r.status) for r in report.rows] == [(2, "created"), (3, "created"), (4, "created")]
    assert Member.objects.filter(household__household_no="530113-000001").count() == 3


def test_importing_the_same_file_again_changes_nothing(tree: Tree, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges())
    run(path)
    changes, lights, versions = Change.objects.count(), LightChange.objects.count(), _versions()
    again = run(path)
    assert [(r.row, r.status) for r in again.rows if r.status != "error"] == [
        (5, "unchanged"), (6, "unchanged"), (7, "unchanged"), (11, "unchanged"),
    ]  # fmt: skip
    assert (Change.objects.count(), LightChange.objects.count(), _versions()) == (changes, lights, versions)


def _versions() -> list[tuple[str, int]]:
    return list(Household.objects.order_by("household_no").values_list("household_no", "version"))


def test_a_dry_run_previews_without_saving(tree: Tree, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges())
    preview = run(path, dry_run=True)
    assert outcomes(preview) == EXPECTED_MESSY
    assert not Household.objects.exists() and not Change.objects.exists()
    assert outcomes(run(path)) == EXPECTED_MESSY


def test_a_changed_value_updates_the_household_and_keeps_history(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]))
    rows = household_rows()
    rows[0][12] = rows[0][13] = rows[0][14] = ""  # 张三 no longer works
    report = run(write_xlsx(tmp_path / "b.xlsx", [HEADER, *rows]))
    assert {r.status for r in report.rows} == {"updated"}
    head = Member.objects.get(id_number="530113198001010014")
    assert head.work_location == "" and head.employed_since is None
    change = Change.objects.filter(member=head, action="update").latest("at")
    assert change.changes["work_location"] == ["in_province", ""]


def test_a_blank_or_missing_column_never_erases_stored_data(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]))
    Household.objects.filter(household_no="530113-000001").update(housing_safe=False)
    Income.objects.filter(year=2025).update(medical_self_paid=Decimal("6000"))
    rows = household_rows()
    rows[1][22] = ""  # no phone on 李梅's row
    report = run(write_xlsx(tmp_path / "b.xlsx", [HEADER, *rows]))
    assert {r.status for r in report.rows} == {"unchanged"}
    household = Household.objects.get(household_no="530113-000001")
    assert household.housing_safe is False and household.phone == "13812345678"
    assert Income.objects.get(year=2025).medical_self_paid == Decimal("6000.00")


def test_rows_of_one_household_that_disagree_are_refused(tree: Tree, tmp_path: Path) -> None:
    rows = household_rows()
    rows[2][23] = "一般农户"
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows]))
    assert [(r.row, r.status) for r in report.rows] == [(2, "error"), (3, "error"), (4, "error")]
    assert report.rows[2].errors[0].column == "户类型"
    assert "不一致（第2行为「脱贫户」）" in report.rows[2].errors[0].reason


def test_a_person_listed_twice_is_refused_on_the_later_row(tree: Tree, tmp_path: Path) -> None:
    second = household_rows("530113-000002", "303")
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows(), *second]))
    assert [r.status for r in report.rows] == ["created"] * 3 + ["error"] * 3
    assert report.rows[3].errors[0].reason == "与第2行的证件号码重复"


def test_the_registrys_own_rules_name_the_row_and_column(tree: Tree, tmp_path: Path) -> None:
    rows = household_rows()
    rows[1][4] = "户主"  # two heads
    rows[2][5] = "女"  # contradicts the ID number
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows]))
    by_row = {r.row: [(e.column, e.value) for e in r.errors] for r in report.rows}
    assert ("性别", "女") in by_row[4]
    assert all(status == "error" for status in (r.status for r in report.rows))


def test_a_warning_is_reported_without_refusing_the_household(tree: Tree, tmp_path: Path) -> None:
    rows = household_rows()
    for row in rows:
        row[21] = 20000  # the file's 人均纯收入 disagrees with the amounts (14,700)
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *rows]))
    assert {r.status for r in report.rows} == {"created"}
    assert report.rows[0].warnings[0].column == "人均纯收入"


def test_the_error_file_round_trips(tree: Tree, tmp_path: Path) -> None:
    source = messy.sheet_rows()
    report = run(write_xlsx(tmp_path / "a.xlsx", source, merges=messy.merges()))
    errors = tmp_path / "errors.xlsx"
    write_error_file(
        errors,
        report.titles,
        ((r.row, report.error_cells[r.row], [r.errors[0].reason]) for r in report.error_rows),
    )
    sheet = CalamineWorkbook.from_path(str(errors)).get_sheet_by_index(0).to_python()
    assert sheet[0][: len(report.titles)] == report.titles and sheet[0][-2:] == ["错误原因", "原行号"]
    assert [int(r[-1]) for r in sheet[1:]] == [8, 9, 12, 13]
    assert sheet[2][2] == messy.H2_WIFE_FLOAT and sheet[2][-2] == DAMAGED
    sheet[2][2] = "530113199001010027"  # the clerk types the ID again, as text
    fixed = write_xlsx(tmp_path / "fixed.xlsx", sheet)
    again = run(fixed)
    assert [(r.row, r.status) for r in again.rows] == [
        (2, "created"),
        (3, "created"),
        (4, "error"),
        (5, "error"),
    ]
    assert Member.objects.filter(household__household_no="530113-000002").count() == 2


def test_an_unreadable_file_is_one_clear_error(tree: Tree, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(ApplicationError) as caught:
        run(broken)
    assert caught.value.code == "unreadable_file" and "broken.xlsx" in caught.value.message
    headless = write_csv(tmp_path / "headless.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(ApplicationError, match="no header found"):
        run(headless)
    with pytest.raises(ApplicationError, match=r"only \.xlsx"):
        run(tmp_path / "notes.pdf")


def test_bulk_evaluation_gives_the_lights_judging_each_household_would(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges()), bulk_evaluation=True)
    bulk = dict(HouseholdLight.objects.values_list("household__household_no", "color"))
    assert bulk == {"530113-000001": "green", "530113-000003": "red"}  # 5,000 元 a head: below the line
    changes = LightChange.objects.count()
    for household in Household.objects.all():
        household_evaluate(household_id=household.pk, cause="check", as_of=TODAY)
    assert LightChange.objects.count() == changes


def test_bulk_evaluation_records_the_import_as_the_cause(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]), bulk_evaluation=True)
    assert set(LightChange.objects.values_list("cause", flat=True)) == {"import"}


def test_per_household_evaluation_records_the_import_as_the_cause(tree: Tree, tmp_path: Path) -> None:
    run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]), one_by_one=True, bulk_evaluation=False)
    assert set(LightChange.objects.values_list("cause", flat=True)) == {"import_created"}


def test_a_user_imports_only_into_their_own_units(tree: Tree, tmp_path: Path) -> None:
    elsewhere = unit_create(level=4, name="第二片区", parent=tree.community)
    user = User.objects.create_user("area2", password="x")
    Assignment.objects.create(user=user, unit=elsewhere, role=Role.AREA_LEADER)
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]), scope=EditScope.of(user))
    assert {r.status for r in report.rows} == {"error"}
    assert report.rows[0].errors[0].reason == "该户不在您的管辖范围内，未导入"
    assert not Household.objects.exists()
    Assignment.objects.create(user=user, unit=tree.area, role=Role.AREA_LEADER)
    report = run(write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]), scope=EditScope.of(user))
    assert {r.status for r in report.rows} == {"created"}
