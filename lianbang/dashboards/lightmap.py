"""The building light map (楼栋红黄绿一张图): 单元 × floors × rooms, a cell per flat.

Rooms are numbered ``{floor}{flat:02d}`` (302 = floor 3, flat 2) within each 单元, as the
generator and the registry's addresses do; a room that does not fit the building's shape is
kept (appended to its floor), a household without 单元 or floor is listed as unplaced. A
household outside the caller's scope is an ``outside`` cell: neither id, name nor light.

Each map carries the building's current ratings (评星评优): the approved family ratings of its
households and its approved 五好楼栋, of the building's latest rating year — this year, or last
year while this year's have not been approved yet (a year's ratings are decided around its end).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lianbang.accounts.masking import mask_name
from lianbang.accounts.scope import households_for, units_for
from lianbang.care.models import RATING_TITLE_EN, Rating, RatingTitle
from lianbang.monitoring.models import Rule
from lianbang.org.models import Building, MicroGrid, Unit, path_prefix_q
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import HouseholdStatus, MemberStatus, Relation

Cell = dict[str, Any]


def building_for(user: Any, building_id: int) -> Building | None:
    """The building if the caller may see it: its branch lies in one of the caller's units, or
    it houses a household the caller may see; else None (answer 404)."""
    building = Building.objects.filter(pk=building_id).select_related("branch").first()
    if building is None:
        return None
    if units_for(user).filter(pk=building.branch_id).exists():
        return building
    return building if households_for(user).filter(building=building).exists() else None


def buildings_of(unit: Unit) -> QuerySet[Building]:
    """The buildings of a unit's subtree: under its branches, or holding its micro-grids."""
    return (
        Building.objects.filter(path_prefix_q(unit.path, "branch__path") | Q(pk__in=_grid_buildings(unit)))
        .order_by("number")
        .distinct()
    )


def _grid_buildings(unit: Unit) -> QuerySet[Any]:
    return MicroGrid.objects.filter(path_prefix_q(unit.path, "unit__path")).values("building_id")


def light_maps(
    user: Any, buildings: list[Building], *, within: Unit | None = None, compact: bool = False
) -> list[dict[str, Any]]:
    """One map per building; four queries however many buildings (three when compact)."""
    ids = [b.pk for b in buildings]
    everyone = Household.objects.filter(building_id__in=ids, status=HouseholdStatus.ACTIVE)
    visible = households_for(user).filter(building_id__in=ids, status=HouseholdStatus.ACTIVE)
    if within is not None:
        visible = visible.filter(path_prefix_q(within.path, "unit__path"))
    shown = {h.pk: h for h in visible.select_related("light")}
    heads = {} if compact else _heads(list(shown))
    reasons = {} if compact else _reasons()
    ratings = _current_ratings(ids, set(shown), timezone.localdate())
    by_building: dict[int, list[Cell]] = defaultdict(list)
    for pk, building_id, entrance, floor, room in everyone.values_list(
        "pk", "building_id", "entrance", "floor", "room"
    ):
        household = shown.get(pk)
        titles = ratings[building_id].households.get(pk, [])
        cell = _cell(household, heads, reasons, titles) if household else _outside(room)
        by_building[building_id].append({**cell, "_entrance": entrance, "_floor": floor, "room": room})
    return [_grid(b, by_building[b.pk]) | ratings[b.pk].of_building() for b in buildings]


def _heads(household_ids: list[int]) -> dict[int, str]:
    rows = Member.objects.filter(
        household_id__in=household_ids, relation=Relation.HEAD, status=MemberStatus.ACTIVE
    ).values_list("household_id", "name")
    return {pk: mask_name(name) for pk, name in rows}


@dataclass
class _BuildingRatings:
    """A building's ratings of one year: its own titles and its households' (by household id)."""

    year: int | None = None
    titles: list[dict[str, str]] = field(default_factory=list)
    households: dict[int, list[dict[str, str]]] = field(default_factory=dict)

    def of_building(self) -> dict[str, Any]:
        return {"ratings_year": self.year, "building_ratings": self.titles}


def _current_ratings(building_ids: list[int], shown: set[int], today: date) -> dict[int, _BuildingRatings]:
    """The approved ratings of this year and last of the buildings and of their shown households
    (one query), each building keeping only its latest year."""
    rows = (
        Rating.objects.filter(status=Rating.Status.APPROVED, year__in=(today.year - 1, today.year))
        .filter(Q(building_id__in=building_ids) | Q(household__building_id__in=building_ids))
        .order_by("title")
        .values_list("building_id", "household_id", "household__building_id", "year", "title")
    )
    found: dict[int, _BuildingRatings] = defaultdict(_BuildingRatings)
    for building_id, household_id, household_building_id, year, title in rows:
        if household_id is not None and household_id not in shown:
            continue  # another grid's household: an ``outside`` cell shows nothing of it
        ratings = found[building_id or household_building_id]
        if ratings.year is None or year > ratings.year:
            ratings.year, ratings.titles, ratings.households = year, [], {}
        elif year < ratings.year:
            continue
        if household_id is None:
            ratings.titles.append(_title(title))
        else:
            ratings.households.setdefault(household_id, []).append(_title(title))
    return found


def _title(code: str) -> dict[str, str]:
    return {
        "title": code,
        "label": str(RatingTitle(code).label),
        "label_en": RATING_TITLE_EN[RatingTitle(code)],
    }


def _reasons() -> dict[str, str]:
    rules = Rule.objects.filter(rule_set__status="active").values_list("code", "reason")
    return dict(rules)


def _cell(
    household: Household, heads: dict[int, str], reasons: dict[str, str], ratings: list[dict[str, str]]
) -> Cell:
    light = getattr(household, "light", None)
    rules = list(light.rules) if light else []
    return {
        "state": "occupied",
        "household_id": household.pk,
        "household_no": household.household_no,
        "light": light.color if light else None,
        "head": heads.get(household.pk, ""),
        "rules": rules,
        "reasons": [{"code": code, "reason": reasons[code]} for code in rules if code in reasons],
        "ratings": ratings,
    }


def _outside(room: str) -> Cell:
    return _empty(room) | {"state": "outside"}


def _empty(room: str) -> Cell:
    return {
        "state": "empty",
        "room": room,
        "household_id": None,
        "household_no": "",
        "light": None,
        "head": "",
        "rules": [],
        "reasons": [],
        "ratings": [],
    }


def _grid(building: Building, cells: list[Cell]) -> dict[str, Any]:
    placed: dict[tuple[str, int], dict[str, Cell]] = defaultdict(dict)
    unplaced: list[Cell] = []
    for cell in cells:
        entrance = cell.pop("_entrance") or ("1" if building.entrance_count == 1 else "")
        floor = cell.pop("_floor")
        if entrance and floor is not None:
            placed[(entrance, floor)][cell["room"]] = cell
        else:
            unplaced.append(cell)
    entrances = [_entrance(building, str(e), placed) for e in range(1, building.entrance_count + 1)]
    # Left over: an entrance the building does not have, or a floor below 1.
    unplaced += [cells[room] for cells in placed.values() for room in sorted(cells)]
    return {
        "building": building,
        "counts": _counts(entrances, unplaced),
        "entrances": entrances,
        "unplaced": unplaced,
    }


def _entrance(
    building: Building, entrance: str, placed: dict[tuple[str, int], dict[str, Cell]]
) -> dict[str, Any]:
    top = max([building.floor_count] + [f for (e, f) in placed if e == entrance])
    floors = []
    for floor in range(top, 0, -1):
        found = dict(placed.pop((entrance, floor), {}))
        rooms = [f"{floor}{flat:02d}" for flat in range(1, building.rooms_per_floor + 1)]
        row = [found.pop(room) if room in found else _empty(room) for room in rooms]
        row += [found[room] for room in sorted(found)]  # rooms that do not fit the shape
        floors.append({"floor": floor, "cells": row})
    return {"entrance": entrance, "floors": floors}


def _counts(entrances: list[dict[str, Any]], unplaced: list[Cell]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    cells = [c for e in entrances for f in e["floors"] for c in f["cells"]] + unplaced
    for cell in cells:
        if cell["state"] == "occupied":
            counts[cell["light"] or "unjudged"] += 1
        else:
            counts[cell["state"]] += 1
    return {key: counts[key] for key in ("red", "yellow", "green", "unjudged", "empty", "outside")}
