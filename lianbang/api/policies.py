"""The policy catalogue (提情知策): policies as data, what a household qualifies for and
receives, the missed entitlements of a unit, and suggestions for a case's measure form.

See docs/policies.md for how "receives" is recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StrictInt

from lianbang.accounts.models import Permission
from lianbang.api.households import ExportStartedOut, actor_of, household_in_scope, require
from lianbang.api.schemas import StrictIn
from lianbang.cases.vocab import RiskType
from lianbang.common.errors import ApplicationError, invalid
from lianbang.policies import eligibility, services
from lianbang.policies.exports import MISSED_EXPORT
from lianbang.policies.missed import MissedQuery, missed_listed, missed_unit
from lianbang.policies.models import BenefitReceipt, Policy
from lianbang.registry.models import Household
from lianbang.registry.parsing import lookup_choice
from lianbang.transfer.tasks import list_export_start

router = Router(tags=["policies"])


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    department: str
    measure_type: str
    measure_type_label: str
    risk_types: list[str]
    risk_type_labels: list[str]
    eligibility: Any
    receipt_condition: Any
    benefit: str
    how_to_apply: str
    note: str
    active: bool
    sort_order: int
    version: int


class PolicyIn(StrictIn):
    code: str | None = None  # on create only
    name: str | None = None
    department: str | None = None
    measure_type: str | None = None
    risk_types: list[str] | None = None
    eligibility: Any = None
    receipt_condition: Any = None
    benefit: str | None = None
    how_to_apply: str | None = None
    note: str | None = None
    active: bool | None = None
    sort_order: int | None = None


class PolicyRefOut(Schema):
    id: int
    code: str
    name: str
    department: str
    measure_type: str
    measure_type_label: str


class ReceiptOut(Schema):
    id: int
    policy_code: str
    member_id: int | None
    started_on: date
    ended_on: date | None
    amount: str | None
    source: str
    note: str


class StandingOut(Schema):
    policy: PolicyRefOut
    eligible: bool
    receives: bool
    received_by: list[str]  # "registry" (the receipt condition holds), "record" (an open receipt)
    missed: bool


class HouseholdPoliciesOut(Schema):
    household_id: int
    household_no: str
    as_of: date
    qualifies: int
    missed: int
    items: list[StandingOut]
    receipts: list[ReceiptOut]


class ReceiptIn(StrictIn):
    started_on: date
    member_id: int | None = None
    ended_on: date | None = None
    amount: Decimal | None = None
    source: str = "manual"
    note: str = ""


class ReceiptEndIn(StrictIn):
    ended_on: date


class EndedOut(Schema):
    ended: int


class MissedRowOut(Schema):
    household_id: int
    household_no: str
    address: str
    grid: str | None
    unit_id: int
    policy: PolicyRefOut


class MissedCountOut(Schema):
    code: str
    name: str
    count: int


class MissedOut(Schema):
    unit_id: int
    as_of: date
    total: int
    households: int
    by_policy: list[MissedCountOut]
    items: list[MissedRowOut]
    next_offset: int | None


class SuggestionOut(Schema):
    policy: PolicyRefOut
    risk_types: list[str]
    benefit: str
    how_to_apply: str
    eligible: bool | None  # None: no household given
    receives: bool | None


class SuggestionsOut(Schema):
    risk_types: list[str]
    household_id: int | None
    items: list[SuggestionOut]


def _ref(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.pk,
        "code": policy.code,
        "name": policy.name,
        "department": policy.department,
        "measure_type": policy.measure_type,
        "measure_type_label": policy.get_measure_type_display(),
    }


def _policy(policy: Policy) -> dict[str, Any]:
    labels = dict(RiskType.choices)
    return {
        **_ref(policy),
        "risk_types": policy.risk_types,
        "risk_type_labels": [str(labels.get(code, code)) for code in policy.risk_types],
        "eligibility": policy.eligibility,
        "receipt_condition": policy.receipt_condition,
        "benefit": policy.benefit,
        "how_to_apply": policy.how_to_apply,
        "note": policy.note,
        "active": policy.active,
        "sort_order": policy.sort_order,
        "version": policy.version,
    }


def _receipt(r: BenefitReceipt) -> dict[str, Any]:
    return {
        "id": r.pk,
        "policy_code": r.policy.code,
        "member_id": r.member_id,
        "started_on": r.started_on,
        "ended_on": r.ended_on,
        "amount": None if r.amount is None else f"{r.amount:.2f}",
        "source": r.source,
        "note": r.note,
    }


def _get_policy(policy_id: int) -> Policy:
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise ApplicationError("not_found", "找不到该政策", "no such policy", status=404)
    return policy


def _household(request: HttpRequest, household_id: int, permission: str) -> Household:
    require(request, permission)
    return household_in_scope(request, household_id, permission)


@router.get("/policies", response=list[PolicyOut])
def policy_list(request: HttpRequest, include_inactive: bool = False) -> list[dict[str, Any]]:
    """The catalogue, in its display order."""
    rows = Policy.objects.all() if include_inactive else Policy.objects.filter(active=True)
    return [_policy(p) for p in rows.order_by("sort_order", "code")]


@router.get("/policies/missed", response=MissedOut)
def policy_missed(
    request: HttpRequest,
    unit: int | None = None,
    policy: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """Households of the unit that qualify for a policy and do not receive it (漏享)."""
    require(request, Permission.UNIT_VIEW)
    if not 1 <= limit <= 500 or not offset >= 0:
        raise invalid("limit", limit, "limit 应为1到500，offset 不小于0", "limit 1–500, offset ≥ 0")
    listed = missed_listed(request.user, MissedQuery.parse({"unit": unit, "policy": policy}))
    pairs = listed.pairs
    counts: dict[str, int] = {}
    for _, p in pairs:
        counts[p.code] = counts.get(p.code, 0) + 1
    window = pairs[offset : offset + limit]
    found = Household.objects.select_related("grid").in_bulk([hid for hid, _ in window])
    names = {p.code: p.name for _, p in pairs}
    return {
        "unit_id": listed.unit.pk,
        "as_of": listed.as_of,
        "total": len(pairs),
        "households": len({hid for hid, _ in pairs}),
        "by_policy": [{"code": c, "name": names[c], "count": n} for c, n in counts.items()],
        "items": [_missed_row(found[hid], p) for hid, p in window],
        "next_offset": offset + limit if offset + limit < len(pairs) else None,
    }


class MissedExportIn(StrictIn):
    """The missed list's filters as a JSON body: an unknown field is refused (a misspelt filter
    would otherwise export the whole unit); the unit may be a number or a numeric string."""

    unit: StrictInt | str | None = None
    policy: str | None = Field(None, description="a policy code (GET /policies)")


@router.post("/policies/missed/export", response={201: ExportStartedOut})
def policy_missed_export(request: HttpRequest, filters: MissedExportIn) -> tuple[int, dict[str, Any]]:
    """Export the missed list of the unit, as filtered, to Excel through a transfer job (masked,
    audited); ``url`` is the job's page, where the file is downloaded when it is done."""
    require(request, Permission.EXPORT)
    query = MissedQuery.parse(filters.dict())
    unit = missed_unit(request.user, query, Permission.EXPORT)  # a unit out of scope: 404 now
    params = {**query.as_params(), "unit": str(unit.pk)}
    job = list_export_start(actor=actor_of(request), what=MISSED_EXPORT, params=params)
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


def _missed_row(household: Household, policy: Policy) -> dict[str, Any]:
    return {
        "household_id": household.pk,
        "household_no": household.household_no,
        "address": household.address,
        "grid": household.grid.code if household.grid else None,
        "unit_id": household.unit_id,
        "policy": _ref(policy),
    }


@router.get("/policies/suggestions", response=SuggestionsOut)
def policy_suggestions(
    request: HttpRequest, risk_type: list[str] | None = Query(None), household_id: int | None = None
) -> dict[str, Any]:
    """Policies that answer the risk types (for a case's measure form; none given: all), and,
    for a household, whether it qualifies and already receives each."""
    require(request, Permission.HOUSEHOLD_VIEW)
    codes = []
    for i, raw in enumerate(risk_type or []):
        code = lookup_choice(RiskType, raw)
        if code is None:
            raise invalid(f"risk_type[{i}]", raw, "不是风险类型", "is not a risk type")
        codes.append(code)
    policies = [p for p in eligibility.active_policies() if not codes or set(p.risk_types) & set(codes)]
    standing: dict[int, eligibility.Standing] = {}
    if household_id is not None:
        household = _household(request, household_id, Permission.HOUSEHOLD_VIEW)
        found = eligibility.standings(
            Household.objects.filter(pk=household.pk), policies, timezone.localdate(), eligible_only=False
        )
        standing = {s.policy.pk: s for s in found.get(household.pk, [])}
    # Policies the household qualifies for and does not receive come first.
    policies.sort(key=lambda p: (not (standing.get(p.pk) and standing[p.pk].missed), p.sort_order))
    return {
        "risk_types": codes,
        "household_id": household_id,
        "items": [
            {
                "policy": _ref(p),
                "risk_types": p.risk_types,
                "benefit": p.benefit,
                "how_to_apply": p.how_to_apply,
                "eligible": standing[p.pk].eligible if p.pk in standing else None,
                "receives": standing[p.pk].receives if p.pk in standing else None,
            }
            for p in policies
        ],
    }


@router.get("/policies/{policy_id}", response=PolicyOut)
def policy_detail(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    return _policy(_get_policy(policy_id))


@router.post("/policies", response={201: PolicyOut})
def policy_create(request: HttpRequest, payload: PolicyIn) -> tuple[int, dict[str, Any]]:
    """Add a policy; its conditions are validated (every problem with its path)."""
    require(request, Permission.CONFIG_MANAGE)
    values = payload.dict(exclude_unset=True)
    return 201, _policy(services.policy_save(actor=actor_of(request), values=values))


@router.patch("/policies/{policy_id}", response=PolicyOut)
def policy_update(request: HttpRequest, policy_id: int, payload: PolicyIn) -> dict[str, Any]:
    """Change some fields of a policy (the code stays)."""
    require(request, Permission.CONFIG_MANAGE)
    policy = _get_policy(policy_id)
    values = payload.dict(exclude_unset=True)
    if "code" in values:
        raise invalid("code", values["code"], "代码不能修改", "the code cannot change")
    return _policy(services.policy_save(actor=actor_of(request), values=values, policy=policy))


@router.get("/households/{household_id}/policies", response=HouseholdPoliciesOut)
def household_policies(request: HttpRequest, household_id: int) -> dict[str, Any]:
    """Every active policy: does the household qualify, does it receive it, is it missed."""
    household = _household(request, household_id, Permission.HOUSEHOLD_VIEW)
    today = timezone.localdate()
    rows = eligibility.household_standings(household, today)
    receipts = household.benefit_receipts.select_related("policy").order_by("-started_on")
    return {
        "household_id": household.pk,
        "household_no": household.household_no,
        "as_of": today,
        "qualifies": sum(s.eligible for s in rows),
        "missed": sum(s.missed for s in rows),
        "items": [
            {
                "policy": _ref(s.policy),
                "eligible": s.eligible,
                "receives": s.receives,
                "received_by": [
                    w
                    for w, on in (("registry", s.receives_by_condition), ("record", s.receives_by_record))
                    if on
                ],
                "missed": s.missed,
            }
            for s in rows
        ],
        "receipts": [_receipt(r) for r in receipts],
    }


@router.post("/households/{household_id}/policies/{policy_id}/receipts", response={201: ReceiptOut})
def receipt_record(
    request: HttpRequest, household_id: int, policy_id: int, payload: ReceiptIn
) -> tuple[int, dict[str, Any]]:
    """Record that the household (or a member) receives the policy from a date."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    policy = _get_policy(policy_id)
    receipt = services.receipt_record(
        actor=actor_of(request), household=household, policy=policy, **payload.dict()
    )
    return 201, _receipt(receipt)


@router.post("/households/{household_id}/policies/{policy_id}/receipts/end", response=EndedOut)
def receipt_end(
    request: HttpRequest, household_id: int, policy_id: int, payload: ReceiptEndIn
) -> dict[str, int]:
    """End the household's open receipts of the policy."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    policy = _get_policy(policy_id)
    ended = services.receipt_end(
        actor=actor_of(request), household=household, policy=policy, ended_on=payload.ended_on
    )
    return {"ended": ended}
