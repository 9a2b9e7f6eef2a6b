"""Administration in a real browser: an administrator creates an account and its owner must
change the password at the first login; an administrator creates a grid in a building, assigns
its worker and moves two households into it, and that worker sees exactly those households; an
official sets a manual label on a household and sees who set it; the district administrator adds
a community under a street and sees it in the unit tree."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lianbang.accounts.models import Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user, single_member_document
from lianbang.conftest import Tree
from lianbang.monitoring.models import HouseholdLabel, Label
from lianbang.org.models import MicroGrid, Unit
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document
from lianbang.testing.browser import log_in, screenshot
from lianbang.web.tests.test_work_browser import defaults as defaults  # the fixture, re-exported

pytestmark = pytest.mark.browser

INITIAL = "Chushi#2026x"
OWN = "Ziji#2026abc"


def _admin(tree: Tree, settings: Any) -> User:
    """A district administrator who logs in with the demo password (no second factor to type)."""
    settings.LIANBANG_DEMO_MODE = True
    admin = User.objects.create_user(
        "quadmin", password=settings.LIANBANG_DEMO_PASSWORD, full_name="区管理员"
    )
    admin.assignments.create(unit=tree.district, role=Role.DISTRICT_ADMIN)
    # An official's role too: one hands out only the rights one holds (grid workers break glass).
    admin.assignments.create(unit=tree.district, role=Role.STREET_OFFICIAL)
    return admin


def _households(tree: Tree) -> list[Household]:
    return [
        household_save_document(
            data=single_member_document(f"530113-00010{i}", tree.grid.code, f"10{i}", f"5301131970010110{i}")
        ).household
        for i in range(1, 4)
    ]


def _choose(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text=text).first.click()


def _pick_district(page, picker: str, tree: Tree) -> None:  # type: ignore[no-untyped-def]
    page.locator(picker).first.click()
    node = page.locator(".el-cascader-panel:visible .el-cascader-node", has_text=tree.district.name).first
    node.locator(".el-radio").click()


def test_an_administrator_creates_an_account_whose_owner_must_change_the_password(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree, settings: Any
) -> None:
    _admin(tree, settings)
    page = console_page
    log_in(page, "quadmin", settings.LIANBANG_DEMO_PASSWORD, next_path="/console/admin/users")
    page.locator("[data-test=users]").wait_for()

    page.click("[data-test=new-account]")
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("input[data-test=account-username]").fill("zhaoliu")
    dialog.locator("input[data-test=account-name]").fill("赵六")
    dialog.locator("input[data-test=account-phone]").fill("13900139000")
    dialog.locator("input[data-test=account-password]").fill("weak")
    _pick_district(page, ".el-dialog:visible .el-cascader", tree)
    dialog.locator("[data-test=account-role-0]").click()
    _choose(page, "社区干部")
    dialog.locator("[data-test=account-save]").click()
    assert "密码强度不足" in dialog.locator("[data-test=account-error]").inner_text()
    assert not User.objects.filter(username="zhaoliu").exists()

    dialog.locator("input[data-test=account-password]").fill(INITIAL)
    dialog.locator("[data-test=account-save]").click()
    row = page.locator("[data-test=users] tr", has_text="zhaoliu")
    row.wait_for()
    assert "待改密" in row.inner_text()
    screenshot(page, "admin-account-created")

    page.context.clear_cookies()
    page.goto("/login/?next=/console/")
    page.fill("input[name=username]", "zhaoliu")
    page.fill("input[name=password]", INITIAL)
    page.click("button[type=submit]")
    page.wait_for_url("**/login/password/**")
    assert "请先设置您自己的密码" in page.inner_text("body")
    screenshot(page, "login-forced-password-change")
    page.fill("input[name=new_password1]", OWN)
    page.fill("input[name=new_password2]", OWN)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")
    user = User.objects.get(username="zhaoliu")
    assert user.password_changed_at is not None and user.check_password(OWN)


def test_an_administrator_builds_a_grid_and_its_worker_sees_exactly_its_households(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree, settings: Any
) -> None:
    _admin(tree, settings)
    first, second, third = _households(tree)
    make_user("xinwangge", Role.GRID_WORKER, tree.floor_group, password_changed_at=timezone.now())
    page = console_page
    log_in(page, "quadmin", settings.LIANBANG_DEMO_PASSWORD, next_path="/console/admin/grids")

    _pick_district(page, ".lbw-head .el-cascader", tree)
    page.locator("[data-test=grid-building]").click()
    _choose(page, tree.building.name)
    page.locator("[data-test=grids]").wait_for()
    page.click("[data-test=new-grid]")
    page.locator("input[data-test=grid-code]").fill("G-0100")
    page.locator("input[data-test=grid-name]").fill("7栋第100网格")
    page.click("[data-test=grid-save]")
    page.locator("[data-test=grids] tr", has_text="G-0100").wait_for()

    page.locator("[data-test=worker-G-0100]").click()
    _choose(page, "xinwangge")
    page.locator("[data-test=grids] tr", has_text="G-0100").locator("text=xinwangge").wait_for()
    households = page.locator("[data-test=grid-households]")
    for household in (first, third):
        households.locator("tr", has_text=household.household_no).locator(".el-checkbox").click()
    page.locator("[data-test=move-target]").click()
    _choose(page, "G-0100")
    page.click("[data-test=move]")
    expect(page.locator("[data-test=count-G-0100]")).to_have_text("2")
    screenshot(page, "admin-grids")
    grid = MicroGrid.objects.get(code="G-0100")
    assert set(grid.households.values_list("pk", flat=True)) == {first.pk, third.pk}
    assert grid.worker is not None and grid.worker.username == "xinwangge"

    page.context.clear_cookies()
    log_in(page, "xinwangge", PASSWORD, next_path="/console/")
    page.wait_for_url("**/console/households")
    rows = page.locator("[data-test=household-link]")
    rows.first.wait_for()
    assert sorted(rows.all_inner_texts()) == sorted([first.household_no, third.household_no])
    assert second.household_no not in page.inner_text("body")
    screenshot(page, "console-household-list-new-grid-worker")


def test_an_official_sets_a_manual_label_and_sees_who_set_it(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())
    household = _households(tree)[0]
    page = console_page
    log_in(page, "officer", PASSWORD, next_path=f"/console/households/{household.pk}")

    labels = page.locator("[data-test=manual-labels]")
    labels.locator("[data-test=set-left_behind_child]").click()
    held = labels.locator("[data-test=held-left_behind_child]")
    held.wait_for()
    assert "officer" in held.inner_text() and "标注" in held.inner_text()
    assert HouseholdLabel.objects.filter(
        household=household, label__code="left_behind_child", set_by__username="officer"
    ).exists()
    # The file's labels by category take it in too.
    page.locator(".lb-tag", has_text="留守儿童").wait_for()
    screenshot(page, "console-household-manual-label")


def test_an_administrator_edits_a_computed_label_with_validation_and_preview(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree, settings: Any
) -> None:
    settings.LIANBANG_DEMO_MODE = True
    admin = User.objects.create_user("sysadmin", password=settings.LIANBANG_DEMO_PASSWORD, full_name="管理员")
    admin.assignments.create(unit=tree.district, role=Role.SYSTEM_ADMIN)
    _households(tree)
    page = console_page
    log_in(page, "sysadmin", settings.LIANBANG_DEMO_PASSWORD, next_path="/console/admin/labels")

    page.locator("[data-test=edit-lifted_out]").click()
    dialog = page.locator(".el-dialog:visible")
    condition = dialog.locator("textarea[data-test=label-condition]")
    lifted_out = {"fact": "category", "op": "=", "value": "lifted_out"}
    condition.fill(json.dumps({"all": [lifted_out, {"fact": "nope", "op": "=", "value": 1}]}))
    dialog.locator("[data-test=label-save]").click()
    problems = dialog.locator("[data-test=label-problems]")
    problems.wait_for()
    assert "condition.all[1].fact" in problems.inner_text()
    screenshot(page, "admin-label-edit-problems")

    condition.fill(json.dumps(lifted_out))
    dialog.locator("[data-test=label-preview-button]").click()
    assert "此条件将命中 3 户" in dialog.locator("[data-test=label-preview]").inner_text()
    dialog.locator("input[data-test=label-name]").fill("脱贫户（已核）")
    dialog.locator("[data-test=label-save]").click()
    page.locator("[data-test=labels] td", has_text="脱贫户（已核）").wait_for()

    assert Label.objects.get(code="lifted_out").name == "脱贫户（已核）"


def test_the_district_administrator_adds_a_community_under_a_street_and_sees_it_in_the_tree(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree, settings: Any
) -> None:
    _admin(tree, settings)
    page = console_page
    log_in(page, "quadmin", settings.LIANBANG_DEMO_PASSWORD, next_path="/console/admin/units")
    units = page.locator("[data-test=unit-tree]")

    units.locator(".el-tree-node__content", has_text=tree.district.name).first.click()
    units.locator(".el-tree-node__content", has_text=tree.street.name).first.click()
    expect(page.locator("[data-test=unit-selected]")).to_have_text(tree.street.name)
    page.click("[data-test=unit-add]")
    dialog = page.locator(".el-dialog:visible")
    assert "社区" in dialog.locator(".el-dialog__title").inner_text()
    dialog.locator("input[data-test=unit-name]").fill(tree.community.name)  # a sibling's name
    dialog.locator("[data-test=unit-save]").click()
    expect(dialog.locator(".el-form-item__error")).to_have_text("同一上级下已有同名单位")
    assert Unit.objects.filter(parent=tree.street).count() == 1

    dialog.locator("input[data-test=unit-name]").fill("幸福社区")
    dialog.locator("input[data-test=unit-code]").fill("530113001002")
    dialog.locator("[data-test=unit-save]").click()
    units.locator(".el-tree-node__content", has_text="幸福社区").wait_for()
    expect(page.locator("[data-test=unit-notice]")).to_contain_text("幸福社区")
    screenshot(page, "admin-unit-added")
    added = Unit.objects.get(name="幸福社区")
    assert (added.parent_id, added.level, added.code) == (
        tree.street.pk,
        Unit.Level.COMMUNITY,
        "530113001002",
    )
