"""The console's household and people lists: the dashboard's click-through filters, every sort
with keyset paging, errors on bad values, and the export holding exactly the list's rows."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.audit.models import AuditEntry
from lianbang.cases.models import Case as RiskCase
from lianbang.cases.workflow import RISK
from lianbang.dashboards.services import rollup_refresh
from lianbang.dashboards.tests.conftest import client_for
from lianbang.jobs.models import Job
from lianbang.monitoring.models import HouseholdLabel
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import unit_create
from lianbang.registry.models import Household, Income, Member, Visit

pytestmark = pytest.mark.django_db
SEVERITY = {"red": 3, "yellow": 2, "green": 1}


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:400]
    return response.json()


def _all(client: Client, path: str, query: dict[str, Any], limit: int = 7) -> list[dict[str, Any]]:
    """Every row of a list, page by page."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {**query, "limit": limit, **({"cursor": cursor} if cursor else {})}
        body = _get(client, f"{path}?{urlencode(params)}")
        rows += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return rows


def _visits(district: Unit) -> None:
    """Visits on some households, two of them at the same moment (a tie for last_visit)."""
    moment = timezone.now() - timedelta(days=3)
    households = list(Household.objects.order_by("pk")[:30])
    for n, household in enumerate(households):
        Visit.objects.create(
            household=household,
            visited_at=moment - timedelta(hours=n % 10),
            region_code=household.region_code,
        )


def _per_capita(household: Household, year: int) -> Decimal | None:
    income = household.incomes.filter(year__lte=year).order_by("-year").first()
    if income is None:
        return None
    size = income.household_size or household.members.filter(status="active").count()
    return income.net_income / size if size else None


def _expected(sort: str) -> list[int]:
    """The order the list must give, computed in Python from the rows themselves."""
    key_name = sort.lstrip("-")
    year = timezone.localdate().year
    households = Household.objects.filter(status="active").select_related("light")
    keys: dict[int, Any] = {}
    for h in households:
        light = getattr(h, "light", None)
        if key_name == "light":
            keys[h.pk] = SEVERITY.get(light.color, 0) if light else 0
        elif key_name == "income":
            value = _per_capita(h, year)
            keys[h.pk] = Decimal(-(10**12)) if value is None else value
        elif key_name == "last_visit":
            last = h.visits.order_by("-visited_at").first()
            keys[h.pk] = last.visited_at.timestamp() if last else float("-inf")
        elif key_name == "id":
            keys[h.pk] = h.pk
        elif key_name == "updated_at":
            keys[h.pk] = h.updated_at
        else:
            keys[h.pk] = h.household_no
    ordered = sorted(keys, key=lambda pk: (keys[pk], pk))
    return ordered[::-1] if sort.startswith("-") else ordered


SORTS = ["household_no", "light", "income", "last_visit", "updated_at", "id"]


@pytest.mark.parametrize("sort", SORTS + [f"-{s}" for s in SORTS])
def test_paging_through_every_sort_yields_every_household_once_in_order(district: Unit, sort: str) -> None:
    _visits(district)
    client = client_for(Role.DISTRICT_ADMIN, district)
    rows = _all(client, "/api/v1/households", {"sort": sort}, limit=17)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == Household.objects.filter(status="active").count()
    assert ids == _expected(sort)


def test_the_list_shows_the_per_capita_income_and_the_last_visit(district: Unit) -> None:
    _visits(district)
    client = client_for(Role.DISTRICT_ADMIN, district)
    rows = {r["id"]: r for r in _all(client, "/api/v1/households", {}, limit=500)}
    year = timezone.localdate().year
    for household in Household.objects.filter(status="active"):
        value = _per_capita(household, year)
        shown = rows[household.pk]["per_capita"]
        assert (shown is None) == (value is None)
        if value is not None:
            assert Decimal(shown) == value.quantize(Decimal("0.01"))
        last = household.visits.order_by("-visited_at").first()
        assert (rows[household.pk]["last_visited_at"] is None) == (last is None)


@pytest.mark.parametrize("sort", ["age", "-age", "household", "-household"])
def test_paging_through_the_people_list_yields_every_person_once_in_order(district: Unit, sort: str) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    rows = _all(client, "/api/v1/people", {"sort": sort}, limit=37)
    members = Member.objects.filter(status="active", household__status="active").select_related("household")
    if sort.lstrip("-") == "age":
        # youngest first is the latest birth date first (ties by id, in the same direction)
        expected = sorted(members, key=lambda m: (m.birth_date, m.pk), reverse=sort == "age")
    else:
        descending = sort != "household"
        expected = sorted(members, key=lambda m: (m.household.household_no, m.pk), reverse=descending)
    assert [r["id"] for r in rows] == [m.pk for m in expected]
    ages = [r["age"] for r in rows]
    if sort == "age":
        assert ages == sorted(ages)


def _decoded(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@pytest.mark.parametrize("sort", ["age", "-age", "household"])
def test_a_people_cursor_carries_no_birth_date_only_the_sort_and_the_row(district: Unit, sort: str) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/people?sort={sort}&limit=1")
    last = Member.objects.select_related("household").get(pk=body["items"][-1]["id"])
    raw = base64.urlsafe_b64decode(body["next_cursor"] + "==").decode()
    assert last.birth_date.isoformat() not in raw and last.household.household_no not in raw
    assert _decoded(body["next_cursor"]) == [sort, last.pk]


@pytest.mark.parametrize("sort", SORTS + [f"-{s}" for s in SORTS])
def test_a_household_cursor_carries_only_the_sort_and_the_row(district: Unit, sort: str) -> None:
    _visits(district)
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, f"/api/v1/households?sort={sort}&limit=3")
    assert _decoded(body["next_cursor"]) == [sort, body["items"][-1]["id"]]


def test_a_cursor_on_a_row_gone_from_the_list_or_the_scope_is_a_400(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    body = _get(client, "/api/v1/households?sort=income&limit=2")
    Household.objects.filter(pk=body["items"][-1]["id"]).update(status="moved_out")
    gone = _get(client, f"/api/v1/households?sort=income&cursor={body['next_cursor']}", 400)
    assert gone["code"] == "invalid" and gone["fields"]["cursor"] == {
        "value": body["next_cursor"],
        "message": "列表已变化，请从头开始",
        "message_en": "the list changed; start again",
    }
    mine = Unit.objects.get(level=Unit.Level.COMMUNITY)
    other = unit_create(level=3, name="另一社区", parent=mine.parent)
    outsider = client_for(Role.COMMUNITY_OFFICIAL, other)
    member = Member.objects.filter(status="active", household__status="active").order_by("pk").first()
    assert member is not None
    forged = base64.urlsafe_b64encode(json.dumps(["age", member.pk]).encode()).decode()
    refused = _get(outsider, f"/api/v1/people?sort=age&cursor={forged}", 400)
    assert refused["fields"]["cursor"]["message_en"] == "the list changed; start again"
    assert str(member.birth_date) not in json.dumps(refused)


def test_every_household_figure_clicks_through_to_a_list_with_as_many_rows(district: Unit) -> None:
    rollup_refresh()
    community = Unit.objects.get(level=Unit.Level.COMMUNITY)
    client = client_for(Role.COMMUNITY_OFFICIAL, community)
    body = _get(client, f"/api/v1/dashboard/children?unit={community.pk}")
    node = body["parent"]
    figures = {
        "households": node["households"],
        "red": node["lights"]["red"],
        "yellow": node["lights"]["yellow"],
        "green": node["lights"]["green"],
        "unjudged": node["lights"]["unjudged"],
        "new_risks": node["risks_this_month"]["new"],
        "income": node["income"]["households"],
    }
    assert figures["new_risks"] > 0 and figures["red"] > 0
    for key, figure in figures.items():
        link = node["links"][key]
        assert link["href"], f"{key} is not served: {link}"
        assert len(_all(client, "/api/v1/households", link["query"], limit=200)) == figure, key
    cases = {
        "open_cases": node["cases"]["open"],
        "overdue_cases": node["cases"]["overdue"],
        "eliminated": node["risks_this_month"]["eliminated"],
    }
    assert cases["open_cases"] > 0
    for key, figure in cases.items():
        assert len(_all(client, "/api/v1/cases", node["links"][key]["query"], limit=200)) == figure, key
    for key, link in node["links"].items():
        assert link["href"] is not None, f"{key} links to a filter the list does not serve: {link}"
    assert all(link["href"] for link in body["child_links"].values())
    group = Unit.objects.filter(level=Unit.Level.FLOOR_GROUP).order_by("pk").first()
    assert group is not None
    below = _get(client, f"/api/v1/dashboard/children?unit={group.pk}")  # micro-grids
    assert below["by"] == "grid" and all(link["href"] for link in below["child_links"].values())
    grid = below["children"][0]
    query = {
        k: str(v).replace("{id}", str(grid["node"]["id"]))
        for k, v in below["child_links"]["red"]["query"].items()
    }
    assert len(_all(client, "/api/v1/households", query)) == grid["lights"]["red"]
    query = {
        k: str(v).replace("{id}", str(grid["node"]["id"]))
        for k, v in below["child_links"]["open_cases"]["query"].items()
    }
    assert len(_all(client, "/api/v1/cases", query)) == grid["cases"]["open"]


def test_the_grid_and_building_filters_give_that_grid_and_building(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    grid = MicroGrid.objects.filter(households__isnull=False).order_by("pk").first()
    building = Building.objects.filter(households__isnull=False).order_by("pk").first()
    assert grid is not None and building is not None
    rows = _all(client, "/api/v1/households", {"grid_id": grid.pk})
    in_grid = grid.households.filter(status="active").values_list("pk", flat=True)
    assert {r["id"] for r in rows} == set(in_grid)
    rows = _all(client, "/api/v1/households", {"building_id": building.pk, "light": "red"})
    expected = building.households.filter(status="active", light__color="red").values_list("pk", flat=True)
    assert {r["id"] for r in rows} == set(expected)


def test_a_grid_or_building_outside_the_callers_scope_is_404(district: Unit) -> None:
    mine = Unit.objects.get(level=Unit.Level.COMMUNITY)
    other = unit_create(level=3, name="另一社区", parent=mine.parent)
    client = client_for(Role.COMMUNITY_OFFICIAL, other)
    grid = MicroGrid.objects.order_by("pk").first()
    building = Building.objects.order_by("pk").first()
    assert grid is not None and building is not None
    for field, value in (("grid_id", grid.pk), ("building_id", building.pk), ("unit_id", mine.pk)):
        body = _get(client, f"/api/v1/households?{field}={value}", 404)
        assert body["code"] == "not_found"
    assert _get(client, f"/api/v1/households?grid_id={grid.pk}", 404)["fields"]["grid_id"]["value"] == grid.pk


def test_bad_filter_values_are_refused_naming_each_field(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    query = "grid_id=abc&light=purple&light_rose_in=2026-13&has_income=maybe&sort=name&updated_since=x"
    body = _get(client, f"/api/v1/households?{query}", 400)
    assert body["code"] == "invalid" and body["message"] == "筛选条件有误"
    assert set(body["fields"]) == {"grid_id", "light", "light_rose_in", "has_income", "sort", "updated_since"}
    assert body["fields"]["light"] == {
        "value": "purple",
        "message": "可选：red、yellow、green、none",
        "message_en": "one of red, yellow, green, none",
    }
    assert _get(client, "/api/v1/people?sort=name", 400)["fields"]["sort"]["value"] == "name"
    assert _get(client, "/api/v1/cases?closed_in=2026-1", 400)["fields"]["closed_in"]["value"] == "2026-1"
    stale = _get(client, "/api/v1/households?sort=light&limit=2")["next_cursor"]
    assert _get(client, f"/api/v1/households?sort=income&cursor={stale}", 400)["fields"]["cursor"]


def _sheet(path: str) -> list[dict[str, Any]]:
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_export_holds_exactly_the_rows_of_the_filtered_sorted_list_masked(
    district: Unit, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    label = HouseholdLabel.objects.values_list("label__code", flat=True).order_by("label__code").first()
    assert label is not None
    query = {
        "label": label,
        "updated_since": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "sort": "-income",
    }
    client = client_for(Role.DISTRICT_ADMIN, district)
    shown = _all(client, "/api/v1/households", query)
    risky = {**query, "risk_type": "因病"}
    assert len(shown) > 1
    Household.objects.filter(pk=shown[0]["id"]).update(phone="13812345678")  # keeps updated_at
    response = client.post("/api/v1/households/export", query, content_type="application/json")
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    sheet = _sheet(job.result_path)
    assert [r["户编号"] for r in sheet] == [r["household_no"] for r in shown]
    phones = dict(Household.objects.values_list("household_no", "phone"))
    masked = [(row["联系电话"], phones[row["户编号"]]) for row in sheet if phones[row["户编号"]]]
    assert masked and all(cell != phone and str(cell).endswith(phone[-4:]) for cell, phone in masked)
    entry = AuditEntry.objects.filter(action="export", object_id="households").latest("pk")
    assert entry.changes["rows"] == len(shown) and entry.changes["filter"]["label"] == label

    response = client.post("/api/v1/households/export", risky, content_type="application/json")
    job = Job.objects.get(pk=response.json()["job_id"])
    expected = [r["household_no"] for r in _all(client, "/api/v1/households", risky)]
    assert [r["户编号"] for r in _sheet(job.result_path)] == expected


def test_the_export_refuses_bad_filters_and_callers_without_export(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    before = Job.objects.count()
    response = client.post("/api/v1/households/export", {"light": "blue"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["fields"]["light"]["value"] == "blue"
    grid = MicroGrid.objects.exclude(worker=None).order_by("pk").first()
    assert grid is not None and grid.worker is not None
    worker = Client()
    worker.force_login(grid.worker)
    assert worker.post("/api/v1/households/export", {}, content_type="application/json").status_code == 403
    assert Job.objects.count() == before


def test_has_income_false_lists_the_households_without_a_record(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    without = Household.objects.filter(status="active").exclude(pk__in=Income.objects.values("household"))
    rows = _all(client, "/api/v1/households", {"has_income": "false"}, limit=100)
    assert {r["id"] for r in rows} == set(without.values_list("pk", flat=True))


def test_the_export_refuses_a_misspelt_filter_rather_than_exporting_the_whole_scope(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    before = Job.objects.count()
    community = Unit.objects.filter(level=Unit.Level.COMMUNITY).order_by("pk").first()
    assert community is not None
    body = {"unitid": community.pk}
    response = client.post("/api/v1/households/export", body, content_type="application/json")
    assert response.status_code == 422, response.content.decode()[:400]
    refused = response.json()
    assert refused["code"] == "invalid"
    assert [field for field in refused["fields"] if field.endswith("unitid")], refused["fields"]
    assert Job.objects.count() == before


@pytest.mark.parametrize("as_json", [int, str])
def test_the_export_takes_ids_as_numbers_or_numeric_strings(
    district: Unit, settings: Any, as_json: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    client = client_for(Role.DISTRICT_ADMIN, district)
    grid = MicroGrid.objects.exclude(households=None).order_by("pk").first()
    assert grid is not None
    body = {"grid_id": as_json(grid.pk), "has_income": True, "sort": "household_no"}
    response = client.post("/api/v1/households/export", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    query = {"grid_id": grid.pk, "has_income": "true", "sort": "household_no"}
    shown = [r["household_no"] for r in _all(client, "/api/v1/households", query, limit=100)]
    total = Household.objects.filter(status="active").count()
    assert 0 < len(shown) < total
    assert [r["户编号"] for r in _sheet(job.result_path)] == shown


def test_the_case_state_filter_lists_the_households_whose_risk_case_is_in_that_state(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    risk = RiskCase.objects.filter(kind="risk", household__status="active")
    first = risk.order_by("pk").first()
    assert first is not None
    first.state = "tracking"
    first.save(update_fields=["state"])
    open_ids = set(risk.exclude(state__in=RISK.closed_states).values_list("household_id", flat=True))
    tracking = set(risk.filter(state="tracking").values_list("household_id", flat=True))

    opened = _all(client, "/api/v1/households", {"case_state": "open"}, limit=100)
    in_tracking = _all(client, "/api/v1/households", {"case_state": "tracking"})
    refused = _get(client, "/api/v1/households?case_state=closed", 400)

    assert open_ids and {r["id"] for r in opened} == open_ids
    assert {r["id"] for r in in_tracking} == tracking == {first.household_id}
    assert refused["fields"]["case_state"]["value"] == "closed"


def test_people_are_filtered_by_their_households_case_state(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    risk = RiskCase.objects.filter(kind="risk", household__status="active")
    households = set(risk.exclude(state__in=RISK.closed_states).values_list("household_id", flat=True))
    expected = set(
        Member.objects.filter(household_id__in=households, status="active").values_list("pk", flat=True)
    )

    rows = _all(client, "/api/v1/people", {"case_state": "open"}, limit=200)
    refused = _get(client, "/api/v1/people?case_state=closed&updated_since=x", 400)

    assert expected and {r["id"] for r in rows} == expected
    assert set(refused["fields"]) == {"case_state", "updated_since"}
