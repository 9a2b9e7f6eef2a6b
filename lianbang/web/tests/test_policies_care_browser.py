"""The policy and care screens in a real browser (issue 11): a community officer sees a household
that misses 残疾人两项补贴 on the policies page (exporting the list starts a job whose link shows),
an overdue visit to an elderly woman living alone on the care page, the household file's 政策
section, and a case's measure form that suggests the policy and fills the measure from it; from
the household file the officer records that the household now receives 残疾人两项补贴 (it leaves
the missed lists) and reveals a child's masked aid with a reason in the 关爱 section."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from lianbang.accounts.models import Assignment, Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.audit.models import AuditEntry
from lianbang.care.services import child_aid_grant, child_pair, schedule_save
from lianbang.care.tests.people import elder_alone, household, person
from lianbang.cases.models import Case
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.opening import case_open
from lianbang.cases.services.records import case_set_risk_types
from lianbang.cases.services.transitions import case_transition
from lianbang.conftest import Tree
from lianbang.monitoring.models import Label, RuleSet
from lianbang.org.services import unit_create
from lianbang.policies.models import BenefitReceipt, Policy
from lianbang.registry.models import Household
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def defaults(transactional_db: None) -> None:
    """The rules, labels and policy catalogue the migrations ship: an earlier browser test flushed
    the tables (transactional tests), so they are put back as the migrations made them."""
    if not RuleSet.objects.exists():
        importlib.import_module("lianbang.monitoring.migrations.0002_default_rule_set").add_defaults(
            apps, None
        )
    if not Label.objects.exists():
        importlib.import_module("lianbang.monitoring.migrations.0003_default_labels").add_labels(apps, None)
    if not Policy.objects.exists():
        importlib.import_module("lianbang.policies.migrations.0002_default_policies").add_defaults(apps, None)
        importlib.import_module("lianbang.policies.migrations.0003_employment_subsidy_months").forwards(
            apps, None
        )


def _officer(tree: Tree) -> User:
    worker = make_user("grid", Role.GRID_WORKER, tree.floor_group, password_changed_at=timezone.now())
    tree.grid.worker = worker
    tree.grid.save(update_fields=["worker"])
    return make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())


def _disabled_family(tree: Tree) -> Household:
    """One member with a grade-1 physical disability: 残疾人两项补贴 applies, not received."""
    disabled = person(
        "53011319700505001",
        "周建国",
        health="残疾",
        disability_type="肢体",
        disability_grade=1,
        labor_skill="丧失劳动力",
    )
    return household("530113-000301", tree.grid.code, "403", [disabled])


def _overdue_elder(tree: Tree) -> None:
    """王秀英 lives alone (独居); her weekly visit was due four days ago."""
    home = elder_alone(grid=tree.grid.code)
    member = home.members.get()
    due = timezone.localdate() - timedelta(days=4)
    schedule_save(actor=None, household=home, member_id=member.pk, reason="独居", next_due=due)


def _disability_case(home: Household, officer: User) -> Case:
    """A red case being verified (measures may be added from then on) with the risk type 残疾."""
    alert_raise(household=home, risk_type="disability", level="red", channel="grid_worker", actor=officer)
    case = case_open(household=home, actor=officer)
    case = case_transition(
        case_id=case.pk,
        action="verify",
        actor=officer,
        expected_version=case.version,
        data={"findings": "已入户，户主一级肢体残疾，未领残疾人补贴"},
    )
    return case_set_risk_types(
        case_id=case.pk, actor=officer, expected_version=case.version, risk_types=["disability"]
    )


def test_a_community_officer_sees_missed_policies_and_overdue_visits(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    _officer(tree)
    home = _disabled_family(tree)
    _overdue_elder(tree)
    page = console_page
    log_in(page, "officer", PASSWORD)

    page.goto("/console/people/policies")
    missed = page.locator("[data-test=policy-missed]")
    missed.locator(".el-table__row", has_text=home.household_no).filter(has_text="残疾人两项补贴").wait_for()
    assert "残疾人两项补贴" in page.locator("[data-test=policy-tabs]").inner_text()
    screenshot(page, "policies-missed")
    page.locator("[data-test=export-missed]").click()  # 导出Excel: a transfer job, its link shown
    link = page.locator("[data-test=export-started] [data-test=export-job]")
    expect(link).to_have_attribute("href", re.compile(r"^/transfer/jobs/\d+/$"))
    total = page.locator("[data-test=policy-tabs] .lbw-muted", has_text="项应享未享")
    before = int(re.search(r"(\d+) 项应享未享", total.inner_text()).group(1))  # type: ignore[union-attr]
    missed.locator(f"[data-test=receipt-start-{home.household_no}-disability_subsidy]").click()
    dialog = page.locator("[data-test=receipt-dialog]")
    dialog.get_by_text(f"{home.household_no} · 残疾人两项补贴").wait_for()
    dialog.locator("[data-test=receipt-confirm]").click()
    page.locator("[data-test=receipt-saved]", has_text=home.household_no).wait_for()
    expect(total).to_contain_text(f"{before - 1} 项应享未享")  # the list has reloaded
    row = missed.locator(".el-table__row", has_text=home.household_no).filter(has_text="残疾人两项补贴")
    expect(row).to_have_count(0)
    screenshot(page, "policies-missed-recorded")
    assert BenefitReceipt.objects.filter(household=home, policy__code="disability_subsidy").count() == 1

    # The home page's figures count the overdue visit and click through to the care page.
    page.goto("/console/")
    figure = page.locator("[data-test=figure-care_visits_overdue]")
    expect(figure).to_have_text("1")
    figure.click()
    page.wait_for_url(re.compile(rf"/console/people/care\?.*unit_id={tree.community.pk}"))
    overdue = page.locator("[data-test=care-overdue] .el-table__row", has_text="王秀英")
    overdue.wait_for()
    row = overdue.inner_text()
    assert "独居" in row and "4" in row
    screenshot(page, "care-overdue")


def test_an_officer_of_two_communities_picks_the_one_the_policies_page_shows(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    officer = _officer(tree)
    other = unit_create(level=3, name="幸福社区", parent=tree.street, code="530113001002")
    Assignment.objects.create(user=officer, unit=other, role=Role.COMMUNITY_OFFICIAL)
    home = _disabled_family(tree)
    page = console_page
    log_in(page, "officer", PASSWORD)

    page.goto("/console/people/policies")
    missed = page.locator("[data-test=policy-missed] .el-table__row", has_text=home.household_no).filter(
        has_text="残疾人两项补贴"
    )
    picker = page.locator(".lbw-head .el-select")
    for name, rows in (("幸福社区", 0), ("和谐社区", 1)):
        picker.click()
        page.locator(".el-select-dropdown__item:visible", has_text=name).click()
        expect(picker).to_contain_text(name)
        expect(missed).to_have_count(rows)


def test_the_household_file_and_the_measure_form_show_the_policy(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    officer = _officer(tree)
    home = _disabled_family(tree)
    case = _disability_case(home, officer)
    page = console_page
    log_in(page, "officer", PASSWORD)

    page.goto(f"/console/households/{home.pk}")
    section = page.locator("[data-test=household-policies]")
    section.locator("[data-test=policies-missed]", has_text="残疾人两项补贴").wait_for()
    screenshot(page, "household-policies")

    page.goto(f"/console/work/cases/{case.pk}")
    suggestion = page.locator("[data-test=suggestion-disability_subsidy]")
    suggestion.wait_for()
    text = suggestion.inner_text()
    assert "残联" in text and "符合条件未享受" in text and "持残疾人证向社区申请" in text
    suggestion.locator("[data-test=use-disability_subsidy]").click()
    page.locator("[data-test=suggestion-filled]", has_text="残疾人两项补贴").wait_for()
    # Element Plus puts the attributes on the textarea itself.
    description = page.locator("textarea[data-test=measure-description]")
    assert description.input_value().startswith("残疾人两项补贴；困难残疾人生活补贴")
    form = page.locator("[data-test=measure-form]")
    form.locator(".el-select__selected-item", has_text="综合保障").wait_for()
    page.locator("[data-test=policy-suggestions]").scroll_into_view_if_needed()
    screenshot(page, "measure-suggestions")


def _disabled_grandfather_with_grandchild(tree: Tree) -> Household:
    """周建国 (grade-1 physical disability, no 残疾人两项补贴) and his granddaughter 李小花, paired
    as a 留守儿童 with her grandfather and given 1,500 元 of aid."""
    disabled = person(
        "53011319700505001",
        "周建国",
        health="残疾",
        disability_type="肢体",
        disability_grade=1,
        labor_skill="丧失劳动力",
    )
    child = person("53011320160520002", "李小花", relation="之孙女", education=None, schooling="小学")
    home = household("530113-000302", tree.grid.code, "404", [disabled, child])
    care = child_pair(
        actor=None,
        household=home,
        child_id=home.members.get(name="李小花").pk,
        kind="留守儿童",
        guardian_name="周建国",
        guardian_relation="祖父",
        guardian_phone="13912345678",
        started_on=timezone.localdate() - timedelta(days=200),
    )
    child_aid_grant(
        actor=None,
        care=care,
        kind="爱心助学",
        amount="1500.00",
        granted_on=timezone.localdate() - timedelta(days=30),
        funder="区慈善总会",
    )
    return home


def test_the_officer_records_the_receipt_and_reveals_a_childs_aid_in_the_file(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    _officer(tree)
    home = _disabled_grandfather_with_grandchild(tree)
    aid = home.child_cares.get().aid.get()
    page = console_page
    log_in(page, "officer", PASSWORD)

    page.goto("/console/people/policies")
    missed_list = page.locator("[data-test=policy-missed]")
    missed_list.locator(".el-table__row", has_text=home.household_no).filter(
        has_text="残疾人两项补贴"
    ).wait_for()

    page.goto(f"/console/households/{home.pk}")
    section = page.locator("[data-test=household-policies]")
    section.locator("[data-test=policies-missed]", has_text="残疾人两项补贴").wait_for()
    section.locator("[data-test=receipt-start-disability_subsidy]").click()
    dialog = page.locator("[data-test=receipt-dialog]")
    dialog.get_by_text("530113-000302 · 残疾人两项补贴").wait_for()
    dialog.locator("input[data-test=receipt-note]").fill("区残联2026年第12批")
    dialog.locator("[data-test=receipt-confirm]").click()
    section.locator("[data-test=receipt-saved]", has_text="残疾人两项补贴").wait_for()
    section.locator("[data-test=policies-received]", has_text="残疾人两项补贴").wait_for()
    assert "残疾人两项补贴" not in "".join(section.locator("[data-test=policies-missed]").all_inner_texts())
    assert "享受记录" in section.locator("[data-test=policies-received]").inner_text()
    receipt = BenefitReceipt.objects.get(household=home, policy__code="disability_subsidy")
    assert (receipt.started_on, receipt.ended_on, receipt.note) == (
        timezone.localdate(),
        None,
        "区残联2026年第12批",
    )
    screenshot(page, "household-receipt-recorded")
    # Ending it before it began is refused with the server's message; nothing changes.
    section.locator("[data-test=receipt-end-disability_subsidy]").click()
    day = dialog.locator(".el-date-editor input")
    day.fill((timezone.localdate() - timedelta(days=1)).isoformat())
    day.press("Enter")
    dialog.locator("[data-test=receipt-confirm]").click()
    dialog.locator("[data-test=receipt-error]", has_text="结束日期早于开始日期").wait_for()
    problem = dialog.locator("[data-test=receipt-error]").inner_text()
    assert "ended_on" not in problem and "message_en" not in problem  # the reason, not raw JSON
    dialog.get_by_role("button", name="取消").click()
    receipt.refresh_from_db()
    assert receipt.ended_on is None

    care = page.locator("[data-test=household-care]")
    amount = care.locator(f"[data-test=care-aid-amount-{aid.pk}]")
    assert amount.inner_text() == "***"
    assert "1500" not in care.inner_text() and "区慈善总会" not in care.inner_text()
    assert "李小花" not in care.inner_text()
    care.locator(f"[data-test=care-aid-reveal-{aid.pk}]").click()
    reveal = page.locator("[data-test=care-reveal-dialog]")
    reveal.locator("[data-test=care-reveal-confirm]").click()
    reveal.locator("[data-test=care-reveal-error]").wait_for()  # no reason: refused, still masked
    assert amount.inner_text() == "***"
    reveal.locator("input[data-test=care-reveal-reason]").fill("核对资助发放情况")
    reveal.locator("[data-test=care-reveal-confirm]").click()
    care.locator(f"[data-test=care-aid-amount-{aid.pk}]", has_text="1500.00").wait_for()
    reveal.wait_for(state="hidden")
    entry = AuditEntry.objects.filter(action="reveal").latest("pk")
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "care.childaid",
        str(aid.pk),
        "核对资助发放情况",
    )
    care.locator("[data-test=care-record-visit]").click()
    visit = page.locator("[data-test=care-visit-dialog]")
    visit.locator("textarea[data-test=care-visit-health]").fill("血压偏高，按时服药")
    visit.locator("input[data-test=care-visit-help]").fill("代购药品")
    visit.locator("[data-test=care-visit-save]").click()
    row = care.locator("[data-test=care-visits] .el-table__row", has_text="代购药品")
    row.wait_for()
    assert "周建国" in row.inner_text() and "血压" not in row.inner_text()  # the health note is masked
    assert home.care_visits.get().health_note == "血压偏高，按时服药"
    care.scroll_into_view_if_needed()
    screenshot(page, "household-care")

    page.goto("/console/people/policies")
    tabs = page.locator("[data-test=policy-tabs]")
    tabs.locator("[data-test=policy-missed]").or_(tabs.get_by_text("暂无数据")).first.wait_for()
    rows = tabs.locator(".el-table__row", has_text=home.household_no).filter(has_text="残疾人两项补贴")
    expect(rows).to_have_count(0)
