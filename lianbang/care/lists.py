"""The care lists of a unit (三安关爱): visit schedules (overdue ones on their own), paired
children, volunteers, activities and ratings — their filters, scope, rows and order, one code for
the console's lists (GET /care/units/{unit_id}/…) and their Excel exports (POST …/export)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import unit_for
from lianbang.care import selectors
from lianbang.care.models import Rating
from lianbang.common.errors import ApplicationError
from lianbang.common.filters import BadValue, Parser, parse_filters, parse_flag
from lianbang.org.models import Unit
from lianbang.registry.parsing import lookup_choice

MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(raw: Any) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise BadValue(f"应为{MIN_YEAR}到{MAX_YEAR}的年份", f"a year from {MIN_YEAR} to {MAX_YEAR}")
    return int(text)


def _status(raw: Any) -> str:
    """A rating's status from its code or its label (``已评定``)."""
    code = lookup_choice(Rating.Status, str(raw).strip())
    if code is None:
        labels = "、".join(str(label) for label in Rating.Status.labels)
        raise BadValue(f"应为：{labels}", f"one of {', '.join(Rating.Status.values)}")
    return code


_PARSERS: dict[str, Parser] = {"overdue": parse_flag, "year": _year, "status": _status}


@dataclass(frozen=True)
class CareListQuery:
    """The lists' filters: ``overdue`` (schedules past their date only), ``year`` and ``status``
    (ratings). A list takes only its own (``FILTERS``)."""

    overdue: bool = False
    year: int | None = None
    status: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> CareListQuery:
        """The query from ``params`` (a query string's or a JSON body's values; empty: no
        filter); every bad value is reported at once, naming its field."""
        return cls(**parse_filters(params, _PARSERS))

    def as_params(self) -> dict[str, str]:
        """The filters set, as strings (what an export job carries and the audit log keeps)."""
        return {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in asdict(self).items()
            if value not in (None, False)
        }


def care_unit(user: Any, unit_id: Any, permission: str = Permission.UNIT_VIEW) -> Unit:
    """The unit a list is of, in the caller's scope for ``permission``; else a 404."""
    unit = unit_for(user, unit_id, permission)
    if unit is None:
        raise ApplicationError(
            "not_found", "找不到该单位或无权访问", "no such unit in your scope", status=404
        )
    return unit


def _schedules(unit: Unit, query: CareListQuery, today: date) -> QuerySet[Any]:
    return selectors.schedules_in(unit, today, query.overdue)


def _ratings(unit: Unit, query: CareListQuery, today: date) -> QuerySet[Any]:
    rows = selectors.ratings_in(unit)
    if query.year is not None:
        rows = rows.filter(year=query.year)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    return rows


@dataclass(frozen=True)
class CareList:
    rows: Callable[[Unit, CareListQuery, date], QuerySet[Any]]
    order: str  # the list's order, a unique column (its pages' cursor)
    filters: tuple[str, ...] = ()


CARE_LISTS: dict[str, CareList] = {
    "schedules": CareList(_schedules, "pk", ("overdue",)),
    "children": CareList(lambda unit, query, today: selectors.children_in(unit), "pk"),
    "volunteers": CareList(lambda unit, query, today: selectors.volunteers_in(unit), "pk"),
    "activities": CareList(lambda unit, query, today: selectors.activities_in(unit), "-pk"),
    "ratings": CareList(_ratings, "-pk", ("year", "status")),
}


def care_listed(what: str, unit: Unit, query: CareListQuery, today: date) -> QuerySet[Any]:
    """The rows of list ``what`` of the unit (already in the caller's scope), unordered: the list
    pages them by ``CARE_LISTS[what].order``, the export writes them in that order."""
    return CARE_LISTS[what].rows(unit, query, today)
