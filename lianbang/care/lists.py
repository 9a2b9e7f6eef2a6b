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
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.org.models import Unit
from lianbang.registry.parsing import lookup_choice

TRUE = ("true", "1", "yes", "是")
FALSE = ("false", "0", "no", "否")
MIN_YEAR, MAX_YEAR = 2000, 2100


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
        problems: list[FieldProblem] = []
        query = cls(
            overdue=_flag(params.get("overdue"), problems),
            year=_year(params.get("year"), problems),
            status=_status(params.get("status"), problems),
        )
        if problems:
            raise ApplicationError("invalid", "筛选条件有误", "invalid filters", problems)
        return query

    def as_params(self) -> dict[str, str]:
        """The filters set, as strings (what an export job carries and the audit log keeps)."""
        return {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in asdict(self).items()
            if value not in (None, False)
        }


def _flag(raw: Any, problems: list[FieldProblem]) -> bool:
    if raw is None or raw == "" or isinstance(raw, bool):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    problems.append(FieldProblem("overdue", raw, "应为 true 或 false", "must be true or false"))
    return False


def _year(raw: Any, problems: list[FieldProblem]) -> int | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        problems.append(
            FieldProblem(
                "year", raw, f"应为{MIN_YEAR}到{MAX_YEAR}的年份", f"a year from {MIN_YEAR} to {MAX_YEAR}"
            )
        )
        return None
    return int(text)


def _status(raw: Any, problems: list[FieldProblem]) -> str | None:
    if raw is None or raw == "":
        return None
    code = lookup_choice(Rating.Status, str(raw).strip())
    if code is None:
        labels = "、".join(str(label) for label in Rating.Status.labels)
        codes = ", ".join(Rating.Status.values)
        problems.append(FieldProblem("status", raw, f"应为：{labels}", f"one of {codes}"))
    return code


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
