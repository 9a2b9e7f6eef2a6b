"""The officials' console: home figures, drill-down, trend, light maps and people (issue 8).

Shapes are documented in docs/api.md; every unit comes through ``accounts.scope`` (out of
scope is a 404) and the dashboards need ``unit.view``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router
from pydantic import BaseModel, ConfigDict, StrictInt

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import has_permission, root_units, unit_for
from lianbang.api.households import ExportStartedOut, actor_of, require
from lianbang.api.pagination import keyed_page
from lianbang.api.rendering import json_response
from lianbang.api.schemas import StrictIn
from lianbang.common.errors import ApplicationError, invalid
from lianbang.dashboards import lightmap, selectors
from lianbang.dashboards.compute import CHILDREN_LABELS, ELDERLY_LABELS
from lianbang.dashboards.household_list import FIELDS as HOUSEHOLD_FILTERS
from lianbang.dashboards.people import (
    AGE_BANDS,
    EMPLOYMENT_STATES,
    PEOPLE_SORTS,
    PeopleQuery,
    people_listed,
    person_row,
)
from lianbang.dashboards.selectors import NodeFigures, NodeInfo
from lianbang.dashboards.services import moment_at
from lianbang.org.models import Unit
from lianbang.transfer.tasks import people_list_export_start

router = Router(tags=["dashboards"])


class Out(BaseModel):
    """A response shape. Plain pydantic (not ninja's ``Schema``, which wraps every nested dict
    in an attribute getter): a drill-down table of hundreds of rows stays cheap to serialise."""

    model_config = ConfigDict(from_attributes=True)


MAX_MAP_BUILDINGS = 100  # an area map stays readable (and its answer small)


class NodeOut(Out):
    kind: Literal["unit", "building", "grid"]
    id: int
    name: str
    level: int | None
    level_label: str


class LightsOut(Out):
    red: int
    yellow: int
    green: int
    unjudged: int


class RisksOut(Out):
    new: int
    eliminated: int


class CasesOut(Out):
    open: int
    overdue: int


class IncomeOut(Out):
    households: int
    mean_per_capita: Decimal | None
    median_per_capita: Decimal | None


class EmploymentOut(Out):
    labour: int
    employed: int
    stable: int
    rate: float | None
    stable_rate: float | None


class ElderlyOut(Out):
    people: int
    aged_80_plus: int
    labels: dict[str, int]


class ChildrenOut(Out):
    people: int
    school_age: int
    dropouts: int
    unattended: int
    labels: dict[str, int]


class CareFiguresOut(Out):
    visits_overdue: int  # live, as GET /care/units/{id}/overview counts them


class LinkOut(Out):
    list: Literal["households", "people", "cases", "care"]
    href: str | None
    query: dict[str, str]


class DashboardFiguresOut(Out):
    node: NodeOut
    as_of: datetime | None
    households: int
    people: int
    lights: LightsOut
    risks_this_month: RisksOut
    cases: CasesOut
    income: IncomeOut
    employment: EmploymentOut
    elderly: ElderlyOut
    children: ChildrenOut
    # The asked-for unit's live care figures; null for a drill-down row.
    care: CareFiguresOut | None
    links: dict[str, LinkOut] | None


class ChildrenFiguresOut(Out):
    parent: DashboardFiguresOut
    by: Literal["unit", "building", "grid"]
    children: list[DashboardFiguresOut]
    # The children's click-throughs once for all rows: "{id}" stands for a row's node id.
    child_links: dict[str, LinkOut]


class TrendPointOut(Out):
    month: str  # "2026-11"
    end: datetime
    red: int
    yellow: int
    green: int
    partial: bool


class TrendOut(Out):
    node: NodeOut
    months: list[TrendPointOut]


class MapBuildingOut(Out):
    id: int
    number: str
    name: str
    entrance_count: int
    floor_count: int
    rooms_per_floor: int


class LightReasonOut(Out):
    code: str
    reason: str


class RatingBadgeOut(Out):
    title: str  # five_star, civilised, most_beautiful, ten_star, five_good_building
    label: str
    label_en: str


class CellOut(Out):
    room: str
    state: Literal["occupied", "empty", "outside"]
    household_id: int | None
    household_no: str
    light: str | None
    head: str
    rules: list[str]
    reasons: list[LightReasonOut]
    ratings: list[RatingBadgeOut]  # approved, of the building's ratings_year


class FloorOut(Out):
    floor: int
    cells: list[CellOut]


class EntranceOut(Out):
    entrance: str
    floors: list[FloorOut]


class MapCountsOut(Out):
    red: int
    yellow: int
    green: int
    unjudged: int
    empty: int
    outside: int


class BuildingMapOut(Out):
    building: MapBuildingOut
    ratings_year: int | None  # the building's latest year of approved ratings (this or last)
    building_ratings: list[RatingBadgeOut]  # its 五好楼栋 of that year
    counts: MapCountsOut
    entrances: list[EntranceOut]
    unplaced: list[CellOut]


class AreaMapOut(Out):
    node: NodeOut
    buildings: list[BuildingMapOut]


class PeopleRowOut(Out):
    id: int
    household_id: int
    household_no: str
    unit_id: int
    name: str
    sex: str
    age: int
    age_band: str
    relation: str
    labour: bool
    employment: Literal["employed", "unemployed", "not_labour"]
    work_location: str
    light: str | None


class PeoplePageOut(Out):
    items: list[PeopleRowOut]
    next_cursor: str | None


# --- operations -----------------------------------------------------------------------------


@router.get("/dashboard", response=DashboardFiguresOut)
def dashboard(request: HttpRequest, unit: int | None = None) -> dict[str, Any]:
    """The home figures of a unit's subtree (default: the caller's first unit)."""
    scope = _scope_unit(request, unit)
    (figures,) = selectors.figures(scope, [selectors.unit_info(scope)])
    return figures_out(figures, care=_care(scope))


@router.get("/dashboard/children", response=ChildrenFiguresOut)
def dashboard_children(
    request: HttpRequest, unit: int | None = None, by: Literal["unit", "building", "grid"] = "unit"
) -> HttpResponse:
    """The same figures for each child (the drill-down table and chart), and the parent's.

    Rendered without validating the hundreds of rows against ``ChildrenFiguresOut``: they are
    built field by field to it (``figures_out``; a test validates the answer)."""
    scope = _scope_unit(request, unit)
    parent, children = selectors.children_figures(scope, by)
    kind = children[0].node.kind if children else by
    return json_response(
        {
            "parent": figures_out(parent, care=_care(scope)),
            "by": kind,
            "children": [_encoded(figures_out(c, with_links=False)) for c in children],
            "child_links": links(kind, "{id}"),
        }
    )


_ENCODER = DjangoJSONEncoder()  # what ninja's encoder falls back to for these types


def _encoded(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its moment and money already as the JSON encoder writes them: its fallback
    for other types costs more per call than encoding the rest of the row."""
    income = row["income"]
    for key in ("mean_per_capita", "median_per_capita"):
        if income[key] is not None:
            income[key] = str(income[key])
    if row["as_of"] is not None:
        row["as_of"] = _ENCODER.default(row["as_of"])
    return row


@router.get("/dashboard/trend", response=TrendOut)
def dashboard_trend(request: HttpRequest, unit: int | None = None, months: int = 12) -> dict[str, Any]:
    """Red / yellow / green households at the end of each month, the current month last."""
    if not 1 <= months <= 36:
        raise invalid("months", months, "应为1到36之间", "must be from 1 to 36")
    scope = _scope_unit(request, unit)
    points = selectors.trend(scope, months)
    return {
        "node": _node(selectors.unit_info(scope)),
        "months": [{**p.__dict__, "month": f"{p.month:%Y-%m}"} for p in points],
    }


@router.get("/buildings/{building_id}/light-map", response=BuildingMapOut)
def building_light_map(request: HttpRequest, building_id: int) -> dict[str, Any]:
    """The building's 单元 × floors × rooms with each household's light, head and reasons."""
    _require(request, Permission.HOUSEHOLD_VIEW)
    building = lightmap.building_for(request.user, building_id)
    if building is None:
        raise ApplicationError(
            "not_found", "找不到该楼栋或无权访问", "no such building in your scope", status=404
        )
    (found,) = lightmap.light_maps(request.user, [building])
    return found


@router.get("/units/{unit_id}/light-map", response=AreaMapOut)
def unit_light_map(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """Every building of the unit's subtree side by side, compact cells."""
    scope = _unit(request, unit_id)
    buildings = list(lightmap.buildings_of(scope)[: MAX_MAP_BUILDINGS + 1])
    if len(buildings) > MAX_MAP_BUILDINGS:
        raise invalid(
            "unit_id",
            unit_id,
            f"该单位楼栋超过{MAX_MAP_BUILDINGS}栋，请选择片区或更低层级查看楼栋图",
            f"more than {MAX_MAP_BUILDINGS} buildings: choose an area or a lower level",
        )
    maps = lightmap.light_maps(request.user, buildings, within=scope, compact=True)
    return {"node": _node(selectors.unit_info(scope)), "buildings": maps}


@router.get("/people", response=PeoplePageOut)
def people_list(
    request: HttpRequest,
    unit_id: int | None = None,
    building_id: int | None = None,
    grid_id: int | None = None,
    age_band: str | None = None,
    label: str | None = None,
    employment: str | None = None,
    light: str | None = None,
    risk_type: str | None = None,
    case_state: str | None = None,
    updated_since: str | None = None,
    sort: str = "id",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Members of the caller's households, masked, filtered, sorted (``id``, ``age``, ``-age``,
    ``household``, ``-household``; ties by id), a page at a time. ``risk_type``, ``case_state``
    and ``updated_since`` are the household list's filters, checked by its parser."""
    moment = moment_at()
    filters = {name: value for name, value in locals().items() if name in PeopleQuery.__dataclass_fields__}
    rows, descending = people_listed(request.user, PeopleQuery.parse(filters), moment)
    render = lambda m: person_row(m, moment)  # noqa: E731
    return keyed_page(rows, sort=sort, descending=descending, cursor=cursor, limit=limit, render=render)


class PeopleExportIn(StrictIn):
    """The people list's filters and sort as a JSON body: a field the list does not know is
    refused (a misspelt filter would otherwise export the whole scope); ids may be numbers or
    numeric strings; every value is checked as the list checks it."""

    unit_id: StrictInt | str | None = None
    building_id: StrictInt | str | None = None
    grid_id: StrictInt | str | None = None
    age_band: str | None = Field(None, description=f"one of {', '.join(AGE_BANDS)}")
    label: str | None = None
    employment: str | None = Field(None, description=f"one of {', '.join(EMPLOYMENT_STATES)}")
    light: str | None = Field(None, description="red, yellow, green or none (not judged)")
    risk_type: str | None = None
    case_state: str | None = None
    updated_since: str | None = Field(None, description="a date or an ISO time")
    sort: str | None = Field(None, description=f"one of {', '.join(PEOPLE_SORTS)}")


@router.post("/people/export", response={201: ExportStartedOut})
def people_export(request: HttpRequest, filters: PeopleExportIn) -> tuple[int, dict[str, Any]]:
    """Export the people list as it is filtered and sorted to Excel through a transfer job
    (masked, audited); ``url`` is the job's page, where the file is downloaded when it is done."""
    require(request, Permission.EXPORT)
    query = PeopleQuery.parse(filters.dict())
    rows, _ = people_listed(request.user, query, moment_at(), permission=Permission.EXPORT)
    rows.exists()  # a bad filter is a 400 / 404 now, not a failed job
    job = people_list_export_start(actor=actor_of(request), query=query)
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


# --- helpers --------------------------------------------------------------------------------


def _require(request: HttpRequest, permission: str) -> None:
    if not has_permission(request.user, permission):
        raise PermissionDenied


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = unit_for(request.user, unit_id)
    if unit is None:
        raise ApplicationError(
            "not_found", "找不到该单位或无权访问", "no such unit in your scope", status=404
        )
    return unit


def _scope_unit(request: HttpRequest, unit_id: int | None) -> Unit:
    """The unit asked for, in the caller's scope; by default the first of the caller's units.
    Without ``unit.view`` at all the answer is 403; a unit out of scope is a 404."""
    found = (
        unit_for(request.user, unit_id) if unit_id is not None else next(iter(root_units(request.user)), None)
    )
    if found is not None:
        return found
    _require(request, Permission.UNIT_VIEW)
    if unit_id is None:
        raise ApplicationError("not_found", "您尚未分配单位", "you are not assigned to a unit", status=404)
    raise ApplicationError("not_found", "找不到该单位或无权访问", "no such unit in your scope", status=404)


def _care(unit: Unit) -> dict[str, int]:
    return {"visits_overdue": selectors.care_visits_overdue(unit, timezone.localdate())}


def _node(node: NodeInfo) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "id": node.id,
        "name": node.name,
        "level": node.level,
        "level_label": node.level_label,
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures_out(
    f: NodeFigures, *, with_links: bool = True, care: dict[str, int] | None = None
) -> dict[str, Any]:
    c = f.counts
    mean = (f.income_total / c["income_people"]).quantize(Decimal("0.01")) if c["income_people"] else None
    return {
        "node": _node(f.node),
        "as_of": f.as_of,
        "households": c["households"],
        "people": c["people"],
        "lights": {k: c[k] for k in ("red", "yellow", "green", "unjudged")},
        "risks_this_month": {"new": c["new_risks"], "eliminated": c["eliminated"]},
        "cases": {"open": c["open_cases"], "overdue": c["overdue_cases"]},
        "income": {
            "households": c["income_households"],
            "mean_per_capita": mean,
            "median_per_capita": f.median_per_capita,
        },
        "employment": {
            "labour": c["labour"],
            "employed": c["employed"],
            "stable": c["stable"],
            "rate": _rate(c["employed"], c["labour"]),
            "stable_rate": _rate(c["stable"], c["labour"]),
        },
        "elderly": {
            "people": c["elderly"],
            "aged_80_plus": c["aged_80_plus"],
            "labels": {code: f.labels.get(code, 0) for code in ELDERLY_LABELS},
        },
        "children": {
            "people": c["children"],
            "school_age": c["school_age"],
            "dropouts": c["dropouts"],
            "unattended": c["unattended"],
            "labels": {code: f.labels.get(code, 0) for code in CHILDREN_LABELS},
        },
        "care": care,
        "links": links(f.node.kind, str(f.node.id)) if with_links else None,
    }


_SERVED = {
    "households": "/api/v1/households",
    "people": "/api/v1/people",
    "cases": "/api/v1/cases",
    "care": "/api/v1/care/units/{unit_id}/schedules",
}
# Filters the served lists understand (others are for the console's own pages).
_SERVED_FILTERS = {
    "households": set(HOUSEHOLD_FILTERS),
    "people": {
        "unit_id",
        "building_id",
        "grid_id",
        "age_band",
        "label",
        "employment",
        "light",
        "risk_type",
        "case_state",
        "updated_since",
    },
    "cases": {"unit_id", "building_id", "grid_id", "open", "overdue", "state", "closed_in"},
    "care": {"unit_id", "overdue"},
}


def _link(list_name: str, **query: str) -> dict[str, Any]:
    served = list_name in _SERVED and set(query) <= _SERVED_FILTERS[list_name]
    href = _href(_SERVED[list_name], query) if served else None
    return {"list": list_name, "href": href, "query": query}


def _href(path: str, query: dict[str, str]) -> str:
    """The served list's address: a filter the path names ("{unit_id}") goes into the path."""
    in_path = {key for key in query if f"{{{key}}}" in path}
    for key in in_path:
        path = path.replace(f"{{{key}}}", query[key])
    rest = {key: value for key, value in query.items() if key not in in_path}
    return f"{path}?{urlencode(rest, safe='{}')}" if rest else path


def links(kind: str, node_id: str) -> dict[str, dict[str, Any]]:
    """Where each number of a node clicks through to."""
    key = {"unit": "unit_id", "building": "building_id", "grid": "grid_id"}[kind]
    at = {key: node_id}
    month = f"{timezone.localdate():%Y-%m}"
    result = {
        "households": _link("households", **at),
        "people": _link("people", **at),
        "unjudged": _link("households", **at, light="none"),
        "new_risks": _link("households", **at, light_rose_in=month),
        "eliminated": _link("cases", **at, state="eliminated", closed_in=month),
        "open_cases": _link("cases", **at, open="true"),
        "overdue_cases": _link("cases", **at, open="true", overdue="true"),
        "income": _link("households", **at, has_income="true"),
        "elderly": _link("people", **at, age_band="elderly"),
        "children": _link("people", **at, age_band="minor"),
        "school_age": _link("people", **at, age_band="school"),
    }
    result |= {color: _link("households", **at, light=color) for color in ("red", "yellow", "green")}
    result |= {
        state: _link("people", **at, employment=state)
        for state in ("labour", "employed", "stable", "unemployed")
    }
    result |= {
        f"label:{code}": _link("households", **at, label=code) for code in ELDERLY_LABELS + CHILDREN_LABELS
    }
    if kind == "unit":  # the care page lists a unit's overdue visits
        result["care_visits_overdue"] = _link("care", unit_id=node_id, overdue="true")
    return result
