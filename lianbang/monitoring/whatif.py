"""What-if: judge interchange documents without touching stored data.

The documents are saved through the registry services (so they are validated exactly as a
real save would be) inside a transaction that is always rolled back. Each is saved under a
scratch household number in a scratch building, and stored people with the same ID numbers
are set aside for the moment, so a document is judged on its own content.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from lianbang.common.errors import ApplicationError
from lianbang.monitoring.engine import judge, make_plan
from lianbang.monitoring.models import Label
from lianbang.monitoring.selectors import active_rule_set, computed_label_specs, rule_specs
from lianbang.org.models import Building, Unit
from lianbang.org.services import unit_create
from lianbang.registry.models import Member
from lianbang.registry.services import household_save_document

SCRATCH = "__whatif__"


def documents_evaluate(*, documents: list[Any], as_of: date) -> list[dict[str, Any]]:
    rule_set = active_rule_set()
    if rule_set is None:
        raise ApplicationError("no_rule_set", "没有生效的规则集", "no rule set is active")
    with transaction.atomic():
        building = _scratch_building()
        saved = [_save(document, index, building) for index, document in enumerate(documents)]
        ids = [household_id for household_id in saved if isinstance(household_id, int)]
        plan = make_plan(
            as_of=as_of,
            rules=rule_specs(rule_set),
            labels=computed_label_specs(),
            household_ids=ids,
            recent_days=rule_set.recent_days,
        )
        judgements = {j.household_id: j for j in judge(plan)} if ids else {}
        codes = dict(Label.objects.values_list("pk", "code"))
        transaction.set_rollback(True)
    return [
        _result(document, outcome, judgements, codes)
        for document, outcome in zip(documents, saved, strict=True)
    ]


def _scratch_building() -> Building:
    levels = [
        Unit.Level.DISTRICT,
        Unit.Level.STREET,
        Unit.Level.COMMUNITY,
        Unit.Level.AREA,
        Unit.Level.BRANCH,
    ]
    parent = None
    for level in levels:
        parent = unit_create(
            level=level, name=SCRATCH, parent=parent, region_code=settings.LIANBANG_REGION_CODE
        )
    assert parent is not None
    return Building.objects.create(
        branch=parent,
        number=SCRATCH,
        name=SCRATCH,
        floor_count=1,
        rooms_per_floor=1,
        region_code=settings.LIANBANG_REGION_CODE,
    )


def _save(document: Any, index: int, building: Building) -> int | ApplicationError:
    if not isinstance(document, dict):
        return ApplicationError("invalid", "应为户数据对象", "must be a household document")
    scratch = {
        **document,
        "household_no": f"{SCRATCH}{index}",
        "grid": None,
        "address": {"building": building.number, "unit": "1", "floor": 1, "room": str(index)},
    }
    ids = [m.get("id_number") for m in document.get("members") or [] if isinstance(m, dict)]
    try:
        with transaction.atomic():
            Member.objects.filter(
                id_number__in=[i for i in ids if isinstance(i, str)], status="active"
            ).update(status="moved_out")
            return household_save_document(data=scratch).household.pk
    except ApplicationError as error:
        return error


def _result(
    document: Any, outcome: int | ApplicationError, judgements: dict[int, Any], codes: dict[int, str]
) -> dict[str, Any]:
    number = document.get("household_no") if isinstance(document, dict) else None
    if isinstance(outcome, ApplicationError):
        return {"household_no": number, "error": outcome.as_dict()}
    judgement = judgements[outcome]
    return {
        "household_no": number,
        "light": judgement.color,
        "rules": judgement.rules,
        "labels": sorted(codes[i] for i in judgement.labels),
        "income_missing": judgement.income_missing,
    }
