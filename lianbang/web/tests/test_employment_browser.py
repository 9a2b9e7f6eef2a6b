"""The employment console in a real browser (issue 10): a newcomer follows the demo worker
韩鑫霖 from the household file through every step of their path; an official records a wish, a
referral and its outcome through the forms; an enterprise with a wrong credit code is refused
under the field, then registered, given a job, and the jobs are exported to Excel."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from lianbang.accounts.models import Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.conftest import Tree
from lianbang.employment.models import Enrolment, Enterprise, FollowUp, Passenger, Placement, Referral, Wish
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import save_family
from lianbang.jobs.models import Job
from lianbang.monitoring.models import Label, RuleSet
from lianbang.org.models import Unit
from lianbang.registry.models import Household, Member, Visit
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def defaults(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    """The migrations' rules and labels (a transactional test before may have flushed them);
    export jobs run inside the request (the live server's SQLite is one shared connection)."""
    if not RuleSet.objects.exists():
        importlib.import_module("lianbang.monitoring.migrations.0002_default_rule_set").add_defaults(
            apps, None
        )
    if not Label.objects.exists():
        importlib.import_module("lianbang.monitoring.migrations.0003_default_labels").add_labels(apps, None)
    settings.LIANBANG_JOBS_THREADED = False
    settings.VAR_DIR = tmp_path / "var"


def _official(username: str, role: str, unit: Unit) -> User:
    return make_user(username, role, unit, password_changed_at=timezone.now())


def _step(page: Any, name: str) -> str:
    text: str = page.locator(f"[data-test=step-{name}]").inner_text()
    return text


def test_a_newcomer_follows_the_demo_worker_from_the_household_file(  # type: ignore[no-untyped-def]
    defaults, console_page, fast_passwords
) -> None:
    from lianbang.demo.services import district_generate
    from lianbang.employment.demo import demo_employment

    district_generate()
    summary = demo_employment()
    assert "530113-000117 的 韩鑫霖" in summary.showcase
    household = Household.objects.select_related("unit").get(household_no="530113-000117")
    worker = household.members.get(name="韩鑫霖")
    community = Unit.objects.get(pk=int(household.unit.path.strip("/").split("/")[2]))
    _official("newcomer", Role.COMMUNITY_OFFICIAL, community)
    page = console_page

    log_in(page, "newcomer", PASSWORD, f"/console/households/{household.pk}")
    page.locator(f"[data-test=employment-{worker.pk}]").click()
    page.wait_for_url(f"**/console/people/employment/members/{worker.pk}")
    page.locator("[data-test=employment-path]").wait_for()

    assert "韩鑫霖" in page.locator("[data-test=member-head]").inner_text()
    assert "连续就业满 6 个月" in page.inner_text("body")
    entry = worker.survey_entries.get()
    assert entry.reached_at is not None and entry.get_status_display() in _step(page, "survey")
    wish = Wish.objects.get(member=worker)
    assert wish.recorded_on.isoformat() == "2026-03-04"
    assert all(text in _step(page, "wish") for text in ("2026-03-04", "浙江服务站", "省外", "暂不求职"))
    referral = Referral.objects.select_related("posting").get(member=worker, outcome="hired")
    assert all(text in _step(page, "referrals") for text in (referral.posting.title, "已录用"))
    enrolment = Enrolment.objects.select_related("course").get(member=worker)
    training = _step(page, "training")
    course = ("温州宏远家具有限公司订单班", "2026-03-16", "2026-04-05", "10/10", enrolment.certificate_no)
    assert all(text in training for text in course)
    assert Passenger.objects.filter(member=worker, arrived=True).exists()
    assert all(text in _step(page, "transport") for text in ("云A·D6688", "2026-04-09", "2026-04-11"))
    placement = Placement.objects.get(member=worker, ended_on=None)
    assert all(text in _step(page, "placement") for text in (placement.employer, "2026-04-11", "三门连接"))
    calls = FollowUp.objects.filter(placement=placement).order_by("due_on")
    follow_ups = _step(page, "follow-ups")
    assert calls.count() == 6 and all(c.due_on.isoformat() in follow_ups for c in calls)
    assert "稳定就业：自 2026-04-11 起连续就业" in _step(page, "outcome")
    screenshot(page, "employment-member-path")


def test_an_official_records_a_wish_and_a_referral_with_its_outcome(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    family = save_family(tree)
    spouse = family.spouse
    job = factories.posting(tree.district, title="电子厂普工", job_type="electronics")
    _official("officer", Role.COMMUNITY_OFFICIAL, tree.community)
    page = console_page

    log_in(page, "officer", PASSWORD, f"/console/households/{family.household.pk}")
    page.locator(f"[data-test=employment-{spouse.pk}]").click()
    page.locator("[data-test=employment-path]").wait_for()
    assert "尚无记录" in _step(page, "wish") and "未就业" in _step(page, "outcome")

    page.click("[data-test=wish-open]")
    dialog = page.locator("[data-test=wish-dialog]")
    dialog.locator("[data-test=wish-job-types]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="电子装配").click()
    dialog.locator("[data-test=wish-min-wage]").fill("3200")
    dialog.locator("[data-test=wish-min-wage]").press("Tab")
    dialog.locator("[data-test=wish-save]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-test=step-wish]').innerText.includes('电子装配')"
    )
    wish = Wish.objects.get(member=spouse)
    assert (wish.job_types, wish.min_wage) == (["electronics"], 3200)
    assert Visit.objects.filter(household=family.household).exists()  # the door-knocking visit
    assert "3200" in _step(page, "wish")

    page.click(f"[data-test=refer-{job.pk}]")
    page.locator(f"[data-test=referral-{job.pk}]").wait_for()
    assert "电子厂普工" in _step(page, "referrals") and "待反馈" in _step(page, "referrals")
    page.click(f"[data-test=outcome-open-{job.pk}]")
    page.locator("[data-test=outcome-dialog] [data-test=outcome-save]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-test=step-referrals]').innerText.includes('已录用')"
    )
    assert job.enterprise.name in _step(page, "placement")
    assert "在岗" in _step(page, "outcome")
    spouse.refresh_from_db()
    assert spouse.employer == job.enterprise.name and Referral.objects.get().outcome == "hired"
    screenshot(page, "employment-member-forms")


def test_an_enterprise_is_registered_given_a_job_and_the_jobs_exported(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    _official("street", Role.STREET_OFFICIAL, tree.street)
    page = console_page

    log_in(page, "street", PASSWORD, "/console/people/employment")
    page.get_by_role("tab", name="企业", exact=True).click()
    page.click("[data-test=enterprise-new]")
    form = page.locator("[data-test=employment-form]")
    form.locator("[data-test=f-name]").fill("东川恒达制衣有限公司")
    form.locator("[data-test=f-credit-code]").fill("91530113000000001A")
    form.locator("[data-test=form-save]").click()
    error = form.locator(".el-form-item__error")
    error.wait_for()
    assert "统一社会信用代码" in error.inner_text() and not Enterprise.objects.exists()
    screenshot(page, "employment-enterprise-error")

    form.locator("[data-test=f-credit-code]").fill(factories.credit_code(7))
    form.locator("[data-test=form-save]").click()
    page.locator("[data-test=enterprises]", has_text="东川恒达制衣有限公司").wait_for()
    enterprise = Enterprise.objects.get()
    assert enterprise.work_location == "in_township"  # the form's default, sent as its code
    page.click(f"[data-test=post-job-{enterprise.pk}]")
    form.locator("[data-test=f-title]").fill("缝纫工")
    form.locator(".el-date-editor input").fill("2099-12-31")
    form.locator(".el-date-editor input").press("Enter")
    form.locator("[data-test=form-save]").click()
    form.wait_for(state="hidden")
    posting = enterprise.postings.get()
    assert (posting.title, posting.work_location) == ("缝纫工", "in_township")  # the enterprise's

    page.get_by_role("tab", name="岗位", exact=True).click()
    page.locator("[data-test=postings]", has_text="缝纫工").wait_for()
    page.click("[data-test=export-postings]")
    page.wait_for_url("**/transfer/jobs/*/")
    job = Job.objects.get(kind="employment_export")
    assert job.status == Job.Status.DONE and job.message == "岗位清单：1 行"
    assert "岗位清单" in page.inner_text("body")
    screenshot(page, "employment-export-job")
    assert Member.objects.count() == 0  # nothing else was touched


def test_the_enterprise_form_offers_the_work_locations_in_english(  # type: ignore[no-untyped-def]
    defaults, console_page, tree: Tree
) -> None:
    _official("street", Role.STREET_OFFICIAL, tree.street)
    page = console_page
    log_in(page, "street", PASSWORD, "/console/people/employment")
    page.evaluate("localStorage.setItem('lianbang.locale', 'en')")
    page.reload()

    page.get_by_role("tab", name="Enterprises", exact=True).click()
    page.click("[data-test=enterprise-new]")
    page.locator("[data-test=employment-form] [data-test=f-work-location]").click()
    options = page.locator(".el-select-dropdown__item:visible")
    options.first.wait_for()
    assert options.all_inner_texts() == [
        "in the township",
        "in the county, outside the township",
        "in the province, outside the county",
        "outside the province",
    ]
