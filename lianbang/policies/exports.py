"""The missed-entitlement list (应享未享) to Excel: the pairs the console's list shows with the same
filters, within the caller's units for ``export``, one row per household and policy, with what an
official hands over (head, community, contact, the condition met, how to apply). The head's name
is masked for a minor, the phone always (``write_rows``); every export is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db.models import Max

from lianbang.accounts.models import Permission, User
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.labels import condition_text
from lianbang.org.selectors import CommunityNames
from lianbang.policies.missed import MissedQuery, missed_listed
from lianbang.policies.models import BenefitReceipt, Policy
from lianbang.registry import vocab
from lianbang.registry.models import Household, Member
from lianbang.transfer.exports import CHUNK, Progress, write_rows
from lianbang.transfer.xlsx import Column

MISSED_EXPORT = "policies_missed"
MISSED_TITLE = "应享未享名单"
MISSED_COLUMNS = (
    Column("household_no", "户编号", 16),
    Column("community", "社区", 14),
    Column("unit", "所属单位", 16),
    Column("grid", "网格", 10),
    Column("address", "安置地址", 20),
    Column("name", "户主姓名", 10),
    Column("phone", "联系电话", 14),
    Column("policy", "应享政策", 18),
    Column("department", "主管部门", 10),
    Column("measure_type", "措施类型", 10),
    Column("why", "享受条件（已符合）", 40),
    Column("ended_on", "曾享受至", 12),
    Column("how_to_apply", "办理方式", 30),
)


def missed_export(
    path: Path, *, actor: User | None, list_params: dict[str, Any], progress: Progress | None = None
) -> int:
    """Write the caller's missed list as ``list_params`` (``MissedQuery``) filters it; the
    rows are in the list's order (by household, then the catalogue's order)."""
    if actor is None:
        raise ApplicationError("forbidden", "导出须有操作人", "an export needs a user", status=403)
    query = MissedQuery.parse(list_params)
    listed = missed_listed(actor, query, permission=Permission.EXPORT)
    rows = _rows(listed.pairs)
    count = write_rows(
        path,
        MISSED_TITLE,
        MISSED_COLUMNS,
        rows,
        today=listed.as_of,
        progress=progress,
        total=len(listed.pairs),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=MISSED_EXPORT,
        changes={"rows": count, "masked": True, "filter": {**query.as_params(), "unit": str(listed.unit.pk)}},
    )
    return count


def _rows(pairs: Sequence[tuple[int, Policy]]) -> Iterator[dict[str, Any]]:
    """The rows a chunk of households at a time: their registry facts, heads and ended receipts
    in three queries per chunk."""
    communities = CommunityNames()
    conditions: dict[int, str] = {}
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        ids = sorted({household_id for household_id, _ in chunk})
        households = Household.objects.select_related("unit", "grid").in_bulk(ids)
        heads = _heads(ids)
        ended = _last_ended(ids)
        for household_id, policy in chunk:
            if policy.pk not in conditions:
                conditions[policy.pk] = condition_text(policy.eligibility)
            household = households[household_id]
            yield {
                **_household_cells(household, communities),
                **heads.get(household_id, {"name": "", "birth_date": None}),
                "policy": policy.name,
                "department": policy.department,
                "measure_type": policy.get_measure_type_display(),
                "why": conditions[policy.pk],
                "ended_on": ended.get((household_id, policy.pk)),
                "how_to_apply": policy.how_to_apply,
            }


def _household_cells(household: Household, communities: CommunityNames) -> dict[str, Any]:
    return {
        "household_no": household.household_no,
        "community": communities.of(household.unit.path),
        "unit": household.unit.name,
        "grid": household.grid.code if household.grid else "",
        "address": household.address,
        "phone": household.phone,
    }


def _heads(household_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each household's head: name, and birth date (``write_rows`` masks a minor's name)."""
    heads = Member.objects.filter(
        household_id__in=household_ids, relation=vocab.Relation.HEAD, status=vocab.MemberStatus.ACTIVE
    ).order_by("pk")
    found: dict[int, dict[str, Any]] = {}
    for household_id, name, birth_date in heads.values_list("household_id", "name", "birth_date"):
        found.setdefault(household_id, {"name": name, "birth_date": birth_date})
    return found


def _last_ended(household_ids: list[int]) -> dict[tuple[int, int], Any]:
    """When the household last stopped receiving each policy (a missed pair has no open receipt)."""
    rows = (
        BenefitReceipt.objects.filter(household_id__in=household_ids, ended_on__isnull=False)
        .values("household_id", "policy_id")
        .annotate(last=Max("ended_on"))
        .order_by()
    )
    return {(row["household_id"], row["policy_id"]): row["last"] for row in rows}
