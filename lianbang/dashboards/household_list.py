"""The console's household list: one parser for its filters and sort, shared by the list
(``GET /households``) and its Excel export, so that the export holds exactly the rows the list
shows, in the same order.

Every value is checked here (a bad one is a 400 naming field, value and reason) and every id is
looked up in the caller's scope (a unit, building or grid outside it answers 404)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for, unit_for, units_for
from lianbang.cases.models import Case as RiskCase
from lianbang.cases.vocab import CaseKind
from lianbang.cases.workflow import RISK
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.filters import BadValue, one_of, parse_filters, parse_flag, parse_id
from lianbang.monitoring.models import Color, HouseholdLabel, LightChange, Rule
from lianbang.org.models import Building, MicroGrid, path_prefix_q
from lianbang.registry.models import Household, Income, Member, Visit
from lianbang.registry.vocab import HouseholdStatus, MemberStatus

LIGHTS = ("red", "yellow", "green", "none")
# 帮扶状态: a state of the household's risk case, or ``open`` for any case not closed yet.
CASE_STATES = ("open", *(state.code for state in RISK.states))
# the list's sorts (``-`` before one for descending); the cursor carries only the last row's id.
SORT_KEYS = ("id", "household_no", "light", "income", "last_visit", "updated_at")
SORTS = tuple(s for key in SORT_KEYS for s in (key, f"-{key}"))
NO_INCOME = -1e12  # sorts households without an income record below every real figure
NEVER = datetime(1900, 1, 1, tzinfo=UTC)  # "never visited" sorts before every visit
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIELDS = (
    "unit_id",
    "building_id",
    "grid_id",
    "light",
    "label",
    "rule",
    "risk_type",
    "updated_since",
    "light_rose_in",
    "has_income",
    "case_state",
    "sort",
)


@dataclass(frozen=True)
class HouseholdQuery:
    """The list's filters and sort, already checked (values only; ids are checked in scope)."""

    unit_id: int | None = None
    building_id: int | None = None
    grid_id: int | None = None
    light: str | None = None
    label: str | None = None
    rule: str | None = None
    risk_type: str | None = None
    updated_since: datetime | None = None
    light_rose_in: str | None = None
    has_income: bool | None = None
    case_state: str | None = None
    sort: str = "household_no"

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> HouseholdQuery:
        """Check every value of ``params`` (strings as a query string carries them); all bad
        values are reported at once."""
        return cls(**parse_filters(params, {name: _PARSERS[name] for name in FIELDS}))

    def as_params(self) -> dict[str, str]:
        """The query as strings (what the list's URL and the export job carry)."""
        out: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value is None:
                continue
            if isinstance(value, bool):
                out[name] = "true" if value else "false"
            elif isinstance(value, datetime):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out


def _text(raw: Any) -> str:
    text = str(raw).strip()
    if not text or len(text) > 40:
        raise BadValue("应为1到40个字符", "must be 1 to 40 characters")
    return text


def _moment(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            try:
                moment = datetime.combine(date.fromisoformat(str(raw).strip()), time())
            except ValueError:
                raise BadValue(
                    "应为日期或时间，如 2026-11-01", "must be a date or time, e.g. 2026-11-01"
                ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _month(raw: Any) -> str:
    if not _MONTH.match(str(raw)):
        raise BadValue("应为年月，如 2026-11", "must be a month, e.g. 2026-11")
    return str(raw)


_PARSERS: dict[str, Any] = {
    "unit_id": parse_id,
    "building_id": parse_id,
    "grid_id": parse_id,
    "light": one_of(LIGHTS),
    "label": _text,
    "rule": _text,
    "risk_type": _text,
    "updated_since": _moment,
    "light_rose_in": _month,
    "has_income": parse_flag,
    "case_state": one_of(CASE_STATES),
    "sort": one_of(SORTS),
}


def households_listed(
    user: Any, query: HouseholdQuery, *, permission: str = Permission.HOUSEHOLD_VIEW, figures: bool = False
) -> QuerySet[Household]:
    """The caller's active households matching ``query``, annotated with ``sort_key`` and
    ordered by (sort key, id) in the query's direction; with ``figures`` also annotated with
    ``per_capita`` (None without an income record) and ``last_visited_at`` for the list's columns."""
    rows = households_for(user, permission).filter(status=HouseholdStatus.ACTIVE)
    rows = _placed(user, rows, query, permission)
    rows = _judged(rows, query)
    if query.updated_since is not None:
        rows = rows.filter(Q(updated_at__gte=query.updated_since) | Q(light__since__gte=query.updated_since))
    if query.has_income is not None:
        income = Exists(Income.objects.filter(household=OuterRef("pk")))
        rows = rows.filter(income if query.has_income else ~income)
    if query.case_state is not None:
        rows = rows.filter(Exists(_risk_cases(query.case_state).filter(household=OuterRef("pk"))))
    if figures:
        rows = rows.annotate(
            per_capita=Subquery(_per_capita(), output_field=FloatField()),
            last_visited_at=Subquery(_last_visit()),
        )
    rows = rows.annotate(sort_key=sort_expression(query.sort.lstrip("-")))
    descending = query.sort.startswith("-")
    return rows.order_by(
        F("sort_key").desc() if descending else F("sort_key").asc(), "-pk" if descending else "pk"
    )


def _risk_cases(state: str) -> QuerySet[RiskCase]:
    cases = RiskCase.objects.filter(kind=CaseKind.RISK)
    return cases.exclude(state__in=RISK.closed_states) if state == "open" else cases.filter(state=state)


def _placed(
    user: Any, rows: QuerySet[Household], query: HouseholdQuery, permission: str
) -> QuerySet[Household]:
    """Unit subtree, building, micro-grid: each looked up in the caller's scope (a 404 naming the
    field outside it); the rows themselves are already scoped for ``permission``."""
    if query.unit_id is not None:
        unit = unit_for(user, query.unit_id)
        if unit is None:
            raise _not_found("unit_id", query.unit_id, "单位", "unit")
        rows = rows.filter(path_prefix_q(unit.path, "unit__path"))
    if query.building_id is not None:
        rows = rows.filter(building_id=building_in_scope(user, query.building_id, permission).pk)
    if query.grid_id is not None:
        rows = rows.filter(grid_id=grid_in_scope(user, query.grid_id, permission).pk)
    return rows


def building_in_scope(user: Any, building_id: int, permission: str = Permission.HOUSEHOLD_VIEW) -> Building:
    """The building, if the caller sees it; else a 404 naming ``building_id``."""
    building = Building.objects.filter(pk=building_id).first()
    if building is None or not _visible(user, permission, building.branch_id, Q(building=building)):
        raise _not_found("building_id", building_id, "楼栋", "building")
    return building


def grid_in_scope(user: Any, grid_id: int, permission: str = Permission.HOUSEHOLD_VIEW) -> MicroGrid:
    """The micro-grid, if the caller sees it; else a 404 naming ``grid_id``."""
    grid = MicroGrid.objects.filter(pk=grid_id).first()
    if grid is None or not _visible(user, permission, grid.unit_id, Q(grid=grid)):
        raise _not_found("grid_id", grid_id, "网格", "micro-grid")
    return grid


def month_bounds(field: str, month: str) -> tuple[datetime, datetime]:
    """The first moment of a ``YYYY-MM`` month and of the next (local time); a bad month is a
    400 naming ``field``."""
    try:
        _month(month)
    except BadValue as bad:
        raise ApplicationError(
            "invalid", bad.zh, bad.en, [FieldProblem(field, month, bad.zh, bad.en)]
        ) from None
    year, number = (int(part) for part in month.split("-"))
    start = timezone.make_aware(datetime(year, number, 1))
    return start, timezone.make_aware(datetime(year + number // 12, number % 12 + 1, 1))


def _visible(user: Any, permission: str, unit_id: int, holds: Q) -> bool:
    """A building or grid is visible when its unit is, or when it holds a visible household."""
    if units_for(user).filter(pk=unit_id).exists():
        return True
    return households_for(user, permission).filter(holds).exists()


def _not_found(field: str, value: int, zh: str, en: str) -> ApplicationError:
    problem = FieldProblem(field, value, f"找不到该{zh}或无权访问", f"no such {en} in your scope")
    return ApplicationError(
        "not_found", f"找不到该{zh}或无权访问", f"no such {en} in your scope", [problem], 404
    )


def _judged(rows: QuerySet[Household], query: HouseholdQuery) -> QuerySet[Household]:
    if query.light == "none":
        rows = rows.filter(light__isnull=True)
    elif query.light is not None:
        rows = rows.filter(light__color=query.light)
    if query.label is not None:
        rows = rows.filter(
            Exists(HouseholdLabel.objects.filter(household=OuterRef("pk"), label__code=query.label))
        )
    codes = _rule_codes(query.rule, query.risk_type)
    if codes is not None:
        matches = Q(pk__in=[])
        for code in codes:
            matches |= Q(light__rules__icontains=f'"{code}"')
        rows = rows.filter(matches)
    if query.light_rose_in is not None:
        rows = rows.filter(Exists(_rises(query.light_rose_in)))
    return rows


def _rule_codes(rule: str | None, risk_type: str | None) -> list[str] | None:
    """Rule codes to filter on: one code, or every active rule of a risk type (e.g. 因病)."""
    if rule is None and risk_type is None:
        return None
    rules = Rule.objects.filter(rule_set__status="active")
    if rule is not None:
        rules = rules.filter(code=rule)
    if risk_type is not None:
        rules = rules.filter(risk_type=risk_type)
    return list(rules.values_list("code", flat=True))


def _rises(month: str) -> QuerySet[LightChange]:
    """Light changes of the month that count as a new risk on the dashboard (green or none →
    yellow or red; ``dashboards.compute._new_risks``)."""
    start, end = month_bounds("light_rose_in", month)
    return LightChange.objects.filter(
        Q(changed_at__gte=start, changed_at__lt=end) & Q(changed_at__lte=timezone.now()),
        household=OuterRef("pk"),
        from_color__in=["", Color.GREEN],
        to_color__in=[Color.YELLOW, Color.RED],
    )


def sort_expression(key: str) -> Any:
    """The expression a household list sorts on; never NULL, so that keyset paging holds."""
    if key == "household_no":
        return F("household_no")
    if key == "id":
        return F("pk")
    if key == "updated_at":
        return F("updated_at")
    if key == "light":
        return Case(
            When(light__color=Color.RED, then=Value(3)),
            When(light__color=Color.YELLOW, then=Value(2)),
            When(light__color=Color.GREEN, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    if key == "last_visit":
        return Coalesce(Subquery(_last_visit()), Value(NEVER))
    return Coalesce(Subquery(_per_capita()), Value(NO_INCOME), output_field=FloatField())


def _last_visit() -> QuerySet[Any, Any]:
    return Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_at").values("visited_at")[:1]


def _per_capita() -> QuerySet[Any, Any]:
    """人均纯收入 of the current income record (the greatest year ≤ this year), as float8 on
    both databases so that ordering and the cursor's comparison agree."""
    size = Coalesce(
        "household_size",
        Subquery(
            Member.objects.filter(household=OuterRef(OuterRef("pk")), status=MemberStatus.ACTIVE)
            .values("household")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
    )
    net = (
        Cast("wage", FloatField())
        + Cast("business", FloatField())
        + Cast("property_income", FloatField())
        + Cast("transfer", FloatField())
        - Cast("business_expense", FloatField())
    )
    per_head = ExpressionWrapper(net / Cast(size, FloatField()), output_field=FloatField())
    return (
        Income.objects.filter(household=OuterRef("pk"), year__lte=timezone.localdate().year)
        .annotate(size=size, per_head=per_head)
        .filter(size__gt=0)
        .order_by("-year")
        .values("per_head")[:1]
    )
