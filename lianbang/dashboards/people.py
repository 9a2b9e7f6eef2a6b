"""People across the caller's households (提户知人), filtered by age band, label, work, light."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from lianbang.accounts.masking import age_on, mask_value
from lianbang.accounts.scope import members_for
from lianbang.common.errors import invalid
from lianbang.dashboards.compute import EMPLOYED, LABOUR_SKILLS, Moment, labour_q
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Member
from lianbang.registry.vocab import NOT_IN_SCHOOL, HouseholdStatus, MemberStatus

# name: (youngest, oldest) in full years; None = open
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "preschool": (0, 5),
    "school": (6, 15),
    "youth": (16, 17),
    "adult": (18, 59),
    "senior": (60, 64),
    "elderly": (65, None),
    "aged_80_plus": (80, None),
    "minor": (0, 17),
    "labour_age": (16, 64),
}
EMPLOYMENT_STATES = ("labour", "employed", "stable", "unemployed", "not_labour")
LIGHTS = ("red", "yellow", "green", "none")


def people(
    user: Any,
    moment: Moment,
    *,
    unit: Unit | None = None,
    building_id: int | None = None,
    grid_id: int | None = None,
    age_band: str | None = None,
    label: str | None = None,
    employment: str | None = None,
    light: str | None = None,
) -> QuerySet[Member]:
    rows = members_for(user).filter(status=MemberStatus.ACTIVE, household__status=HouseholdStatus.ACTIVE)
    if unit is not None:
        rows = rows.filter(path_prefix_q(unit.path, "household__unit__path"))
    if building_id is not None:
        rows = rows.filter(household__building_id=building_id)
    if grid_id is not None:
        rows = rows.filter(household__grid_id=grid_id)
    if age_band is not None:
        rows = rows.filter(_age_q(moment, age_band))
    if label is not None:
        rows = rows.filter(household__labels__label__code=label)
    if employment is not None:
        rows = rows.filter(_employment_q(moment, employment))
    if light is not None:
        rows = rows.filter(_light_q(light))
    return rows.select_related("household__light")


# sort → (the column it orders on, descending on that column). The cursor carries only the
# last row's id, never the key: an age sort's key is a birth date.
# Age ascending is birth date descending; names are not a sort: minors' names are masked, and
# ordering by the real name would leak them.
PEOPLE_SORTS = {
    "id": ("pk", False),
    "age": ("birth_date", True),
    "-age": ("birth_date", False),
    "household": ("household__household_no", False),
    "-household": ("household__household_no", True),
}


def people_sorted(rows: QuerySet[Member], sort: str) -> tuple[QuerySet[Member], bool]:
    """``rows`` annotated with ``sort_key`` and ordered by (key, id); returns the rows and
    whether the order is descending."""
    if sort not in PEOPLE_SORTS:
        raise invalid("sort", sort, f"可选：{'、'.join(PEOPLE_SORTS)}", f"one of {', '.join(PEOPLE_SORTS)}")
    column, descending = PEOPLE_SORTS[sort]
    rows = rows.annotate(sort_key=F(column))
    key = F("sort_key").desc() if descending else F("sort_key").asc()
    return rows.order_by(key, "-pk" if descending else "pk"), descending


def _age_q(moment: Moment, band: str) -> Q:
    if band not in AGE_BANDS:
        raise invalid("age_band", band, f"可选：{'、'.join(AGE_BANDS)}", f"one of {', '.join(AGE_BANDS)}")
    youngest, oldest = AGE_BANDS[band]
    condition = Q(birth_date__lte=moment.born_by(youngest))
    return condition & Q(birth_date__gt=moment.born_by(oldest + 1)) if oldest is not None else condition


def _employment_q(moment: Moment, state: str) -> Q:
    labour = labour_q(moment)
    conditions = {
        "labour": labour,
        "employed": labour & EMPLOYED,
        "stable": labour & EMPLOYED & Q(employed_since__lte=moment.stable_since),
        "unemployed": labour & ~EMPLOYED,
        "not_labour": ~labour,
    }
    if state not in conditions:
        raise invalid(
            "employment",
            state,
            f"可选：{'、'.join(EMPLOYMENT_STATES)}",
            f"one of {', '.join(EMPLOYMENT_STATES)}",
        )
    return conditions[state]


def _light_q(light: str) -> Q:
    if light not in LIGHTS:
        raise invalid("light", light, f"可选：{'、'.join(LIGHTS)}", f"one of {', '.join(LIGHTS)}")
    return Q(household__light__isnull=True) if light == "none" else Q(household__light__color=light)


def person_row(member: Member, moment: Moment) -> dict[str, Any]:
    """One person as the list shows them: a minor's name masked, no ID, phone or health."""
    age = age_on(member.birth_date, moment.today)
    labour = _is_labour(member, age)
    light = getattr(member.household, "light", None)
    return {
        "id": member.pk,
        "household_id": member.household_id,
        "household_no": member.household.household_no,
        "unit_id": member.household.unit_id,
        "name": mask_value("name", member.name, minor=age < 14),
        "sex": member.get_sex_display(),
        "age": age,
        "age_band": age_band_of(age),
        "relation": member.get_relation_display(),
        "labour": labour,
        "employment": _employment_of(member, labour),
        "work_location": member.get_work_location_display() if member.work_location else "",
        "light": light.color if light else None,
    }


def _is_labour(member: Member, age: int) -> bool:
    return 16 <= age <= 64 and member.labor_skill in LABOUR_SKILLS and member.schooling in NOT_IN_SCHOOL


def _employment_of(member: Member, labour: bool) -> str:
    if not labour:
        return "not_labour"
    return "employed" if member.work_location else "unemployed"


def age_band_of(age: int) -> str:
    for band in ("preschool", "school", "youth", "adult", "senior", "elderly"):
        youngest, oldest = AGE_BANDS[band]
        if youngest <= age and (oldest is None or age <= oldest):
            return band
    return "elderly"
