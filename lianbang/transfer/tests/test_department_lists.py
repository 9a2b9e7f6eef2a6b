"""Department screening lists: matched by ID number, turned into facts and events with the
department as the source, households re-judged, the rest reported back."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lianbang.accounts.models import DepartmentMatch
from lianbang.cases.models import Alert
from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.monitoring.models import HouseholdLight, LightChange
from lianbang.registry.models import Event, Household, Income, Member
from lianbang.registry.services import household_save_document
from lianbang.transfer.models import ScreeningThreshold
from lianbang.transfer.screening import ScreeningReport, department_list_process
from lianbang.transfer.tests.files import valid_id, write_csv, write_xlsx

HEAD, WIFE, SON = "530113198001010014", "530113198503150025", "530113201006010034"
RECENT = (timezone.localdate() - timedelta(days=10)).isoformat()


@pytest.fixture
def family(tree: Tree, document: dict[str, Any]) -> Household:
    document["events"] = []
    return household_save_document(data=document).household


def process(tmp_path: Path, department: str, rows: list[list[Any]], **options: Any) -> ScreeningReport:
    path = write_csv(tmp_path / f"{department}.csv", rows)
    return department_list_process(path=path, department=department, **options)


def statuses(report: ScreeningReport) -> list[tuple[int, str]]:
    return [(r.row, r.status) for r in report.rows]


def test_a_new_serious_illness_becomes_an_event_and_turns_the_light_red(
    family: Household, tmp_path: Path
) -> None:
    report = process(
        tmp_path, "health", [["证件号码", "姓名", "确诊日期", "疾病名称"], [WIFE, "李梅", RECENT, "尿毒症"]]
    )
    assert statuses(report) == [(2, "applied")]
    event = Event.objects.get(member__id_number=WIFE)
    assert (event.type, event.source, event.note) == ("serious_illness", "department:health", "尿毒症")
    assert Member.objects.get(id_number=WIFE).health == "serious"
    change = LightChange.objects.filter(household=family).latest("changed_at")
    assert (change.to_color, change.cause) == ("red", "department:health_updated")
    assert "R_ILLNESS" in change.rules
    assert DepartmentMatch.objects.filter(department="health", household=family).exists()
    alert = Alert.objects.get(household=family, status="open")
    assert (alert.channel, alert.get_channel_display()) == ("department", "部门筛查预警")


def test_unmatched_and_ambiguous_rows_are_reported_back(family: Household, tmp_path: Path) -> None:
    stranger = valid_id("53011319700101003")
    rows = [
        ["身份证号", "姓名", "确诊日期"],
        [stranger, "路人", RECENT],
        [WIFE, "李美", RECENT],
        ["530113198503150026", "李梅", RECENT],
        [HEAD, "张三", RECENT],
        [HEAD, "张三", RECENT],
        [SON, "张小明", ""],
    ]
    report = process(tmp_path, "health", rows)
    assert statuses(report) == [
        (2, "unmatched"), (3, "ambiguous"), (4, "error"), (5, "applied"), (6, "ambiguous"), (7, "error"),
    ]  # fmt: skip
    reasons = {r.row: r.reason for r in report.rows}
    assert reasons[2] == "本辖区没有该证件号码的人员"
    assert reasons[3] == "姓名与登记的不一致，请核对证件号码"
    assert "校验位错误" in reasons[4]
    assert reasons[6] == "与第5行是同一人，未处理"
    assert reasons[7] == "确诊日期：不能为空"
    assert [r.row for r in report.reported_rows] == [2, 3, 4, 6, 7]


def test_medical_costs_above_the_threshold_raise_the_households_self_paid_costs(
    family: Household, tmp_path: Path
) -> None:
    rows = [
        ["证件号码", "姓名", "合规自付医疗费用", "年度"],
        [HEAD, "张三", "23,000元", "2026"],
        [WIFE, "李梅", "4000", "2026"],
    ]
    report = process(tmp_path, "medical_security", rows)
    assert statuses(report) == [(2, "applied"), (3, "below_threshold")]
    assert report.rows[1].reason == "未达到阈值 5000.00 元"
    income = Income.objects.get(household=family, year=2025)  # no 2026 record: the latest before it
    assert income.medical_self_paid == Decimal("23000.00")
    assert HouseholdLight.objects.get(household=family).color == "red"


def test_thresholds_are_configurable(family: Household, tmp_path: Path) -> None:
    ScreeningThreshold.objects.filter(key="medical_security.priority").update(amount=Decimal("30000"))
    rows = [["证件号码", "合规自付医疗费用"], [HEAD, 23000]]
    assert statuses(process(tmp_path, "medical_security", rows)) == [(2, "below_threshold")]
    assert Income.objects.get(household=family).medical_self_paid == Decimal(0)


def test_an_ordinary_household_needs_the_higher_medical_threshold(family: Household, tmp_path: Path) -> None:
    Household.objects.filter(pk=family.pk).update(category="ordinary")
    rows = [["证件号码", "合规自付医疗费用"], [HEAD, 12000]]
    assert statuses(process(tmp_path, "medical_security", rows)) == [(2, "below_threshold")]


def test_a_job_loss_registration_ends_the_employment_and_is_an_event(
    family: Household, tmp_path: Path
) -> None:
    report = process(tmp_path, "hrss", [["证件号码", "姓名", "失业登记日期"], [HEAD, "张三", RECENT]])
    assert statuses(report) == [(2, "applied")]
    head = Member.objects.get(id_number=HEAD)
    assert head.work_location == "" and head.employed_since is None
    assert Event.objects.filter(member=head, type="job_loss", source="department:hrss").exists()
    light = HouseholdLight.objects.get(household=family)
    assert "Y_JOB_LOSS" in light.rules


def test_civil_affairs_changes_set_and_clear_benefits(family: Household, tmp_path: Path) -> None:
    rows = [["证件号码", "救助类型", "变动类型"], [HEAD, "低保", "纳入"], [WIFE, "特困供养", "退出"]]
    report = process(tmp_path, "civil_affairs", rows)
    assert statuses(report) == [(2, "applied"), (3, "applied")]
    assert Member.objects.get(id_number=HEAD).dibao is True
    assert Member.objects.get(id_number=WIFE).destitute_support is False


def test_a_disability_certificate_updates_health_and_is_an_event(family: Household, tmp_path: Path) -> None:
    rows = [["证件号码", "残疾类别", "残疾等级", "办证日期"], [WIFE, "肢体", "2级", RECENT]]
    assert statuses(process(tmp_path, "disabled_federation", rows)) == [(2, "applied")]
    wife = Member.objects.get(id_number=WIFE)
    assert (wife.health, wife.disability_type, wife.disability_grade) == ("disabled", "physical", 2)
    assert Event.objects.filter(member=wife, type="disability").exists()


def test_disaster_victims_get_a_disaster_event_with_the_loss(family: Household, tmp_path: Path) -> None:
    rows = [
        ["证件号码", "受灾日期", "直接经济损失", "房屋是否受损", "灾害类型"],
        [HEAD, RECENT, "12,000", "否", "洪涝"],
    ]
    assert statuses(process(tmp_path, "emergency", rows)) == [(2, "applied")]
    event = Event.objects.get(type="disaster")
    assert (event.loss, event.house_damaged, event.source) == (
        Decimal("12000.00"),
        False,
        "department:emergency",
    )
    assert "R_DISASTER" in HouseholdLight.objects.get(household=family).rules


@pytest.mark.parametrize(
    ("department", "title", "field"),
    [("housing", "鉴定结果", "housing_safe"), ("water", "饮水是否安全", "water_safe")],
)
def test_housing_and_water_findings_update_the_household(
    family: Household, tmp_path: Path, department: str, title: str, field: str
) -> None:
    report = process(
        tmp_path, department, [["证件号码", title], [HEAD, "D级" if department == "housing" else "不安全"]]
    )
    assert statuses(report) == [(2, "applied")]
    assert getattr(Household.objects.get(pk=family.pk), field) is False
    assert "R_BOTTOM_LINE" in HouseholdLight.objects.get(household=family).rules
    assert LightChange.objects.filter(cause=f"department:{department}_updated").exists()


def test_a_dropout_sets_the_schooling_and_is_an_event(family: Household, tmp_path: Path) -> None:
    assert statuses(process(tmp_path, "education", [["证件号码", "辍学日期"], [SON, RECENT]])) == [
        (2, "applied")
    ]
    son = Member.objects.get(id_number=SON)
    assert (son.schooling, son.education) == ("dropout", "")
    assert Event.objects.filter(member=son, type="dropout", source="department:education").exists()


def test_a_dry_run_changes_nothing_and_a_second_upload_is_unchanged(
    family: Household, tmp_path: Path
) -> None:
    rows = [["证件号码", "确诊日期"], [WIFE, RECENT]]
    preview = process(tmp_path, "health", rows, dry_run=True)
    assert statuses(preview) == [(2, "applied")]
    assert not Event.objects.exists() and not DepartmentMatch.objects.exists()
    assert statuses(process(tmp_path, "health", rows)) == [(2, "applied")]
    assert statuses(process(tmp_path, "health", rows)) == [(2, "unchanged")]
    assert Event.objects.count() == 1


def test_members_outside_the_uploaders_units_are_not_matched(family: Household, tmp_path: Path) -> None:
    report = process(tmp_path, "health", [["证件号码", "确诊日期"], [WIFE, RECENT]], unit_paths=("/999/",))
    assert statuses(report) == [(2, "unmatched")]
    assert not Event.objects.exists()


def test_a_list_without_its_required_columns_is_refused_whole(family: Household, tmp_path: Path) -> None:
    with pytest.raises(ApplicationError) as caught:
        process(tmp_path, "health", [["证件号码", "姓名", "疾病名称"], [WIFE, "李梅", "x"]])
    assert caught.value.message == "文件「health.csv」无法读取：缺少必填列：确诊日期"


def test_an_xlsx_list_with_its_header_below_a_title_is_read(family: Household, tmp_path: Path) -> None:
    rows = [
        ["东川区医保局 2026年合规自付费用名单"],
        [],
        ["序号", "公民身份号码", "姓名", "合规自付金额"],
        [1, HEAD, "张三", 23000],
    ]
    path = write_xlsx(tmp_path / "医保.xlsx", rows)
    report = department_list_process(path=path, department="medical_security")
    assert statuses(report) == [(4, "applied")]
