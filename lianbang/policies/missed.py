"""The missed-entitlement list (应享未享) of a unit: its filters, its scope and its pairs, one code
for GET /policies/missed and for its Excel export (POST /policies/missed/export)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for, root_units, unit_for
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.filters import BadValue, Parser, parse_filters, parse_id
from lianbang.org.models import Unit, path_prefix_q
from lianbang.policies import eligibility
from lianbang.policies.models import Policy


def _policy_code(raw: Any) -> str:
    code = str(raw).strip()
    if not Policy.objects.filter(code=code).exists():
        raise BadValue("没有该政策代码", "no policy with this code")
    return code


_PARSERS: dict[str, Parser] = {"unit": parse_id, "policy": _policy_code}


@dataclass(frozen=True)
class MissedQuery:
    """The list's filters: the unit (default: the first of the caller's) and one policy code."""

    unit: int | None = None
    policy: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> MissedQuery:
        """The query from ``params`` (a query string's or a JSON body's values; empty: no
        filter); every bad value is reported at once, naming its field."""
        return cls(**parse_filters(params, _PARSERS))

    def as_params(self) -> dict[str, str]:
        """The query as strings (what an export job carries and the audit log keeps)."""
        return {name: str(value) for name, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class MissedList:
    unit: Unit
    as_of: date
    pairs: list[tuple[int, Policy]]  # (household id, policy), by household id then policy order


def missed_unit(user: Any, query: MissedQuery, permission: str = Permission.UNIT_VIEW) -> Unit:
    """The unit the list is of, in the caller's scope for ``permission``; else a 404."""
    if query.unit is None:
        roots = root_units(user, permission)
        if not roots:
            raise ApplicationError("not_found", "没有可查看的单位", "no unit in your scope", status=404)
        return roots[0]
    found = unit_for(user, query.unit, permission)
    if found is None:
        problem = FieldProblem("unit", query.unit, "找不到该单位或无权访问", "no such unit in your scope")
        raise ApplicationError(
            "not_found", "找不到该单位或无权访问", "no such unit in your scope", [problem], 404
        )
    return found


def missed_listed(
    user: Any, query: MissedQuery, *, permission: str = Permission.UNIT_VIEW, as_of: date | None = None
) -> MissedList:
    """The (household, policy) pairs of the unit's active households in the caller's scope for
    ``permission`` that qualify for a policy (``query.policy``, else every active one) and do
    not receive it."""
    unit = missed_unit(user, query, permission)
    chosen = Policy.objects.get(code=query.policy) if query.policy else None
    households = households_for(user, permission).filter(
        path_prefix_q(unit.path, "unit__path"), status="active"
    )
    today = as_of or timezone.localdate()
    return MissedList(unit=unit, as_of=today, pairs=eligibility.missed(households, today, chosen))
