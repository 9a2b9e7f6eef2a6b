"""People across the caller's households (提户知人), filtered by age band, label, work, light.

One query (``PeopleQuery``) and one function (``people_listed``) serve the list
(``GET /people``) and its Excel export, so that the export holds exactly the people the list
shows, in the same order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from lianbang.accounts.masking import age_on, mask_value
from lianbang.accounts.models import Permission
from lianbang.accounts.scope import members_for, unit_for
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.dashboards.compute import EMPLOYED, LABOUR_SKILLS, Moment, labour_q
from lianbang.dashboards.household_list import HouseholdQuery, households_listed
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
# What a person's row says of their work (``person_row``'s ``employment``).
EMPLOYMENT_LABELS = {"employed": "已就业", "unemployed": "未就业", "not_labour": "非劳动力"}
_IDS = ("unit_id", "building_id", "grid_id")
# The household list's filters the people list takes too (checked by its parser).
_BY_HOUSEHOLD = ("risk_type", "case_state", "updated_since")


@dataclass(frozen=True)
class PeopleQuery:
    """The people list's filters and sort. Ids are checked here; every other value where it is
    applied (``people``, ``people_sorted``, the household list's parser)."""

    unit_id: int | None = None
    building_id: int | None = None
    grid_id: int | None = None
    age_band: str | None = None
    label: str | None = None
    employment: str | None = None
    light: str | None = None
    risk_type: str | None = None
    case_state: str | None = None
    updated_since: str | None = None
    sort: str = "id"

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> PeopleQuery:
        """The query from ``params`` (numbers or strings, as a query string or a JSON body
        carries them); an empty value is no filter; bad ids are reported at once."""
        values: dict[str, Any] = {}
        problems: list[FieldProblem] = []
        for name in cls.__dataclass_fields__:
            raw = params.get(name)
            if raw is None or raw == "":
                continue
            if name not in _IDS:
                values[name] = str(raw).strip()
            elif str(raw).strip().isdigit() and 0 < int(str(raw).strip()) < 2**63:
                values[name] = int(str(raw).strip())
            else:
                problems.append(FieldProblem(name, raw, "应为正整数编号", "must be a positive whole number"))
        if problems:
            raise ApplicationError("invalid", "筛选条件有误", "invalid filters", problems)
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        """The query as strings (what an export job carries and the audit log keeps)."""
        return {name: str(value) for name, value in asdict(self).items() if value is not None}


def people_listed(
    user: Any, query: PeopleQuery, moment: Moment, *, permission: str = Permission.HOUSEHOLD_VIEW
) -> tuple[QuerySet[Member], bool]:
    """The caller's people (scoped for ``permission``) matching ``query``, in its order; returns
    the rows and whether the order is descending. A unit outside the caller's scope is a 404."""
    unit = None
    if query.unit_id is not None:
        unit = unit_for(user, query.unit_id)
        if unit is None:
            problem = FieldProblem(
                "unit_id", query.unit_id, "找不到该单位或无权访问", "no such unit in your scope"
            )
            raise ApplicationError(
                "not_found", "找不到该单位或无权访问", "no such unit in your scope", [problem], 404
            )
    rows = people(
        user,
        moment,
        unit=unit,
        building_id=query.building_id,
        grid_id=query.grid_id,
        age_band=query.age_band,
        label=query.label,
        employment=query.employment,
        light=query.light,
        permission=permission,
    )
    by_household = {name: getattr(query, name) for name in _BY_HOUSEHOLD}
    if any(by_household.values()):
        households = households_listed(user, HouseholdQuery.parse(by_household), permission=permission)
        rows = rows.filter(household__in=households.order_by().values("pk"))
    return people_sorted(rows, query.sort)


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
    permission: str = Permission.HOUSEHOLD_VIEW,
) -> QuerySet[Member]:
    rows = members_for(user, permission).filter(
        status=MemberStatus.ACTIVE, household__status=HouseholdStatus.ACTIVE
    )
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
