"""The phone's employment and care forms in a real browser: offline, a grid worker records a
member's job wishes, a due follow-up and an overdue elderly care visit; back online, each
reaches the server exactly once (and syncing again changes nothing)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lianbang.care.models import CareVisit
from lianbang.care.services import schedule_save
from lianbang.conftest import Tree
from lianbang.employment.models import FollowUp, Wish
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import Family, family
from lianbang.mobile.tests.test_phone_browser import grid_worker, open_app, settled
from lianbang.sync.models import SyncChange
from lianbang.testing.browser import screenshot

__all__ = ["family"]
pytestmark = pytest.mark.browser


def test_wishes_follow_ups_and_care_visits_made_offline_arrive_once(  # type: ignore[no-untyped-def]
    phone_page, tree: Tree, family: Family
) -> None:
    page, context = phone_page, phone_page.context
    grid_worker(tree)
    today = timezone.localdate()
    due = FollowUp.objects.create(
        placement=factories.placement(family.spouse), due_on=today - timedelta(days=3)
    )
    schedule_save(
        actor=None,
        household=family.household,
        member_id=family.head.pk,
        reason="alone",
        next_due=today - timedelta(days=2),
    )
    open_app(page)
    settled(page)

    context.set_offline(True)
    page.locator("[data-test=household]").first.click()
    page.locator(f"[data-test=work-{family.spouse.pk}]").click()
    page.locator("[data-test=follow-ups]").wait_for()
    page.locator("[data-test=save-follow-up]").click()
    page.locator("[data-test=job-electronics]").click()
    page.locator("[data-test=place-in_county]").click()
    page.locator("[data-test=constraint-care_elderly]").click()
    page.locator("[data-test=min-wage] input").fill("3200")
    screenshot(page, "phone-work")
    page.locator("[data-test=save-wish]").click()
    page.wait_for_url(re.compile(rf"/m/h/{family.household.pk}$"))

    page.goto("/m/tasks")
    page.locator("[data-test=care-due]").get_by_text(family.head.name).click()
    screenshot(page, "phone-tasks-care")
    page.locator("[data-test=care-all-well]").click()
    page.locator("[data-test=care-health] textarea").fill("血压偏高")
    screenshot(page, "phone-care-visit")
    page.locator("[data-test=save-care-visit]").click()
    page.wait_for_url(re.compile(r"/m/tasks$"))
    assert not Wish.objects.exists() and not CareVisit.objects.exists()

    page.goto("/m/sync")
    page.locator("[data-test=queue-item][data-status=pending]").nth(2).wait_for()
    context.set_offline(False)
    page.locator("[data-test=queue-item][data-status=applied]").nth(2).wait_for(timeout=20_000)
    settled(page)
    page.locator("[data-test=sync-now]").click()  # sending again changes nothing
    page.locator("html[data-sync=busy]").wait_for(state="attached")
    settled(page)
    screenshot(page, "phone-work-synced")

    wish = Wish.objects.get()
    assert wish.member == family.spouse and wish.job_types == ["electronics"]
    assert wish.places == ["in_county"] and wish.constraints == ["care_elderly"] and wish.min_wage == 3200
    due.refresh_from_db()
    assert due.done_on == today and due.method == "phone" and due.still_employed
    visit = CareVisit.objects.get()
    assert visit.member == family.head and not visit.all_well and visit.health_note == "血压偏高"
    kinds = sorted(SyncChange.objects.values_list("kind", flat=True))
    assert kinds == ["care_visit", "employment_follow_up", "employment_wish"]
