"""The phone app in a real browser (Chromium, 360 × 640): a grid worker logs in, goes offline,
records a visit with a photo and an event, closes and reopens the app, comes back online, and
each record reaches the server exactly once; a conflicting edit shows the conflict screen; the
first screen loads on slow 3G and stays under its size budget."""

from __future__ import annotations

import base64
import gzip
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from lianbang.accounts.models import Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.cases.models import Alert
from lianbang.conftest import Tree
from lianbang.mobile.models import VisitDetail, VisitPhoto
from lianbang.registry.models import Event, Household, Visit
from lianbang.registry.services import household_update
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser
FIRST_SCREEN_BUDGET = 300 * 1024  # gzipped bytes
# Chromium DevTools' "Slow 3G": 2 s round trip, 400 kbit/s down and up.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def grid_worker(tree: Tree) -> User:
    user = make_user("grid0001", Role.GRID_WORKER, tree.floor_group, password_changed_at=timezone.now())
    tree.grid.worker = user
    tree.grid.save()
    return user


def open_app(page: Any) -> None:
    """Log in, wait for the households to download and the service worker to hold the shell."""
    log_in(page, "grid0001", PASSWORD, "/m/")
    page.locator("[data-test=household]").first.wait_for()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def camera_photo(page: Any) -> bytes:
    """A large JPEG such as a phone camera gives (drawn by the browser itself)."""
    data_url = page.evaluate(
        """() => { const c = document.createElement('canvas'); c.width = 3000; c.height = 2000;
        const g = c.getContext('2d'); for (let i = 0; i < 300; i++) { g.fillStyle = `hsl(${i},70%,50%)`;
        g.fillRect((i * 97) % 3000, (i * 53) % 2000, 400, 300) } return c.toDataURL('image/jpeg', 0.95) }"""
    )
    return base64.b64decode(data_url.split(",", 1)[1])


def settled(page: Any) -> None:
    """The app is not syncing (the test's ORM reads share SQLite's one in-memory connection)."""
    page.locator("html[data-sync=idle]").wait_for(state="attached", timeout=20_000)


def test_records_made_offline_arrive_once_after_reopening(
    phone_page, tree: Tree, household: Household
) -> None:  # type: ignore[no-untyped-def]
    page, context = phone_page, phone_page.context
    grid_worker(tree)
    member = household.members.order_by("pk").first()
    open_app(page)
    screenshot(page, "phone-grid")
    photo = camera_photo(page)

    context.set_offline(True)
    page.locator("[data-test=household]").first.click()  # tap 1
    page.locator("[data-test=start-visit]").click()  # tap 2
    page.set_input_files(
        "[data-test=photo]", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.locator(".photo-preview").wait_for()
    screenshot(page, "phone-visit")
    page.locator("[data-test=submit-visit]").click()  # tap 3: a routine visit, all well
    page.wait_for_url(re.compile(rf"/m/h/{household.pk}$"))
    page.locator("[data-test=start-event]").click()
    page.locator("[data-test=type-job_loss]").click()
    page.locator(f"[data-test=member-{member.pk}]").click()
    page.locator("[data-test=event-note]").locator("textarea").fill("厂里裁员")
    screenshot(page, "phone-event")
    page.locator("[data-test=submit-event]").click()
    page.wait_for_url(re.compile(rf"/m/h/{household.pk}$"))
    screenshot(page, "phone-household")
    page.close()

    page = context.new_page()  # reopened with no network: the shell and the queue are on the phone
    page.goto("/m/sync")
    page.locator("[data-test=queue-item][data-status=pending]").nth(2).wait_for()
    assert page.locator("[data-test=network]").inner_text() == "离线"
    screenshot(page, "phone-sync-offline")
    assert not Visit.objects.exists() and not Event.objects.filter(type="job_loss").exists()

    context.set_offline(False)  # the online event uploads the queue
    page.locator("[data-test=queue-item][data-status=applied]").nth(2).wait_for(timeout=20_000)
    settled(page)
    page.locator("[data-test=sync-now]").click()  # sending again changes nothing
    page.locator("html[data-sync=busy]").wait_for(state="attached")
    settled(page)
    screenshot(page, "phone-sync-done")

    visit = Visit.objects.get(household=household)
    assert visit.all_well and visit.purpose == "日常走访"
    assert VisitDetail.objects.get(visit=visit).place == "7栋1单元201"
    stored = VisitPhoto.objects.get(visit=visit)
    assert stored.content_type == "image/jpeg" and stored.size < len(photo)  # downscaled
    event = Event.objects.get(household=household, type="job_loss")
    assert event.member == member and event.note == "厂里裁员"


def test_a_conflicting_edit_shows_both_values_and_the_workers_choice_wins(  # type: ignore[no-untyped-def]
    phone_page, tree: Tree, household: Household
) -> None:
    page, context = phone_page, phone_page.context
    user = grid_worker(tree)
    open_app(page)
    context.set_offline(True)
    page.locator("[data-test=household]").first.click()
    page.locator("[data-test=start-edit]").click()
    page.locator("input[type=tel]").fill("13900000001")
    page.locator("[data-test=submit-edit]").click()
    page.wait_for_url(re.compile(rf"/m/h/{household.pk}$"))
    household_update(household=household, changes={"phone": "13800000002"}, actor=user)  # someone else

    context.set_offline(False)
    page.goto("/m/sync")
    page.locator("[data-test=queue-item][data-status=conflict]").click(timeout=20_000)
    assert page.locator("[data-test=yours]").inner_text() == "13900000001"
    assert page.locator("[data-test=theirs]").inner_text() != "13900000001"
    screenshot(page, "phone-conflict")
    page.locator("[data-test=keep-mine]").click()
    page.locator("[data-test=queue-item][data-status=applied]").wait_for(timeout=20_000)
    settled(page)
    assert Household.objects.get(pk=household.pk).phone == "13900000001"


def test_a_self_declared_application_reaches_the_cases_app(
    phone_page, tree: Tree, household: Household
) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    grid_worker(tree)
    open_app(page)
    page.locator("[data-test=household]").first.click()
    page.locator("[data-test=start-declare]").click()
    page.locator("[data-test=risk-illness]").click()
    page.locator("[data-test=declare-note]").locator("textarea").fill("父亲住院，医药费困难")
    screenshot(page, "phone-declare")
    page.locator("[data-test=submit-declare]").click()
    page.goto("/m/sync")
    page.locator("[data-test=queue-item][data-status=applied]").wait_for(timeout=20_000)
    settled(page)
    assert Alert.objects.filter(household=household, channel="self_declared").count() == 1
    page.goto("/m/tasks")
    page.locator("[data-test=alerts]").wait_for()
    screenshot(page, "phone-tasks")


def first_screen_files() -> list[Path]:
    """The phone's entry page and what it loads before the first screen (scripts, preloads, CSS)."""
    dist = Path(settings.LIANBANG_FRONTEND_DIST)
    html = (dist / "mobile" / "index.html").read_text(encoding="utf-8")
    names = re.findall(r'(?:src|href)="/static/app/([^"]+\.(?:js|css))"', html)
    return [dist / "mobile" / "index.html", *(dist / name for name in names)]


def test_the_first_screen_is_under_its_size_budget() -> None:
    sizes = {path.name: len(gzip.compress(path.read_bytes(), 9)) for path in first_screen_files()}
    assert sum(sizes.values()) < FIRST_SCREEN_BUDGET, sizes


def test_the_app_opens_on_slow_3g(phone_page, tree: Tree, household: Household) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    grid_worker(tree)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    started = time.monotonic()
    log_in(page, "grid0001", PASSWORD, "/m/")
    page.locator("[data-test=household]").first.wait_for(timeout=60_000)
    assert time.monotonic() - started < 60
