"""The console's lists and the lower drill-down in a real browser: a community officer clicks the
red figure through to the filtered household list (as many rows as the figure), sorts it by
per-capita income from the header, and drills from a red household to a person (人员档案) →
a matter → its situation (提事知情) → a policy that fits (提情知策)."""

from __future__ import annotations

import copy
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.audit.models import Action, AuditEntry
from lianbang.cases.models import Case
from lianbang.cases.services.opening import cases_open_pending
from lianbang.conftest import Tree
from lianbang.monitoring.models import Label, RuleSet
from lianbang.monitoring.tests.builders import green_family, income, judged
from lianbang.policies.models import Policy
from lianbang.registry.models import Household
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _one_session_write(settings: Any) -> None:
    """SQLite in memory locks whole tables; see test_console_drilldown_browser."""
    settings.SESSION_SAVE_EVERY_REQUEST = False


def _defaults() -> None:
    """Rules, labels and the policy catalogue as the migrations make them (an earlier browser
    test flushed the tables)."""
    if not RuleSet.objects.filter(status="active").exists():
        import_module("lianbang.monitoring.migrations.0002_default_rule_set").add_defaults(django_apps, None)
    if not Label.objects.exists():
        import_module("lianbang.monitoring.migrations.0003_default_labels").add_labels(django_apps, None)
    if not Policy.objects.exists():
        import_module("lianbang.policies.migrations.0002_default_policies").add_defaults(django_apps, None)


def _family(tree: Tree, number: str, room: str, per_head: int | None) -> Household:
    """A family of three; ``per_head`` under the monitoring line makes it red, with a grade-1
    disabled member who receives no disability allowance (a missed entitlement)."""
    family: dict[str, Any] = copy.deepcopy(green_family())
    family["household_no"] = number
    family["grid"] = tree.grid.code
    family["address"] = {"building": "7", "unit": "1", "floor": int(room[0]), "room": room}
    if per_head is not None:
        family["incomes"] = [income(2025, per_head * 3), income(2026, per_head * 3)]
        family["members"][1].update(
            health="残疾", disability_type="肢体", disability_grade=1, labor_skill="丧失劳动力"
        )
        family["members"][1].pop("employment", None)
    return judged(family).household


@pytest.fixture
def homes(tree: Tree) -> dict[str, Household]:
    _defaults()
    found = {
        # the poorer household has the higher number: the income order is not the number order
        "poorer": _family(tree, "530113-900012", "301", 1500),
        "poor": _family(tree, "530113-900011", "302", 2500),
        "green": _family(tree, "530113-900013", "201", None),
    }
    cases_open_pending()
    return found


def test_an_officer_clicks_the_red_figure_sorts_and_drills_to_a_policy(  # type: ignore[no-untyped-def]
    console_page, tree: Tree, homes: dict[str, Household]
) -> None:
    page = console_page
    poorer, poor = homes["poorer"], homes["poor"]
    assert poorer.light.color == poor.light.color == "red" and homes["green"].light.color == "green"
    case = Case.objects.get(household=poorer, kind="risk", closed_at__isnull=True)
    make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())
    log_in(page, "officer", PASSWORD, next_path=f"/console/units/{tree.community.pk}")

    figure = page.locator("[data-test=figure-red]")
    figure.wait_for()
    assert figure.inner_text() == "2"
    figure.click()
    page.wait_for_url("**/console/households?*light=red*")
    rows = page.locator("[data-test=household-link]")
    rows.first.wait_for()
    assert page.locator("[data-test=row-count]").inner_text() == "2"
    assert sorted(rows.all_inner_texts()) == sorted([poorer.household_no, poor.household_no])
    assert not page.get_by_text("未应用").count()  # every filter of the link is applied

    page.locator("th", has_text="人均纯收入").click()  # ascending: the poorer household first
    page.wait_for_url("**sort=income*")
    expect(rows).to_have_text([poorer.household_no, poor.household_no])
    expect(page.locator("[data-test=per-capita]")).to_have_text(["1500.00", "2500.00"])
    page.locator("th", has_text="人均纯收入").click()  # descending
    page.wait_for_url("**sort=-income*")
    expect(rows).to_have_text([poor.household_no, poorer.household_no])
    expect(page.locator("[data-test=per-capita]")).to_have_text(["2500.00", "1500.00"])
    screenshot(page, "console-household-list-red-by-income")

    page.locator("[data-test=household-link]", has_text=poorer.household_no).click()
    page.wait_for_url(f"**/console/households/{poorer.pk}")
    head = poorer.members.get(relation="head")
    page.click(f"[data-test=member-{head.pk}]")
    page.wait_for_url(f"**/console/members/{head.pk}")
    page.locator("[data-test=person-name]").filter(has_text=head.name).wait_for()
    assert page.locator("[data-test=person-id_number]").inner_text() != head.id_number
    assert page.locator("[data-test=employment-link]").get_attribute("href") == (
        f"/console/people/employment/members/{head.pk}"
    )
    crumbs = page.locator("[data-test=breadcrumb]").inner_text()
    assert tree.community.name in crumbs and poorer.household_no in crumbs and head.name in crumbs
    page.click("[data-test=reveal-id_number]")
    page.fill("[data-test=reveal-reason]", "核对本人身份")
    page.click("[data-test=reveal-confirm]")
    page.locator("[data-test=person-id_number]", has_text=head.id_number).wait_for()
    assert AuditEntry.objects.filter(
        action=Action.REVEAL, reason="核对本人身份", object_id=str(head.pk)
    ).exists()
    screenshot(page, "console-member")

    page.locator("[data-test=matter-link]", has_text=case.title).click()
    page.wait_for_url(f"**/console/members/{head.pk}/matters/{case.pk}")
    page.locator("[data-test=rule-reason]", has_text="人均纯收入低于监测线").first.wait_for()
    assert page.locator("[data-test=situation-history]").inner_text().count("→") >= 1
    screenshot(page, "console-situation")

    page.click("[data-test=to-policies]")
    page.wait_for_url(f"**/console/members/{head.pk}/matters/{case.pk}/policies")
    missed = page.locator("[data-test=fit-missed] [data-test=policy-link]", has_text="残疾人两项补贴")
    missed.first.click()
    page.locator("[data-test=policy-detail]", has_text="残疾人两项补贴").wait_for()
    crumbs = page.locator("[data-test=breadcrumb]").inner_text()
    for part in (
        tree.community.name,
        poorer.household_no,
        head.name,
        case.title,
        "事项情况",
        "残疾人两项补贴",
    ):
        assert part in crumbs, part
    screenshot(page, "console-policy-fit")

    # a person of another household with this matter in the URL: an error, not two households mixed
    stranger = poor.members.get(relation="head")
    for suffix in ("", "/policies"):
        page.goto(f"/console/members/{stranger.pk}/matters/{case.pk}{suffix}")
        expect(page.locator("[data-test=error]")).to_contain_text("该事项不属于此人所在户")
        assert not page.locator("[data-test=breadcrumb]").count()
