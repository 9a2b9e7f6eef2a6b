"""Writes to the policy catalogue and to the record of benefits received; each one audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction

from lianbang.accounts.models import User
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.cases.vocab import MeasureType, RiskType
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.monitoring.conditions import validate_condition
from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.models import Color
from lianbang.monitoring.plan import RuleSpec
from lianbang.policies.models import BenefitReceipt, Policy
from lianbang.registry.models import Household
from lianbang.registry.parsing import lookup_choice

TEXT_FIELDS = {"name": 100, "department": 50, "benefit": 2000, "how_to_apply": 2000, "note": 300}


def problem(path: str, value: object, message: str, message_en: str) -> FieldProblem:
    return FieldProblem(path, value, message, message_en)


def _refuse(problems: list[FieldProblem]) -> None:
    if problems:
        raise ApplicationError("invalid", "政策数据有误", "the policy is invalid", problems)


@transaction.atomic
def policy_save(*, actor: User | None, values: dict[str, Any], policy: Policy | None = None) -> Policy:
    """Create (``policy`` None) or update a policy; every problem is reported with its path."""
    problems: list[FieldProblem] = []
    cleaned = _clean(values, problems, creating=policy is None)
    _refuse(problems)
    _dry_run(cleaned.get("eligibility"), cleaned.get("receipt_condition"))
    if policy is None:
        if Policy.objects.filter(code=cleaned["code"]).exists():
            raise ApplicationError("conflict", "政策代码已存在", "a policy with this code exists", status=409)
        policy = Policy(updated_by=actor, **cleaned)
        policy.save()
        audit_record(actor=actor, action=Action.CREATE, object_type="policies.policy", object_id=policy.pk)
        return policy
    changes = {
        k: [_plain(getattr(policy, k)), _plain(v)] for k, v in cleaned.items() if getattr(policy, k) != v
    }
    for key, value in cleaned.items():
        setattr(policy, key, value)
    policy.version += 1
    policy.updated_by = actor
    policy.save()
    audit_record(
        actor=actor, action=Action.UPDATE, object_type="policies.policy", object_id=policy.pk, changes=changes
    )
    return policy


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, bool, list, dict, type(None))) else str(value)


def _clean(values: dict[str, Any], problems: list[FieldProblem], *, creating: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if creating:
        code = values.get("code")
        if not isinstance(code, str) or not code or len(code) > 40 or not code.replace("_", "").isalnum():
            problems.append(problem("code", code, "代码应为字母、数字或下划线", "letters, digits or _"))
        cleaned["code"] = code
    for name, limit in TEXT_FIELDS.items():
        if name in values or creating:
            cleaned[name] = _text(values.get(name, ""), name, limit, problems, required=name != "note")
    if "measure_type" in values or creating:
        cleaned["measure_type"] = _choice(MeasureType, values.get("measure_type"), "measure_type", problems)
    if "risk_types" in values:
        cleaned["risk_types"] = _risk_types(values["risk_types"], problems)
    for name in ("eligibility", "receipt_condition"):
        if name in values or (creating and name == "eligibility"):
            cleaned[name] = _condition(values.get(name), name, problems, optional=name == "receipt_condition")
    for name in ("active",):
        if name in values:
            cleaned[name] = bool(values[name])
    if "sort_order" in values:
        order = values["sort_order"]
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10000:
            problems.append(problem("sort_order", order, "应为0到10000的整数", "a whole number 0–10000"))
        cleaned["sort_order"] = order
    return cleaned


def _text(value: Any, path: str, limit: int, problems: list[FieldProblem], *, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not isinstance(value, str) or (required and not text) or len(text) > limit:
        problems.append(
            problem(path, value, f"应为不超过{limit}字的文字", f"text of at most {limit} characters")
        )
    return text


def _choice(choices: Any, value: Any, path: str, problems: list[FieldProblem]) -> str:
    code = lookup_choice(choices, value) if isinstance(value, str) else None
    if not code:
        problems.append(problem(path, value, "不是可选值", "is not one of the allowed values"))
        return ""
    return code


def _risk_types(value: Any, problems: list[FieldProblem]) -> list[str]:
    if not isinstance(value, list):
        problems.append(problem("risk_types", value, "应为风险类型数组", "must be a list of risk types"))
        return []
    return [_choice(RiskType, item, f"risk_types[{i}]", problems) for i, item in enumerate(value)]


def _condition(value: Any, path: str, problems: list[FieldProblem], *, optional: bool) -> Any:
    if value is None and optional:
        return None
    try:
        validate_condition(value, path=path)
    except ApplicationError as error:
        problems.extend(error.problems)
    return value


def _dry_run(eligibility: Any, receipt: Any) -> None:
    """Run the conditions on no household: what the database refuses is never saved."""
    specs = [RuleSpec("E", Color.RED, c) for c in (eligibility, receipt) if c]
    if not specs:
        return
    plan = make_plan(as_of=date.today(), rules=specs, labels=[], household_ids=[])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(plan.select.text, plan.select.params)
    except DatabaseError as exc:
        raise ApplicationError(
            "condition_broken", "条件无法执行，未保存", "the condition cannot run; not saved"
        ) from exc


@transaction.atomic
def receipt_record(
    *,
    actor: User | None,
    household: Household,
    policy: Policy,
    started_on: date,
    member_id: int | None = None,
    ended_on: date | None = None,
    amount: Decimal | None = None,
    source: str = BenefitReceipt.Source.MANUAL,
    note: str = "",
) -> BenefitReceipt:
    """Record that the household (or one member) receives ``policy`` from ``started_on``."""
    problems: list[FieldProblem] = []
    member = None
    if member_id is not None:
        member = household.members.filter(pk=member_id).first()
        if member is None:
            problems.append(problem("member_id", member_id, "不是本户成员", "not a member of this household"))
    if ended_on is not None and ended_on < started_on:
        problems.append(problem("ended_on", str(ended_on), "结束日期早于开始日期", "ends before it starts"))
    if amount is not None and not Decimal("0") <= amount < Decimal("10000000"):
        problems.append(
            problem("amount", str(amount), "金额应为0到1000万元", "an amount from 0 to 10 million")
        )
    if source not in BenefitReceipt.Source.values:
        problems.append(problem("source", source, "不是可选值", "is not one of the allowed values"))
    _refuse(problems)
    receipt = BenefitReceipt.objects.create(
        household=household,
        policy=policy,
        member=member,
        started_on=started_on,
        ended_on=ended_on,
        amount=amount,
        source=source,
        note=note[:300],
        created_by=actor,
        region_code=household.region_code,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="policies.benefitreceipt",
        object_id=receipt.pk,
        changes={"household": household.household_no, "policy": policy.code, "started_on": str(started_on)},
    )
    return receipt


@transaction.atomic
def receipt_end(*, actor: User | None, household: Household, policy: Policy, ended_on: date) -> int:
    """End the household's open receipts of ``policy`` on ``ended_on``; how many were ended."""
    open_rows = BenefitReceipt.objects.filter(household=household, policy=policy, ended_on__isnull=True)
    if open_rows.filter(started_on__gt=ended_on).exists():
        raise ApplicationError(
            "invalid",
            "结束日期早于开始日期",
            "ends before it starts",
            [problem("ended_on", str(ended_on), "结束日期早于开始日期", "ends before it starts")],
        )
    ids = list(open_rows.values_list("pk", flat=True))
    open_rows.update(ended_on=ended_on)
    for pk in ids:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="policies.benefitreceipt",
            object_id=pk,
            changes={"ended_on": [None, str(ended_on)]},
        )
    return len(ids)
