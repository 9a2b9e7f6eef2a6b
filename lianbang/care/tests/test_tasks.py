"""Elderly visits: an overdue visit is on the right grid worker's task list, and only theirs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianbang.accounts.models import Role, User
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.care.models import VisitSchedule
from lianbang.care.services import schedule_save
from lianbang.care.tests.people import elder_alone


def _overdue_schedule(cast: Cast, days_late: int = 3) -> VisitSchedule:
    household = elder_alone()
    member = household.members.get()
    last_week = timezone.localdate() - timedelta(days=7 + days_late)
    schedule = schedule_save(
        actor=None, household=household, member_id=member.pk, reason="独居", next_due=last_week
    )
    return schedule


def _task_numbers(user: User) -> list[str]:
    response = logged_in(user).get("/api/v1/care/tasks")
    assert response.status_code == 200
    return [item["household_no"] for item in response.json()["items"]]


def test_it_defaults_an_alone_elderly_schedule_to_every_7_days(cast: Cast) -> None:
    assert _overdue_schedule(cast).interval_days == 7


def test_an_overdue_visit_appears_on_the_grid_workers_task_list_and_not_anothers(cast: Cast) -> None:
    schedule = _overdue_schedule(cast)
    mine = logged_in(cast.user(Role.GRID_WORKER)).get("/api/v1/care/tasks").json()
    assert mine["overdue"] == 1
    task = mine["items"][0]
    assert task["household_no"] == "530113-000101"
    assert task["member_name"] == "王秀英" and task["reason_label"] == "独居"
    assert task["days_overdue"] == (timezone.localdate() - schedule.next_due).days > 0
    other = User.objects.get(username="othergrid")  # the worker of the neighbouring grid
    assert _task_numbers(other) == []
    assert _task_numbers(cast.user(Role.DISTRICT_ADMIN)) == []  # officials have no grid of their own


def test_a_visit_takes_the_task_off_the_list_until_the_next_one_is_due(cast: Cast) -> None:
    schedule = _overdue_schedule(cast)
    client = logged_in(cast.user(Role.GRID_WORKER))
    response = client.post(
        f"/api/v1/households/{schedule.household_id}/care/visits",
        {
            "member_id": schedule.member_id,
            "visited_at": timezone.now().isoformat(),
            "health_note": "血压偏高",
            "help_given": "代购药品",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["health_note"] == "***"
    assert _task_numbers(cast.user(Role.GRID_WORKER)) == []
    schedule.refresh_from_db()
    assert schedule.next_due == timezone.localdate() + timedelta(days=7)
    upcoming = logged_in(cast.user(Role.GRID_WORKER)).get("/api/v1/care/tasks?within_days=7").json()
    assert [t["days_overdue"] for t in upcoming["items"]] == [-7]


def test_a_schedule_naming_a_visitor_is_on_that_visitors_list(cast: Cast) -> None:
    schedule = _overdue_schedule(cast)
    other = User.objects.get(username="othergrid")
    schedule.visitor = other
    schedule.save()
    assert _task_numbers(cast.user(Role.GRID_WORKER)) == []
    # The other worker may not edit a household outside their grid: it stays off their list too.
    assert _task_numbers(other) == []


def test_the_unit_lists_overdue_schedules_for_officials(cast: Cast) -> None:
    schedule = _overdue_schedule(cast)
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    rows = client.get(f"/api/v1/care/units/{cast.tree.community.pk}/schedules?overdue=true").json()["items"]
    assert [r["id"] for r in rows] == [schedule.pk] and rows[0]["overdue"] is True
    figures = client.get(f"/api/v1/care/units/{cast.tree.community.pk}/overview").json()
    assert figures["visits_overdue"] == 1 and figures["elderly_on_schedule"] == 1
    far = logged_in(cast.user(Role.COMMUNITY_OFFICIAL)).get(f"/api/v1/care/units/{cast.street2.pk}/overview")
    assert far.status_code == 404


def test_the_overdue_filter_reads_as_its_export_does(cast: Cast) -> None:
    schedule = _overdue_schedule(cast)
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/care/units/{cast.tree.community.pk}/schedules"
    assert [r["id"] for r in client.get(f"{url}?overdue=是").json()["items"]] == [schedule.pk]
    assert [r["id"] for r in client.get(f"{url}?overdue=否").json()["items"]] == [schedule.pk]
    refused = client.get(f"{url}?overdue=maybe")
    assert refused.status_code == 400
    assert "overdue" in refused.json()["fields"] and "maybe" in refused.content.decode()


def test_a_bad_schedule_names_every_problem(cast: Cast) -> None:
    household = elder_alone()
    response = logged_in(cast.user(Role.GRID_WORKER)).post(
        f"/api/v1/households/{household.pk}/care/schedules",
        {"member_id": 999999, "reason": "孤独", "interval_days": 0},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"member_id", "reason", "interval_days"}
