"""Care on the console's dashboards (issue 11): approved ratings on the building light map, and
the overdue care visits among a unit's dashboard figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.care.services import rating_decide, rating_propose, schedule_save
from lianbang.care.tests.people import household, person
from lianbang.org.models import Unit
from lianbang.registry.models import Household

THIS_YEAR = timezone.localdate().year


def _alone(number: str, grid: str, room: str) -> Household:
    """An elderly woman living alone; ``number`` ends in digits that make her ID distinct."""
    return household(number, grid, room, [person(f"53011319400312{number[-3:]}", "王秀英")])


def _rate(
    cast: Cast, title: str, *, approve: bool | None = True, year: int = THIS_YEAR, **subject: Any
) -> None:
    """Proposed by the community official, decided (when ``approve`` is not None) by the street's."""
    rating = rating_propose(
        actor=cast.user(Role.COMMUNITY_OFFICIAL),
        year=year,
        title=title,
        criteria={"邻里和睦": True},
        **subject,
    )
    if approve is not None:
        rating_decide(actor=cast.user(Role.STREET_OFFICIAL), rating=rating, approve=approve, note="评议")


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:400]
    return response.json()


def _cells(building_map: dict[str, Any]) -> dict[int | None, dict[str, Any]]:
    cells = [c for e in building_map["entrances"] for f in e["floors"] for c in f["cells"]]
    return {c["household_id"]: c for c in cells + building_map["unplaced"] if c["state"] == "occupied"}


def _titles(cell_or_map: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["title"], r["label"], r["label_en"]) for r in cell_or_map]


def test_the_building_map_shows_the_approved_ratings_of_the_latest_year(cast: Cast) -> None:
    building = cast.tree.building
    _rate(cast, "five_star", household=cast.home)
    _rate(cast, "civilised", household=cast.home, year=THIS_YEAR - 1)  # an older year: not current
    _rate(cast, "most_beautiful", household=cast.neighbour, approve=None)  # proposed only
    _rate(cast, "ten_star", household=cast.neighbour, approve=False)  # rejected
    _rate(cast, "five_good_building", building=building)
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))

    body = _get(client, f"/api/v1/buildings/{building.pk}/light-map")
    cells = _cells(body)
    assert _titles(cells[cast.home.pk]["ratings"]) == [("five_star", "五星家庭", "Five-star family")]
    assert cells[cast.neighbour.pk]["ratings"] == []
    assert body["ratings_year"] == THIS_YEAR
    assert _titles(body["building_ratings"]) == [("five_good_building", "五好楼栋", "Five-good building")]

    area = _get(client, f"/api/v1/units/{cast.tree.area.pk}/light-map")
    (same,) = [b for b in area["buildings"] if b["building"]["id"] == building.pk]
    assert _cells(same)[cast.home.pk]["ratings"] == cells[cast.home.pk]["ratings"]
    assert same["building_ratings"] == body["building_ratings"]


def test_last_years_ratings_show_until_this_years_are_approved(cast: Cast) -> None:
    _rate(cast, "civilised", household=cast.home, year=THIS_YEAR - 1)
    _rate(cast, "five_star", household=cast.home, approve=None)  # this year's, not approved yet
    _rate(cast, "civilised", household=cast.far, year=THIS_YEAR - 2)  # too old to be current
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    body = _get(client, f"/api/v1/buildings/{cast.tree.building.pk}/light-map")
    assert body["ratings_year"] == THIS_YEAR - 1 and body["building_ratings"] == []
    assert [r["label"] for r in _cells(body)[cast.home.pk]["ratings"]] == ["文明家庭"]
    far = _get(client, f"/api/v1/buildings/{cast.far.building_id}/light-map")
    assert far["ratings_year"] is None and _cells(far)[cast.far.pk]["ratings"] == []


def test_a_household_outside_the_callers_grid_shows_no_rating(cast: Cast) -> None:
    _rate(cast, "five_star", household=cast.neighbour)  # grid G-0003, not the grid worker's
    worker = logged_in(cast.user(Role.GRID_WORKER))
    body = _get(worker, f"/api/v1/buildings/{cast.tree.building.pk}/light-map")
    assert cast.neighbour.pk not in _cells(body)
    assert body["ratings_year"] is None
    cells = [c for e in body["entrances"] for f in e["floors"] for c in f["cells"]]
    assert all(c["ratings"] == [] for c in cells)


def test_the_map_takes_as_many_queries_however_many_households_are_rated(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    url = f"/api/v1/buildings/{cast.tree.building.pk}/light-map"
    _get(client, url)  # the session and the user are cached from here on
    with CaptureQueriesContext(connection) as unrated:
        _get(client, url)
    more = [_alone("530113-000101", "G-0001", "401"), _alone("530113-000102", "G-0001", "402")]
    for rated in [cast.home, cast.neighbour, *more]:
        _rate(cast, "five_star", household=rated)
    _rate(cast, "five_good_building", building=cast.tree.building)
    with CaptureQueriesContext(connection) as rated:
        body = _get(client, url)
    assert sum(len(c["ratings"]) for c in _cells(body).values()) == 4
    assert len(rated.captured_queries) == len(unrated.captured_queries)


# --- overdue care visits on the dashboard ------------------------------------------------------


def _schedule(number: str, grid: str, room: str, due_in_days: int) -> Household:
    household = _alone(number, grid, room)
    schedule_save(
        actor=None,
        household=household,
        member_id=household.members.get().pk,
        reason="独居",
        next_due=timezone.localdate() + timedelta(days=due_in_days),
    )
    return household


def _overview(client: Client, unit: Unit) -> int:
    return int(_get(client, f"/api/v1/care/units/{unit.pk}/overview")["visits_overdue"])


def test_the_dashboard_counts_the_units_overdue_care_visits_as_the_care_overview(cast: Cast) -> None:
    _schedule("530113-000101", "G-0001", "401", due_in_days=-4)  # 和谐社区: overdue
    _schedule("530113-000102", "G-0003", "402", due_in_days=-1)  # 和谐社区: overdue
    _schedule("530113-000103", "G-0001", "403", due_in_days=3)  # 和谐社区: due later
    _schedule("530113-000104", "G-0002", "404", due_in_days=-2)  # 第二街道: overdue
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    tree = cast.tree
    for unit, overdue in ((tree.district, 3), (tree.street, 2), (tree.community, 2), (cast.street2, 1)):
        figures = _get(admin, f"/api/v1/dashboard?unit={unit.pk}")
        assert figures["care"] == {"visits_overdue": overdue} and _overview(admin, unit) == overdue
    officer = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    assert _get(officer, "/api/v1/dashboard")["care"]["visits_overdue"] == _overview(officer, tree.community)
    assert officer.get(f"/api/v1/dashboard?unit={cast.street2.pk}").status_code == 404

    with CaptureQueriesContext(connection) as queries:
        drill = _get(admin, f"/api/v1/dashboard/children?unit={tree.district.pk}")
    assert len([q for q in queries.captured_queries if "care_visitschedule" in q["sql"]]) == 1
    assert drill["parent"]["care"] == {"visits_overdue": 3}
    assert all(row["care"] is None for row in drill["children"])
    link = drill["parent"]["links"]["care_visits_overdue"]
    assert link["list"] == "care" and link["query"] == {"unit_id": str(tree.district.pk), "overdue": "true"}
    assert link["href"] == f"/api/v1/care/units/{tree.district.pk}/schedules?overdue=true"
    listed = _get(admin, link["href"])["items"]
    assert sorted(s["household_no"] for s in listed) == ["530113-000101", "530113-000102", "530113-000104"]


def test_a_visit_done_takes_it_off_the_dashboards_count(cast: Cast) -> None:
    household = _schedule("530113-000101", "G-0001", "401", due_in_days=-4)
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    assert _get(admin, "/api/v1/dashboard")["care"]["visits_overdue"] == 1
    worker = logged_in(cast.user(Role.GRID_WORKER))
    response = worker.post(
        f"/api/v1/households/{household.pk}/care/visits",
        {"member_id": household.members.get().pk, "visited_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert _get(admin, "/api/v1/dashboard")["care"]["visits_overdue"] == 0
