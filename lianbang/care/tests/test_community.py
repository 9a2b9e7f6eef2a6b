"""Activities and volunteers, family calls, jobs at the door, counselling, ratings."""

from __future__ import annotations

from django.utils import timezone

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.care.models import Rating
from lianbang.care.services import volunteer_register

JSON = "application/json"
NOW = "2026-11-20T10:00:00+08:00"


def test_an_activity_records_attendance_and_the_volunteers_hours(cast: Cast) -> None:
    volunteer = volunteer_register(
        actor=None, unit=cast.tree.community, name="钱志愿", joined_on=timezone.localdate(), hours_before=10
    )
    resident = cast.home.members.get(name="李梅")
    client = logged_in(cast.user(Role.AREA_LEADER))
    response = client.post(
        f"/api/v1/care/units/{cast.tree.area.pk}/activities",
        {
            "kind": "邻里认亲",
            "title": "新邻居认亲会",
            "held_on": str(timezone.localdate()),
            "participants": [
                {"member_id": resident.pk},
                {"volunteer_id": volunteer.pk, "hours": "2.5"},
            ],
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["participants"] == 2 and response.json()["kind_label"] == "邻里认亲"
    volunteers = client.get(f"/api/v1/care/units/{cast.tree.area.pk}/volunteers").json()["items"]
    assert volunteers == []  # the volunteer belongs to the community, above the area
    listed = logged_in(cast.user(Role.COMMUNITY_OFFICIAL)).get(
        f"/api/v1/care/units/{cast.tree.community.pk}/volunteers"
    )
    assert listed.json()["items"][0]["hours"] == "12.5"
    stranger = client.post(
        f"/api/v1/care/units/{cast.tree.area.pk}/activities",
        {
            "kind": "文化活动",
            "title": "合唱",
            "held_on": "2026-11-01",
            "participants": [{"member_id": 999999}],
        },
        content_type=JSON,
    )
    assert stranger.status_code == 400 and "participants[0].member_id" in stranger.json()["fields"]


def test_a_family_call_is_arranged_and_done(cast: Cast) -> None:
    head = cast.home.members.get(name="张三")  # works 县外省内
    wife = cast.home.members.get(name="李梅")
    client = logged_in(cast.user(Role.GRID_WORKER))
    url = f"/api/v1/households/{cast.home.pk}/care/calls"
    call = client.post(
        url, {"worker_id": head.pk, "family_member_id": wife.pk, "scheduled_at": NOW}, content_type=JSON
    )
    assert call.status_code == 200 and call.json()["kind_label"] == "视频"
    done = client.post(
        f"{url}/{call.json()['id']}/done", {"done_at": NOW, "note": "通话顺利"}, content_type=JSON
    )
    assert done.json()["done_at"] is not None
    again = client.post(f"{url}/{call.json()['id']}/done", {"done_at": NOW}, content_type=JSON)
    assert again.status_code == 409
    not_away = client.post(url, {"worker_id": wife.pk, "scheduled_at": NOW}, content_type=JSON)
    assert not_away.status_code == 400 and "worker_id" in not_away.json()["fields"]


def test_counselling_and_support_notes_are_masked(cast: Cast) -> None:
    son = cast.home.members.get(name="张小明")
    client = logged_in(cast.user(Role.GRID_WORKER))
    booked = client.post(
        f"/api/v1/households/{cast.home.pk}/care/counselling",
        {"member_id": son.pk, "scheduled_at": NOW, "counsellor": "王老师", "topic": "厌学情绪"},
        content_type=JSON,
    )
    assert booked.json()["topic"] == "***"
    note = client.post(
        f"/api/v1/households/{cast.home.pk}/care/notes",
        {
            "member_id": cast.home.members.get(name="李梅").pk,
            "held_on": "2026-11-20",
            "note": "丈夫外出后情绪低落",
        },
        content_type=JSON,
    )
    assert note.json()["note"] == "***"
    file = logged_in(cast.user(Role.BRANCH_SECRETARY)).get(f"/api/v1/households/{cast.home.pk}/care").json()
    assert "厌学" not in str(file) and "低落" not in str(file)
    job = client.post(
        f"/api/v1/households/{cast.home.pk}/care/jobs",
        {
            "member_id": cast.home.members.get(name="李梅").pk,
            "kind": "帮扶车间",
            "employer": "社区服装车间",
            "started_on": "2026-05-01",
            "monthly_income": "2200",
        },
        content_type=JSON,
    )
    assert job.json()["monthly_income"] == "2200.00"


def test_a_rating_is_proposed_and_decided_by_someone_else(cast: Cast) -> None:
    worker = logged_in(cast.user(Role.GRID_WORKER))
    proposed = worker.post(
        f"/api/v1/households/{cast.home.pk}/ratings",
        {"year": 2026, "title": "五星家庭", "criteria": {"遵纪守法": True, "勤劳致富": True}},
        content_type=JSON,
    )
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    rating_id = proposed.json()["id"]
    assert (
        worker.post(
            f"/api/v1/care/ratings/{rating_id}/decision", {"approve": True}, content_type=JSON
        ).status_code
        == 403
    )
    twice = worker.post(
        f"/api/v1/households/{cast.home.pk}/ratings",
        {"year": 2026, "title": "五星家庭", "criteria": {"a": True}},
        content_type=JSON,
    )
    assert twice.status_code == 409
    official = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    decided = official.post(
        f"/api/v1/care/ratings/{rating_id}/decision", {"approve": True}, content_type=JSON
    )
    assert decided.json()["status"] == "approved"
    building = official.post(
        f"/api/v1/care/units/{cast.tree.community.pk}/building-ratings",
        {"building_id": cast.tree.building.pk, "year": 2026, "criteria": {"环境整洁": True}},
        content_type=JSON,
    )
    assert building.json()["title_label"] == "五好楼栋" and building.json()["building_name"] == "7栋"
    own = official.post(
        f"/api/v1/care/ratings/{building.json()['id']}/decision", {"approve": True}, content_type=JSON
    )
    assert own.status_code == 403  # nobody decides their own proposal
    wrong = worker.post(
        f"/api/v1/households/{cast.home.pk}/ratings",
        {"year": 2026, "title": "五好楼栋", "criteria": {"a": True}},
        content_type=JSON,
    )
    assert wrong.status_code == 400 and "title" in wrong.json()["fields"]
    listed = official.get(f"/api/v1/care/units/{cast.tree.community.pk}/ratings?year=2026").json()["items"]
    assert {r["status"] for r in listed} == {"approved", "proposed"}
    assert Rating.objects.count() == 2
