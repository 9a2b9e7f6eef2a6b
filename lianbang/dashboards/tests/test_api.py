"""The console's API: scoping, drill-down, the building map's cells and the people list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lianbang.accounts.models import Role
from lianbang.api.dashboards import ChildrenFiguresOut
from lianbang.dashboards.services import rollup_refresh
from lianbang.dashboards.tests.conftest import client_for
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import unit_create
from lianbang.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def _communities(district: Unit) -> list[Unit]:
    """The generated community and a second one (with an empty building) beside it."""
    mine = Unit.objects.get(level=Unit.Level.COMMUNITY)
    other = unit_create(level=3, name="另一社区", parent=mine.parent)
    branch = unit_create(
        level=5, name="99栋党支部", parent=unit_create(level=4, name="另一片区", parent=other)
    )
    Building.objects.create(
        branch=branch, number="99", name="99栋", floor_count=6, rooms_per_floor=2, region_code="530113"
    )
    return [mine, other]


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:400]
    return response.json()


def test_a_community_officer_sees_their_community_and_not_another(district: Unit) -> None:
    mine, other = _communities(district)[:2]
    client = client_for(Role.COMMUNITY_OFFICIAL, mine)
    home = _get(client, "/api/v1/dashboard")
    assert home["node"] == {
        "kind": "unit",
        "id": mine.pk,
        "name": mine.name,
        "level": 3,
        "level_label": "社区",
    }
    assert home["households"] == Household.objects.filter(unit__path__startswith=mine.path).count()
    for url in (
        f"/api/v1/dashboard?unit={other.pk}",
        f"/api/v1/dashboard/children?unit={other.pk}",
        f"/api/v1/dashboard/trend?unit={other.pk}",
        f"/api/v1/dashboard?unit={district.pk}",
        f"/api/v1/units/{other.pk}/light-map",
        f"/api/v1/people?unit_id={other.pk}",
        "/api/v1/dashboard?unit=987654321",
    ):
        assert _get(client, url, 404)["code"] == "not_found"
    building = Building.objects.get(number="99")
    assert _get(client, f"/api/v1/buildings/{building.pk}/light-map", 404)["code"] == "not_found"
    theirs = client_for(Role.COMMUNITY_OFFICIAL, other)
    assert _get(theirs, f"/api/v1/dashboard?unit={other.pk}")["households"] == 0
    assert _get(theirs, f"/api/v1/buildings/{building.pk}/light-map")["counts"]["empty"] == 12


def test_a_grid_worker_gets_no_unit_dashboard_but_their_own_people(district: Unit) -> None:
    grid = MicroGrid.objects.exclude(worker=None).order_by("pk").first()
    assert grid is not None and grid.worker is not None
    client = Client()
    client.force_login(grid.worker)
    assert _get(client, "/api/v1/dashboard", 403)["code"] == "forbidden"
    people = _get(client, "/api/v1/people?limit=500")["items"]
    households = set(Household.objects.filter(grid=grid, status="active").values_list("pk", flat=True))
    assert people and {p["household_id"] for p in people} == households


def test_the_children_of_the_district_are_its_streets_and_add_up(district: Unit) -> None:
    rollup_refresh()
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/dashboard/children?unit={district.pk}")
    assert body["by"] == "unit" and body["parent"]["node"]["id"] == district.pk
    assert [c["node"]["id"] for c in body["children"]] == list(
        district.children.order_by("name").values_list("pk", flat=True)
    )
    for key in ("households", "people"):
        assert sum(c[key] for c in body["children"]) == body["parent"][key]
    for color in ("red", "yellow", "green"):
        assert sum(c["lights"][color] for c in body["children"]) == body["parent"]["lights"][color]
    assert body["parent"]["as_of"] is not None
    assert body["parent"]["links"]["red"]["href"] == f"/api/v1/households?unit_id={district.pk}&light=red"
    assert body["child_links"]["red"]["href"] == "/api/v1/households?unit_id={id}&light=red"
    assert all(c["links"] is None for c in body["children"])


def test_each_drill_down_from_the_rollup_equals_the_live_figures_and_keeps_its_schema(
    district: Unit,
) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    steps = [f"/api/v1/dashboard/children?unit={district.pk}&by={by}" for by in ("unit", "building", "grid")]
    live = [_get(client, url) for url in steps]  # no roll-up yet: every row computed live
    rollup_refresh()
    for url, computed in zip(steps, live, strict=True):
        stored = _get(client, url)
        assert all(row["as_of"] is not None for row in stored["children"])
        assert _without_as_of(stored) == _without_as_of(computed), url
        # The rows are rendered without ninja's validation: they must be what it would give.
        validated = ChildrenFiguresOut.model_validate(stored).model_dump(mode="json")
        assert _without_as_of(validated) == _without_as_of(stored), url


def _without_as_of(body: dict[str, Any]) -> dict[str, Any]:
    rows = [{**row, "as_of": None} for row in (body["parent"], *body["children"])]
    return {**body, "parent": rows[0], "children": rows[1:]}


def test_below_the_floor_group_the_children_are_micro_grids(district: Unit) -> None:
    group = Unit.objects.filter(level=Unit.Level.FLOOR_GROUP).order_by("pk").first()
    assert group is not None
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/dashboard/children?unit={group.pk}")
    grids = MicroGrid.objects.filter(unit=group)
    assert body["by"] == "grid"
    assert sorted(c["node"]["id"] for c in body["children"]) == sorted(grids.values_list("pk", flat=True))
    assert sum(c["households"] for c in body["children"]) == body["parent"]["households"]
    by_building = _get(client, f"/api/v1/dashboard/children?unit={district.pk}&by=building")
    assert len(by_building["children"]) == Building.objects.count()
    assert sum(c["households"] for c in by_building["children"]) == by_building["parent"]["households"]


def test_the_building_map_puts_each_household_in_its_cell(district: Unit) -> None:
    building = Building.objects.order_by("pk").first()
    assert building is not None
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/buildings/{building.pk}/light-map")
    cells = {
        (e["entrance"], f["floor"], c["room"]): c
        for e in body["entrances"]
        for f in e["floors"]
        for c in f["cells"]
    }
    assert len(cells) == building.capacity and body["unplaced"] == []
    households = Household.objects.filter(building=building, status="active").select_related("light")
    for household in households:
        cell = cells[(household.entrance, household.floor, household.room)]
        assert cell["household_id"] == household.pk and cell["state"] == "occupied"
        assert cell["light"] == household.light.color
        head = Member.objects.get(household=household, relation="head", status="active")
        assert cell["head"] == head.name[0] + "*" * (len(head.name) - 1)
        assert [r["code"] for r in cell["reasons"]] == [c for c in household.light.rules]
    empty = [c for c in cells.values() if c["state"] == "empty"]
    assert len(empty) == building.capacity - households.count()
    assert body["counts"]["empty"] == len(empty)
    top = body["entrances"][0]["floors"][0]
    assert top["floor"] == building.floor_count
    assert [c["room"] for c in top["cells"]][:2] == [f"{building.floor_count}01", f"{building.floor_count}02"]


def test_the_area_map_shows_only_the_callers_households(district: Unit) -> None:
    group = Unit.objects.filter(level=Unit.Level.FLOOR_GROUP).order_by("pk").first()
    assert group is not None
    client = client_for(Role.FLOOR_LEADER, group)
    body = _get(client, f"/api/v1/units/{group.pk}/light-map")
    mine = set(Household.objects.filter(unit=group, status="active").values_list("pk", flat=True))
    shown = {
        c["household_id"]
        for b in body["buildings"]
        for e in b["entrances"]
        for f in e["floors"]
        for c in f["cells"]
        if c["state"] == "occupied"
    }
    assert shown == mine
    buildings = {b["building"]["id"] for b in body["buildings"]}
    assert buildings == set(MicroGrid.objects.filter(unit=group).values_list("building_id", flat=True))
    others = Household.objects.filter(building_id__in=buildings, status="active").exclude(unit=group).count()
    assert sum(b["counts"]["outside"] for b in body["buildings"]) == others


def test_the_people_list_filters_by_age_band_employment_and_light(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    elderly = _get(client, "/api/v1/people?age_band=elderly&limit=500")["items"]
    assert elderly and all(p["age"] >= 65 for p in elderly)
    children = _get(client, "/api/v1/people?age_band=minor&limit=500")["items"]
    assert all(p["age"] < 18 for p in children)
    assert all("*" in p["name"] for p in children if p["age"] < 14)
    employed = _get(client, "/api/v1/people?employment=employed&limit=500")["items"]
    assert employed and all(p["labour"] and p["employment"] == "employed" for p in employed)
    red = _get(client, "/api/v1/people?light=red&limit=500")["items"]
    assert all(p["light"] == "red" for p in red)
    problem = _get(client, "/api/v1/people?age_band=old", 400)
    assert "age_band" in problem["fields"]


def test_the_people_list_pages_by_cursor(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    first = _get(client, "/api/v1/people?limit=100")
    second = _get(client, f"/api/v1/people?limit=100&cursor={first['next_cursor']}")
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 200 and ids == sorted(ids)


def test_the_dashboard_counts_match_the_people_list(district: Unit) -> None:
    rollup_refresh()
    client = client_for(Role.DISTRICT_ADMIN, district)
    home = _get(client, "/api/v1/dashboard")
    assert _count(client, home["links"]["elderly"]["href"]) == home["elderly"]["people"]
    assert _count(client, home["links"]["labour"]["href"]) == home["employment"]["labour"]
    assert _count(client, home["links"]["stable"]["href"]) == home["employment"]["stable"]
    assert _count(client, home["links"]["children"]["href"]) == home["children"]["people"]
    assert _count(client, home["links"]["open_cases"]["href"]) == home["cases"]["open"] > 0
    assert _count(client, home["links"]["red"]["href"]) == home["lights"]["red"]


def _count(client: Client, href: str) -> int:
    """Rows of a list, following the cursor to the end."""
    total, cursor = 0, ""
    while True:
        body = _get(client, f"{href}&limit=500" + (f"&cursor={cursor}" if cursor else ""))
        total += len(body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            return total


def test_bad_parameters_are_a_clear_error(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    assert "months" in _get(client, "/api/v1/dashboard/trend?months=0", 400)["fields"]
    assert _get(client, "/api/v1/dashboard?unit=abc", 422)["code"] == "invalid"
    assert _get(client, "/api/v1/dashboard/children?by=floor", 422)["code"] == "invalid"


def test_an_area_map_of_too_many_buildings_is_refused(
    district: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lianbang.api.dashboards.MAX_MAP_BUILDINGS", 1)
    client = client_for(Role.DISTRICT_ADMIN, district)
    assert Building.objects.count() > 1
    assert "unit_id" in _get(client, f"/api/v1/units/{district.pk}/light-map", 400)["fields"]


def test_a_unit_created_after_the_refresh_is_computed_live_beside_the_rollup(district: Unit) -> None:
    rollup_refresh()
    street = unit_create(level=2, name="新建街道", parent=district)
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/dashboard/children?unit={district.pk}")
    rows = {c["node"]["id"]: c for c in body["children"]}
    assert rows[street.pk]["as_of"] is None and rows[street.pk]["households"] == 0
    assert all(c["as_of"] is not None for pk, c in rows.items() if pk != street.pk)
    assert sum(c["households"] for c in rows.values()) == body["parent"]["households"] == 240
