"""The missed-entitlement list and the care lists to Excel: a transfer job whose workbook holds
the list's rows with its filters, within the caller's units, masked, audited; a bad or unknown
filter is refused before any job starts, and a caller without ``export`` gets a 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import AuditEntry
from lianbang.care.models import Volunteer
from lianbang.care.services import (
    activity_record,
    child_pair,
    rating_decide,
    rating_propose,
    schedule_save,
    volunteer_register,
)
from lianbang.care.tests.people import elder_alone, household, person
from lianbang.jobs.models import Job

JSON = "application/json"


def _sheet(client: Client, url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(url, body, content_type=JSON)
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    rows = CalamineWorkbook.from_path(job.result_path).get_sheet_by_index(0).to_python()
    header = [str(title) for title in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


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


def _values(sheet: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in sheet]


def _volunteers(cast: Cast) -> tuple[Volunteer, Volunteer]:
    """钱志愿 (community, a phone, 12.5 hours, one child) and 孙志愿 (the area, nothing yet);
    beside them one of another street and one who left: neither is listed."""
    community, area = cast.tree.community, cast.tree.area
    money = volunteer_register(actor=None, unit=community, name="钱志愿", joined_on=date(2025, 3, 1),
                               phone="13912345678", skills=["理发", "维修"], hours_before=10)  # fmt: skip
    sun = volunteer_register(actor=None, unit=area, name="孙志愿", joined_on=date(2026, 1, 15))
    volunteer_register(actor=None, unit=cast.street2, name="赵外人", joined_on=date(2025, 1, 1),
                       phone="13800001111")  # fmt: skip
    gone = volunteer_register(actor=None, unit=community, name="周离开", joined_on=date(2024, 1, 1))
    Volunteer.objects.filter(pk=gone.pk).update(active=False)
    activity_record(actor=None, unit=area, kind="邻里认亲", title="认亲会", held_on=date(2026, 5, 1),
                    participants=[{"volunteer_id": money.pk, "hours": "2.5"},
                                  {"volunteer_id": sun.pk, "attended": False, "hours": "3"}])  # fmt: skip
    home = household("530113-000201", "G-0001", "406", [
        person("53011319560101003", "李桂芳"),
        person("53011320160520002", "李小花", relation="之孙女", education=None, schooling="小学"),
    ])  # fmt: skip
    child_pair(actor=None, household=home, child_id=home.members.get(name="李小花").pk, kind="留守儿童",
               guardian_name="李桂芳", started_on=date(2026, 2, 1), volunteer_ids=[money.pk])  # fmt: skip
    return money, sun


def test_the_volunteers_export_holds_the_units_volunteers_with_phones_masked_as_the_list(
    cast: Cast, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    _volunteers(cast)
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}/volunteers"
    sheet = _sheet(client, f"{url}/export", {})
    assert list(sheet[0]) == ["社区", "所属单位", "姓名", "联系电话", "技能", "服务时长（小时）", "结对儿童",
                              "加入日期"]  # fmt: skip
    assert _values(sheet) == [
        ("和谐社区", "和谐社区", "钱志愿", "139****5678", "理发、维修", 12.5, 1, date(2025, 3, 1)),
        ("和谐社区", "第一片区", "孙志愿", "", "", 0.0, 0, date(2026, 1, 15)),
    ]
    assert "13912345678" not in str(sheet)
    listed = client.get(url).json()["items"]
    assert [(v["name"], v["phone"], float(v["hours"])) for v in listed] == [
        (r["姓名"], r["联系电话"], r["服务时长（小时）"]) for r in sheet
    ]
    entry = AuditEntry.objects.filter(action="export", object_id="care_volunteers").get()
    assert entry.changes == {"rows": 2, "masked": True, "filter": {"unit_id": str(cast.tree.community.pk)}}


def test_the_activities_export_holds_the_units_activities_newest_first_with_counts_only(
    cast: Cast, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    money, _ = _volunteers(cast)  # 认亲会 in the area, with two volunteers (one attended)
    members = {m.name: m.pk for m in cast.home.members.all()}
    activity_record(actor=None, unit=cast.tree.community, kind="文化活动", title="重阳节合唱",
                    held_on=date(2026, 10, 29), place="社区广场", description="老年合唱队演出",
                    participants=[{"member_id": members["李梅"]},
                                  {"member_id": members["张三"], "attended": False},
                                  {"volunteer_id": money.pk, "hours": "2"}])  # fmt: skip
    activity_record(actor=None, unit=cast.street2, kind="其他", title="外街道", held_on=date(2026, 6, 1))
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}/activities"
    sheet = _sheet(client, f"{url}/export", {})
    assert list(sheet[0]) == ["社区", "所属单位", "活动名称", "类型", "日期", "地点", "内容", "参与人数",
                              "出席人数"]  # fmt: skip
    assert _values(sheet) == [
        ("和谐社区", "和谐社区", "重阳节合唱", "文化活动", date(2026, 10, 29), "社区广场", "老年合唱队演出",
         3, 2),
        ("和谐社区", "第一片区", "认亲会", "邻里认亲", date(2026, 5, 1), "", "", 2, 1),
    ]  # fmt: skip
    assert "李梅" not in str(sheet) and "钱志愿" not in str(sheet)  # who took part is not exported
    listed = client.get(url).json()["items"]
    assert [(a["title"], a["participants"], a["attended"]) for a in listed] == [
        (r["活动名称"], r["参与人数"], r["出席人数"]) for r in sheet
    ]
    entry = AuditEntry.objects.filter(action="export", object_id="care_activities").get()
    assert entry.changes == {"rows": 2, "masked": True, "filter": {"unit_id": str(cast.tree.community.pk)}}


def _ratings(cast: Cast) -> None:
    """Of the unit: 五星家庭 2026 approved, 五好楼栋 2026 proposed, 文明家庭 2025 rejected; and
    one of a household under the other street."""
    worker, official, home = cast.user(Role.GRID_WORKER), cast.user(Role.COMMUNITY_OFFICIAL), cast.home
    five = rating_propose(actor=worker, household=home, year=2026, title="五星家庭",
                          criteria={"遵纪守法": True, "勤劳致富": True, "邻里和睦": False})  # fmt: skip
    rating_decide(actor=official, rating=five, approve=True)
    rating_propose(actor=official, building=cast.tree.building, year=2026, title="五好楼栋",
                   criteria={"环境整洁": True})  # fmt: skip
    old = rating_propose(actor=worker, household=home, year=2025, title="文明家庭",
                         criteria={"孝老爱亲": True})  # fmt: skip
    rating_decide(actor=official, rating=old, approve=False, note="材料不全")
    rating_propose(actor=None, household=cast.far, year=2026, title="五星家庭", criteria={"遵纪守法": True})


def test_the_ratings_export_takes_the_year_and_the_status_as_the_list_does(cast: Cast, settings: Any) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    _ratings(cast)
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}/ratings"
    today, no, group = timezone.localdate(), cast.home.household_no, "7栋1-6层党小组"
    every = _sheet(client, f"{url}/export", {})
    assert list(every[0]) == ["年度", "社区", "所属单位", "户编号/楼栋", "称号", "达到的标准", "状态",
                              "申报日期", "审核日期", "审核意见"]  # fmt: skip
    assert _values(every) == [
        (2025, "和谐社区", group, no, "文明家庭", "孝老爱亲", "未通过", today, today, "材料不全"),
        (2026, "和谐社区", "7栋党支部", "7栋", "五好楼栋", "环境整洁", "待审核", today, "", ""),
        (2026, "和谐社区", group, no, "五星家庭", "遵纪守法、勤劳致富", "已评定", today, today, ""),
    ]
    this_year = _sheet(client, f"{url}/export", {"year": 2026})
    assert [(r["年度"], r["称号"]) for r in this_year] == [(2026, "五好楼栋"), (2026, "五星家庭")]
    approved = _sheet(client, f"{url}/export", {"year": "2026", "status": "已评定"})
    assert [(r["户编号/楼栋"], r["状态"]) for r in approved] == [(no, "已评定")]
    listed = client.get(f"{url}?year=2026&status=已评定").json()["items"]
    assert [(r["household_no"], r["status_label"]) for r in listed] == [(no, "已评定")]
    rejected = _sheet(client, f"{url}/export", {"status": "rejected"})
    assert [(r["年度"], r["审核意见"]) for r in rejected] == [(2025, "材料不全")]
    entries = AuditEntry.objects.filter(action="export", object_id="care_ratings").order_by("pk")
    unit = str(cast.tree.community.pk)
    assert [e.changes["filter"] for e in entries] == [
        {"unit_id": unit},
        {"unit_id": unit, "year": "2026"},
        {"unit_id": unit, "year": "2026", "status": "approved"},  # the label, as its code
        {"unit_id": unit, "status": "rejected"},
    ]
    assert [(e.changes["rows"], e.changes["masked"]) for e in entries] == [(3, True), (2, True), (1, True),
                                                                          (1, True)]  # fmt: skip


def test_a_bad_rating_filter_or_a_filter_the_list_has_not_starts_no_job(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}"
    before = Job.objects.count()
    early = client.post(f"{url}/ratings/export", {"year": 1999}, content_type=JSON)
    assert early.status_code == 400 and early.json()["fields"]["year"]["value"] == 1999
    status = client.post(f"{url}/ratings/export", {"status": "maybe"}, content_type=JSON)
    assert status.status_code == 400 and status.json()["fields"]["status"]["value"] == "maybe"
    for what in ("volunteers", "activities"):
        widened = client.post(f"{url}/{what}/export", {"year": 2026}, content_type=JSON)
        assert widened.status_code == 422, what
    far = client.post(f"/api/v1/care/units/{cast.street2.pk}/volunteers/export", {}, content_type=JSON)
    assert far.status_code == 404
    assert Job.objects.count() == before


def test_every_bad_care_filter_is_named_with_its_value_and_reason_at_once(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}"
    both = client.post(f"{url}/ratings/export", {"year": "1999", "status": "passed"}, content_type=JSON)
    assert both.status_code == 400 and both.json()["fields"] == {
        "year": {"value": "1999", "message": "应为2000到2100的年份",
                 "message_en": "a year from 2000 to 2100"},
        "status": {"value": "passed", "message": "应为：待审核、已评定、未通过",
                   "message_en": "one of proposed, approved, rejected"},
    }  # fmt: skip
    flag = client.post(f"{url}/schedules/export", {"overdue": "maybe"}, content_type=JSON)
    assert flag.json()["fields"] == {
        "overdue": {"value": "maybe", "message": "应为 true 或 false", "message_en": "must be true or false"}
    }


def test_the_overdue_flag_takes_yes_and_no_in_chinese(cast: Cast, settings: Any) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    today = timezone.localdate()
    late = elder_alone()
    schedule_save(actor=None, household=late, member_id=late.members.get().pk, reason="独居",
                  next_due=today - timedelta(days=1))  # fmt: skip
    soon = household("530113-000102", "G-0001", "405", [person("53011319400312010", "陈阿婆")])
    schedule_save(actor=None, household=soon, member_id=soon.members.get().pk, reason="独居",
                  next_due=today + timedelta(days=3))  # fmt: skip
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}/schedules/export"
    assert [r["姓名"] for r in _sheet(client, url, {"overdue": "是"})] == ["王秀英"]
    assert [r["姓名"] for r in _sheet(client, url, {"overdue": "否"})] == ["王秀英", "陈阿婆"]
