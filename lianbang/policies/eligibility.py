"""Which households qualify for which policies, and which of them receive them: set-based.

Eligibility and receipt conditions are compiled by the monitoring engine's public functions
(``make_plan``) into one statement over the households asked about; nothing loops over
households in Python. A household *receives* a policy when the policy's receipt condition holds
(a registry benefit flag such as 低保 or 残疾人两项补贴) or it has an open
:class:`BenefitReceipt` on the date. *Missed* = qualifies and does not receive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.models import Color
from lianbang.monitoring.plan import RuleSpec
from lianbang.monitoring.selectors import evaluation_specs
from lianbang.monitoring.sql import Sql
from lianbang.policies.models import BenefitReceipt, Policy
from lianbang.registry.models import Household


@dataclass(frozen=True)
class Standing:
    """One household's position towards one policy."""

    policy: Policy
    eligible: bool
    receives_by_condition: bool
    receives_by_record: bool

    @property
    def receives(self) -> bool:
        return self.receives_by_condition or self.receives_by_record

    @property
    def missed(self) -> bool:
        return self.eligible and not self.receives


def active_policies() -> list[Policy]:
    return list(Policy.objects.filter(active=True).order_by("sort_order", "code"))


def standings(
    households: QuerySet[Household], policies: Sequence[Policy], as_of: date, *, eligible_only: bool = True
) -> dict[int, list[Standing]]:
    """``{household_id: [Standing per policy]}`` for the households of the queryset.

    With ``eligible_only`` only households that qualify for at least one policy are returned."""
    if not policies:
        return {}
    flags = _condition_flags(households, policies, as_of, eligible_only)
    records = _open_records(households, as_of)
    return {
        household_id: [
            Standing(policy, bool(row[2 * i]), bool(row[2 * i + 1]), (household_id, policy.pk) in records)
            for i, policy in enumerate(policies)
        ]
        for household_id, row in flags.items()
    }


def household_standings(household: Household, as_of: date) -> list[Standing]:
    policies = active_policies()
    found = standings(Household.objects.filter(pk=household.pk), policies, as_of, eligible_only=False)
    return found.get(household.pk, [Standing(p, False, False, False) for p in policies])


def missed(
    households: QuerySet[Household], as_of: date, policy: Policy | None = None
) -> list[tuple[int, Policy]]:
    """Every (household id, policy) the household qualifies for and does not receive."""
    policies = [policy] if policy is not None else active_policies()
    found = standings(households, policies, as_of)
    return [(hid, s.policy) for hid, row in sorted(found.items()) for s in row if s.missed]


# Never true: stands in for a policy without a receipt condition, keeping columns in pairs.
NEVER: dict[str, Any] = {"fact": "active_members", "op": "<", "value": 0}


# Up to this many households, their ids go into the statement so that every grouped pass reads
# only their rows (one household: milliseconds); beyond, the caller's queryset is a sub-select
# over the whole-district statement.
FEW = 500


def _condition_flags(
    households: QuerySet[Household], policies: Sequence[Policy], as_of: date, eligible_only: bool
) -> dict[int, tuple[int, ...]]:
    specs: list[RuleSpec] = []
    for policy in policies:
        specs.append(RuleSpec(f"{policy.code}:eligible", Color.RED, policy.eligibility))
        specs.append(RuleSpec(f"{policy.code}:receives", Color.RED, policy.receipt_condition or NEVER))
    few = list(households.order_by().values_list("pk", flat=True)[: FEW + 1])
    ids = few if len(few) <= FEW else None
    specs_in_force = evaluation_specs()
    plan = make_plan(
        as_of=as_of,
        rules=specs,
        labels=[],
        household_ids=ids,
        recent_days=specs_in_force.recent_days if specs_in_force else 90,
    )
    columns = ", ".join(f"pe.r_{i}" for i in range(len(specs)))
    where = " OR ".join(f"pe.r_{2 * i} = 1" for i in range(len(policies))) if eligible_only else "1 = 1"
    statement = Sql(f"SELECT pe.household_id, {columns} FROM (") + plan.select + Sql(f") pe WHERE ({where})")
    if ids is None:
        ids_sql, ids_params = households.order_by().values("pk").query.sql_with_params()
        statement = statement + Sql(" AND pe.household_id IN (") + Sql(ids_sql, tuple(ids_params)) + Sql(")")
    with connection.cursor() as cursor:
        cursor.execute(statement.text, statement.params)
        return {int(row[0]): tuple(int(v or 0) for v in row[1:]) for row in cursor.fetchall()}


def _open_records(households: QuerySet[Household], as_of: date) -> set[tuple[int, int]]:
    rows = BenefitReceipt.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=as_of),
        household__in=households.order_by().values("pk"),
        started_on__lte=as_of,
    )
    return set(rows.values_list("household_id", "policy_id"))
