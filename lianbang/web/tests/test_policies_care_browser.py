"""The policy and care screens in a real browser (issue 11): a community officer sees a household
that misses 残疾人两项补贴 on the policies page, an overdue visit to an elderly woman living alone
on the care page, the household file's 政策 section, and a case's measure form that suggests the
policy and fills the measure from it."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from lianbang.accounts.models import Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.care.services import schedule_save
from lianbang.care.tests.people import elder_alone, household, person
from lianbang.cases.models import Case
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.opening import case_open
from lianbang.cases.services.records import case_set_risk_types
from lianbang.cases.services.transitions import case_transition
from lianbang.conftest import Tree
from lianbang.monitoring.models import Label, RuleSet
from lianbang.policies.models import Policy
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

    page.goto("/console/people/care")
    overdue = page.locator("[data-test=care-overdue] .el-table__row", has_text="王秀英")
    overdue.wait_for()
    row = overdue.inner_text()
    assert "独居" in row and "4" in row
    screenshot(page, "care-overdue")


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
