"""The console in a real browser: a community officer drills down from their community through
the building light map (with its ratings: a 五星家庭 star, a 五好楼栋 tag) to a red household,
reveals an ID with a reason and records a visit; a grid worker sees only their own grid.
Screenshots of the main pages land among the artefacts."""

from __future__ import annotations

import copy
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.audit.models import Action, AuditEntry
from lianbang.care.services import rating_decide, rating_propose
from lianbang.conftest import Tree
from lianbang.monitoring.models import Label, RuleSet
from lianbang.monitoring.tests.builders import green_family, income, judged
from lianbang.org.models import MicroGrid
from lianbang.registry.models import Household, Visit
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


def _family(tree: Tree, number: str, room: str, grid: MicroGrid, red: bool) -> Household:
    family: dict[str, Any] = copy.deepcopy(green_family())
    family["household_no"] = number
    family["grid"] = grid.code
    family["address"] = {"building": "7", "unit": "1", "floor": int(room[0]), "room": room}
    if red:  # 2,000 元 a head: under the monitoring line
        family["incomes"] = [income(2025, 6000), income(2026, 6000)]
    light = judged(family)
    return light.household


@pytest.fixture(autouse=True)
def _one_session_write(settings: Any) -> None:
    """The console asks for several things at once; the test database is SQLite in memory, whose
    shared cache locks a whole table, so concurrent session saves would fail there (not on
    PostgreSQL). The idle timeout's save on every request is not what these tests are about."""
    settings.SESSION_SAVE_EVERY_REQUEST = False


def _default_rules() -> None:
    """A browser test's database is emptied after each test, data migrations included: put the
    default rules, monitoring line and labels back the way the migrations do."""
    if RuleSet.objects.filter(status="active").exists():
        return
    import_module("lianbang.monitoring.migrations.0002_default_rule_set").add_defaults(django_apps, None)
    if not Label.objects.exists():
        import_module("lianbang.monitoring.migrations.0003_default_labels").add_labels(django_apps, None)


@pytest.fixture
def homes(tree: Tree) -> dict[str, Household]:
    _default_rules()
    other_grid = MicroGrid.objects.create(
        unit=tree.floor_group, building=tree.building, code="G-0002", name="7栋第2网格", region_code="530113"
    )
    return {
        "red": _family(tree, "530113-900001", "301", tree.grid, red=True),
        "green": _family(tree, "530113-900002", "201", other_grid, red=False),
    }


def _ratings(tree: Tree, homes: dict[str, Household]) -> None:
    """This year: the red household's 五星家庭 and the building's 五好楼栋 approved, the green
    household's 文明家庭 only proposed."""
    year = timezone.localdate().year
    criteria = {"邻里和睦": True}
    for subject, title in ((homes["red"], "five_star"), (tree.building, "five_good_building")):
        key = "household" if isinstance(subject, Household) else "building"
        rating = rating_propose(actor=None, year=year, title=title, criteria=criteria, **{key: subject})
        rating_decide(actor=None, rating=rating, approve=True)
    rating_propose(actor=None, year=year, title="civilised", criteria=criteria, household=homes["green"])


def test_an_officer_drills_down_to_a_red_household_reveals_an_id_and_records_a_visit(  # type: ignore[no-untyped-def]
    console_page, tree: Tree, homes: dict[str, Household]
) -> None:
    page = console_page
    red = homes["red"]
    assert red.light.color == "red"
    _ratings(tree, homes)
    make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())
    log_in(page, "officer", PASSWORD, next_path="/console/")

    page.locator("[data-test=unit-name]").filter(has_text=tree.community.name).wait_for()
    assert page.locator("[data-test=figure-red]").inner_text() == "1"
    screenshot(page, "console-home-community")

    page.locator("[data-test=child]", has_text=tree.area.name).click()
    page.locator("[data-test=unit-name]").filter(has_text=tree.area.name).wait_for()
    assert tree.community.name in page.locator("[data-test=breadcrumb]").inner_text()
    screenshot(page, "console-drilldown-area")

    page.click("[data-test=area-map]")
    page.locator("[data-test=building-rating]", has_text="五好楼栋").wait_for()
    page.get_by_role("link", name=tree.building.name).click()
    page.wait_for_url(f"**/console/buildings/{tree.building.pk}/map")
    cell = page.locator("[data-test=cell][data-light=red]")
    cell.first.wait_for()
    assert cell.count() == 1 and cell.get_attribute("data-room") == "301"
    # The approved 五星家庭 of this year: a star on the cell, the title in its tooltip; the
    # building's 五好楼栋 beside its name. The green household's rating is only proposed.
    year = timezone.localdate().year
    assert cell.locator("[data-test=cell-rating]").is_visible()
    assert page.locator("[data-test=cell-rating]").count() == 1
    assert page.locator("[data-test=building-rating]").inner_text() == f"★ {year} 五好楼栋"
    cell.hover()
    page.get_by_text("人均纯收入低于监测线").first.wait_for()
    page.get_by_text(f"{year}年度评星评优：五星家庭").wait_for()
    screenshot(page, "console-building-light-map")
    cell.click()

    page.wait_for_url(f"**/console/households/{red.pk}")
    page.locator("[data-test=household-no]").filter(has_text=red.household_no).wait_for()
    crumbs = page.locator("[data-test=breadcrumb]")
    crumbs.locator("[data-test=crumb-household]").wait_for()
    assert tree.community.name in crumbs.inner_text() and red.household_no in crumbs.inner_text()
    head = red.members.get(relation="head")
    shown = page.locator(f"[data-test=id-number-{head.pk}]")
    assert shown.inner_text() != head.id_number
    page.click(f"[data-test=reveal-{head.pk}]")
    page.click("[data-test=reveal-confirm]")  # no reason yet: the server says why
    page.locator("[data-test=reveal-error]").wait_for()
    assert "理由" in page.locator("[data-test=reveal-error]").inner_text()
    page.fill("[data-test=reveal-reason]", "核对户主身份")
    page.click("[data-test=reveal-confirm]")
    page.locator(f"[data-test=id-number-{head.pk}]", has_text=head.id_number).wait_for()
    assert AuditEntry.objects.filter(action=Action.REVEAL, reason="核对户主身份").count() == 1

    page.click("[data-test=record-visit]")
    page.fill("[data-test=visit-notes]", "户主病情稳定，已联系医保报销")
    page.click("[data-test=action-save]")
    page.locator("[data-test=visits]", has_text="户主病情稳定").wait_for()
    assert Visit.objects.get(household=red).notes == "户主病情稳定，已联系医保报销"
    screenshot(page, "console-household-file")


def test_a_grid_worker_sees_only_their_own_grid(  # type: ignore[no-untyped-def]
    console_page, tree: Tree, homes: dict[str, Household]
) -> None:
    page = console_page
    worker = make_user("grid1", Role.GRID_WORKER, tree.floor_group, password_changed_at=timezone.now())
    MicroGrid.objects.filter(pk=tree.grid.pk).update(worker=worker)
    log_in(page, "grid1", PASSWORD, next_path="/console/")

    page.wait_for_url("**/console/households")
    rows = page.locator("[data-test=household-link]")
    rows.first.wait_for()
    assert rows.all_inner_texts() == [homes["red"].household_no]
    screenshot(page, "console-household-list-grid-worker")

    page.goto(f"/console/households/{homes['green'].pk}")
    page.locator("[data-test=error]").wait_for()
    assert "无权访问" in page.locator("[data-test=error]").inner_text()


def test_the_people_list_and_english_switch(  # type: ignore[no-untyped-def]
    console_page, tree: Tree, homes: dict[str, Household]
) -> None:
    page = console_page
    make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())
    log_in(page, "officer", PASSWORD, next_path="/console/people")
    page.locator("[data-test=people-rows]").wait_for()
    assert page.locator("[data-test=people-rows] tbody tr").count() == 6
    page.click("[data-test=locale]")
    page.get_by_text("Household no.").first.wait_for()
    screenshot(page, "console-people-list-en")
    page.click("[data-test=locale]")

    # 导出Excel of the list as filtered (the red household's three people): a job, then its file
    page.goto("/console/people?light=red")
    rows = page.locator("[data-test=people-rows] tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3
    page.click("[data-test=export]")
    page.locator("[data-test=export-job]").wait_for()
    screenshot(page, "console-people-export-started")
    page.click("[data-test=export-job]")
    page.wait_for_url("**/transfer/jobs/*/")
    download_link = page.get_by_role("link", name="下载文件")
    download_link.wait_for(timeout=20_000)  # the page reloads when the job is done
    with page.expect_download() as download:
        download_link.click()
    sheet = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()
    red = homes["red"]
    assert [row[0] for row in sheet[1:]] == [red.household_no] * 3
    assert all(row[3] not in set(red.members.values_list("id_number", flat=True)) for row in sheet[1:])
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_id="people").count() == 1
    screenshot(page, "console-people-export-job")
