"""The missed-entitlement list and the care lists to Excel: a transfer job whose workbook holds
the list's rows with its filters, within the caller's units, masked, audited; a bad or unknown
filter is refused before any job starts, and a caller without ``export`` gets a 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import AuditEntry
from lianbang.care.services import child_pair, schedule_save
from lianbang.care.tests.people import elder_alone, household, person
from lianbang.jobs.models import Job

JSON = "application/json"


def _sheet(client: Client, url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(url, body, content_type=JSON)
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    rows = CalamineWorkbook.from_path(job.result_path).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _disabled(number: str, room: str, id17: str) -> Any:
    return household(
        number,
        "G-0001",
        room,
        [
            person(
                id17, "周建国", health="残疾", disability_type="肢体", disability_grade=1, phone="13912345678"
            )
        ],
        phone="13912345678",
    )


def test_the_missed_list_export_holds_the_units_missed_pairs_masked_and_audited(
    cast: Cast, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    inside = _disabled("530113-000301", "403", "53011319700505001")
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    body = {"unit": str(cast.tree.community.pk), "policy": "disability_subsidy"}
    sheet = _sheet(client, "/api/v1/policies/missed/export", body)
    assert [(r["户编号"], r["应享政策"], r["户主姓名"]) for r in sheet] == [
        (inside.household_no, "残疾人两项补贴", "周建国")
    ]
    assert sheet[0]["联系电话"] == "139****5678" and sheet[0]["享受条件（已符合）"]
    entry = AuditEntry.objects.filter(action="export", object_id="policies_missed").latest("pk")
    assert entry.changes == {
        "rows": 1,
        "masked": True,
        "filter": {"unit": str(cast.tree.community.pk), "policy": "disability_subsidy"},
    }


def test_a_bad_filter_an_outside_unit_or_no_export_permission_starts_no_job(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    before = Job.objects.count()
    bad = client.post("/api/v1/policies/missed/export", {"policy": "nope"}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["fields"]["policy"]["value"] == "nope"
    unknown = client.post("/api/v1/policies/missed/export", {"unit_id": 1}, content_type=JSON)
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid"
    outside = client.post("/api/v1/policies/missed/export", {"unit": cast.street2.pk}, content_type=JSON)
    assert outside.status_code == 404 and outside.json()["fields"]["unit"]["value"] == cast.street2.pk
    url = f"/api/v1/care/units/{cast.tree.community.pk}/schedules/export"
    flag = client.post(url, {"overdue": "maybe"}, content_type=JSON)
    assert flag.status_code == 400 and flag.json()["fields"]["overdue"]["value"] == "maybe"
    far = client.post(f"/api/v1/care/units/{cast.street2.pk}/schedules/export", {}, content_type=JSON)
    assert far.status_code == 404
    secretary = logged_in(cast.user(Role.BRANCH_SECRETARY))  # sees the lists, may not export
    assert secretary.post(url, {}, content_type=JSON).status_code == 403
    assert secretary.post("/api/v1/policies/missed/export", {}, content_type=JSON).status_code == 403
    assert Job.objects.count() == before


def test_the_overdue_visits_and_the_children_are_exported_masked(cast: Cast, settings: Any) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    today = timezone.localdate()
    late = elder_alone()
    schedule_save(actor=None, household=late, member_id=late.members.get().pk, reason="独居",
                  next_due=today - timedelta(days=4))  # fmt: skip
    soon = household("530113-000102", "G-0001", "405", [person("53011319400312010", "陈阿婆")])
    schedule_save(actor=None, household=soon, member_id=soon.members.get().pk, reason="独居",
                  next_due=today + timedelta(days=3))  # fmt: skip
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}"
    overdue = _sheet(client, f"{url}/schedules/export", {"overdue": True})
    assert [(r["户编号"], r["姓名"], r["超期天数"], r["关爱类别"]) for r in overdue] == [
        (late.household_no, "王秀英", 4, "独居")
    ]
    every = _sheet(client, f"{url}/schedules/export", {})
    assert [r["户编号"] for r in every] == [late.household_no, soon.household_no]
    home = household("530113-000201", "G-0001", "406", [
        person("53011319560101003", "李桂芳"),
        person("53011320160520002", "李小花", relation="之孙女", education=None, schooling="小学"),
    ])  # fmt: skip
    child_pair(actor=None, household=home, child_id=home.members.get(name="李小花").pk, kind="留守儿童",
               guardian_name="李桂芳", guardian_phone="13912345678", started_on=today)  # fmt: skip
    children = _sheet(client, f"{url}/children/export", {})
    assert [(r["户编号"], r["儿童姓名"], r["责任人电话"]) for r in children] == [
        (home.household_no, "李**", "139****5678")
    ]
    assert "李小花" not in str(children)
    entry = AuditEntry.objects.filter(action="export", object_id="care_schedules").order_by("pk").first()
    assert entry is not None and entry.changes["filter"] == {
        "unit_id": str(cast.tree.community.pk),
        "overdue": "true",
    }
