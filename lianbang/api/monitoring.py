"""Rules, labels and the what-if judge for rule editors and integrations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.models import Permission
from lianbang.api.households import require
from lianbang.api.schemas import StrictIn
from lianbang.monitoring.models import Label, LabelCategory, RuleSet
from lianbang.monitoring.rulesets import rule_preview
from lianbang.monitoring.whatif import documents_evaluate

router = Router(tags=["monitoring"])


class RuleOut(Schema):
    code: str
    color: str
    risk_type: str
    name: str
    reason: str
    reason_en: str
    condition: dict[str, Any]


class RuleSetOut(Schema):
    version: int
    name: str
    status: str
    parameters: dict[str, Any]
    rules: list[RuleOut]


class PreviewIn(StrictIn):
    condition: dict[str, Any]
    as_of: date | None = None


class PreviewOut(Schema):
    count: int
    sample: list[str]


class WhatIfIn(StrictIn):
    documents: list[Any]
    as_of: date | None = None


@router.get("/rule-sets/active", response=RuleSetOut)
def rule_set_active(request: HttpRequest) -> dict[str, Any]:
    rule_set = get_object_or_404(RuleSet.objects.prefetch_related("rules"), status=RuleSet.Status.ACTIVE)
    return {
        "version": rule_set.version,
        "name": rule_set.name,
        "status": rule_set.status,
        "parameters": rule_set.parameters,
        "rules": list(rule_set.rules.all()),
    }


@router.post("/rules/preview", response=PreviewOut)
def preview(request: HttpRequest, body: PreviewIn) -> dict[str, Any]:
    """How many stored households a draft condition would hit, with a sample of 户编号."""
    require(request, Permission.CONFIG_MANAGE)
    count, sample = rule_preview(condition=body.condition, as_of=body.as_of or timezone.localdate())
    return {"count": count, "sample": sample}


@router.post("/evaluate", response=list[dict[str, Any]])
def what_if(request: HttpRequest, body: WhatIfIn) -> list[dict[str, Any]]:
    """Judge interchange documents without storing anything (the same engine, rolled back)."""
    require(request, Permission.HOUSEHOLD_VIEW)
    return documents_evaluate(documents=body.documents, as_of=body.as_of or timezone.localdate())


@router.get("/labels", response=list[dict[str, Any]])
def label_taxonomy(request: HttpRequest) -> list[dict[str, Any]]:
    """The 7 categories, 13 subcategories and their labels."""
    labels = list(Label.objects.filter(active=True).order_by("position"))
    categories = (
        LabelCategory.objects.filter(parent=None).prefetch_related("subcategories").order_by("position")
    )
    return [
        {
            "code": c.code,
            "name": c.name,
            "subcategories": [
                {
                    "code": s.code,
                    "name": s.name,
                    "labels": [
                        {
                            "code": lb.code,
                            "name": lb.name,
                            "kind": lb.kind,
                            "description": lb.description,
                            "condition": lb.condition,
                        }
                        for lb in labels
                        if lb.subcategory_id == s.pk
                    ],
                }
                for s in c.subcategories.order_by("position")
            ],
        }
        for c in categories
    ]
