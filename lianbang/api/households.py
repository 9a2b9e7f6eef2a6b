"""A household's own resources: its document, edits, members, events, visits, incomes, light."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Router, Schema

from lianbang.accounts.masking import mask_event_document, mask_household_document, mask_value
from lianbang.accounts.models import Permission, User
from lianbang.accounts.scope import has_permission, household_for, households_for, unit_for
from lianbang.api.pagination import page
from lianbang.api.schemas import StrictIn
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.monitoring.labels import household_label_clear, household_label_set
from lianbang.monitoring.models import HouseholdLight, Label, LightChange, Rule
from lianbang.org.models import path_prefix_q
from lianbang.registry.export import event_to_document, household_to_document, income_to_document
from lianbang.registry.models import Event, Household, Member, Visit
from lianbang.registry.services import (
    event_record,
    household_save_document,
    household_update,
    member_update,
    visit_record,
)

router = Router(tags=["households"])


class SavedOut(Schema):
    id: int
    household_no: str
    outcome: str
    version: int
    warnings: dict[str, str]


class EditIn(StrictIn):
    base_version: int | None = None
    changes: dict[str, Any]


class VersionOut(Schema):
    id: int
    version: int


class VisitIn(StrictIn):
    visited_at: datetime
    purpose: str = ""
    all_well: bool = True
    notes: str = ""
    needs: str = ""


class VisitOut(Schema):
    id: int
    visited_at: datetime
    visitor: str
    purpose: str
    all_well: bool
    notes: str
    needs: str


class PageOut(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None


class LightOut(Schema):
    color: str
    rules: list[str]
    income_missing: bool
    floor_color: str
    rule_set_version: int
    as_of: date
    since: datetime


class LabelOut(Schema):
    code: str
    name: str
    kind: str
    set_by: str | None
    set_at: datetime


class ReasonIn(StrictIn):
    reason: str = ""


def actor_of(request: HttpRequest) -> User:
    """The authenticated caller (every operation here requires authentication)."""
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError("unauthenticated", "请先登录", "log in first", status=401)
    return user


def require(request: HttpRequest, permission: str) -> None:
    """Refuse (403) a caller none of whose grants holds ``permission``."""
    if not has_permission(request.user, permission):
        raise PermissionDenied


def household_in_scope(
    request: HttpRequest, household_id: int, permission: str = Permission.HOUSEHOLD_VIEW
) -> Household:
    """The household if it lies in the caller's scope for ``permission``; else 404, exactly as a
    missing id answers (shared by every router that takes a ``household_id``)."""
    household = household_for(request.user, household_id, permission)
    if household is None:
        raise ApplicationError(
            "not_found", "找不到该户或无权访问", "no such household in your scope", status=404
        )
    return household


def _saved(result: Any) -> dict[str, Any]:
    household = result.household
    return {
        "id": household.pk,
        "household_no": household.household_no,
        "outcome": result.outcome,
        "version": household.version,
        "warnings": {w.path: w.message for w in result.warnings},
    }


class HouseholdRowOut(Schema):
    id: int
    household_no: str
    category: str
    unit_id: int
    grid: str | None
    address: str
    phone: str
    version: int
    light: str | None
    rules: list[str]
    updated_at: datetime


class HouseholdPageOut(Schema):
    items: list[HouseholdRowOut]
    next_cursor: str | None


SORTS = {"id": "pk", "-id": "-pk", "household_no": "household_no", "-household_no": "-household_no"}


@router.get("/households", response=HouseholdPageOut)
def household_list(
    request: HttpRequest,
    unit_id: int | None = None,
    light: str | None = None,
    label: str | None = None,
    rule: str | None = None,
    risk_type: str | None = None,
    updated_since: datetime | None = None,
    sort: str = "household_no",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The caller's households, filtered (unit subtree, light, label, rule or risk type, changed
    since) and sorted (``household_no``, ``-household_no``, ``id``, ``-id``), a page at a time."""
    rows = households_for(request.user).filter(status="active").select_related("grid", "building", "light")
    rows = _filtered(request, rows, unit_id, light, label, _rule_codes(rule, risk_type), updated_since)
    if sort not in SORTS:
        raise ApplicationError(
            "invalid",
            "排序方式无效",
            "unknown sort",
            [FieldProblem("sort", sort, f"可选：{'、'.join(SORTS)}", f"one of {', '.join(SORTS)}")],
        )
    return page(rows, cursor=cursor, limit=limit, render=_row, order=SORTS[sort])


def _filtered(
    request: HttpRequest,
    rows: QuerySet[Household],
    unit_id: int | None,
    light: str | None,
    label: str | None,
    rules: list[str] | None,
    since: datetime | None,
) -> QuerySet[Household]:
    if unit_id is not None:
        unit = unit_for(request.user, unit_id)
        if unit is None:
            raise ApplicationError(
                "not_found", "找不到该单位或无权访问", "no such unit in your scope", status=404
            )
        rows = rows.filter(path_prefix_q(unit.path, "unit__path"))
    if light is not None:
        rows = rows.filter(light__color=light)
    if label is not None:
        rows = rows.filter(labels__label__code=label)
    if rules is not None:
        matches = Q(pk__in=[])
        for code in rules:
            matches |= Q(light__rules__icontains=f'"{code}"')
        rows = rows.filter(matches)
    if since is not None:
        rows = rows.filter(Q(updated_at__gte=since) | Q(light__since__gte=since))
    return rows.distinct() if label is not None or since is not None else rows


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


def _row(household: Household) -> dict[str, Any]:
    light = getattr(household, "light", None)
    return {
        "id": household.pk,
        "household_no": household.household_no,
        "category": household.get_category_display(),
        "unit_id": household.unit_id,
        "grid": household.grid.code if household.grid else None,
        "address": household.address,
        "phone": mask_value("phone", household.phone),
        "version": household.version,
        "light": light.color if light else None,
        "rules": light.rules if light else [],
        "updated_at": household.updated_at,
    }


@router.get("/households/{household_id}", response=dict[str, Any])
def household_detail(request: HttpRequest, household_id: int) -> dict[str, Any]:
    """The household as the interchange document with its id, version and light; masked."""
    household = household_in_scope(request, household_id)
    document = mask_household_document(household_to_document(household), today=timezone.localdate())
    return {"id": household.pk, "version": household.version, **document}


@router.post("/households", response={200: SavedOut, 201: SavedOut})
def household_create(
    request: HttpRequest, document: dict[str, Any] = Body(...)
) -> tuple[int, dict[str, Any]]:
    """Create (or update, by 户编号) a household from the interchange document (DOMAIN §10)."""
    require(request, Permission.HOUSEHOLD_EDIT)
    number = document.get("household_no") if isinstance(document, dict) else None
    existing = Household.objects.filter(household_no=number).first() if isinstance(number, str) else None
    if existing is not None and household_for(request.user, existing.pk, Permission.HOUSEHOLD_EDIT) is None:
        raise ApplicationError(
            "not_found",
            "户编号已被辖区外的户使用",
            "that household number is taken outside your scope",
            status=409,
        )
    with transaction.atomic():  # placed outside the caller's scope: nothing stays written
        result = household_save_document(data=document, actor=actor_of(request), source="api")
        _check_placed_in_scope(request, result.household)
    return (201 if result.outcome == "created" else 200), _saved(result)


def _check_placed_in_scope(request: HttpRequest, household: Household) -> None:
    if not households_for(request.user, Permission.HOUSEHOLD_EDIT).filter(pk=household.pk).exists():
        raise ApplicationError(
            "out_of_scope",
            "该户不在您的辖区内，未保存",
            "the household is outside your scope; nothing was saved",
            status=403,
        )


@router.get("/households/{household_id}/document", response=dict[str, Any])
def household_document(request: HttpRequest, household_id: int) -> dict[str, Any]:
    """The whole household as the interchange document, sensitive values masked."""
    document = household_to_document(household_in_scope(request, household_id))
    return mask_household_document(document, today=timezone.localdate())


@router.put("/households/{household_id}/document", response=SavedOut)
def household_replace(
    request: HttpRequest, household_id: int, document: dict[str, Any] = Body(...)
) -> dict[str, Any]:
    """Save the interchange document over this household (its 户编号 must match)."""
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    if not isinstance(document, dict) or document.get("household_no") != household.household_no:
        raise ApplicationError(
            "invalid", "文档的户编号与该户不一致", "household_no does not match this household"
        )
    return _saved(household_save_document(data=document, actor=actor_of(request), source="api"))


@router.patch("/households/{household_id}", response=VersionOut)
def household_edit(request: HttpRequest, household_id: int, edit: EditIn) -> dict[str, Any]:
    """Change some of the household's own fields; ``base_version`` guards against lost updates."""
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    saved = household_update(
        household=household,
        changes=edit.changes,
        actor=actor_of(request),
        expected_version=edit.base_version,
        source="api",
    )
    return {"id": saved.pk, "version": saved.version}


@router.patch("/households/{household_id}/members/{member_id}", response=VersionOut)
def member_edit(request: HttpRequest, household_id: int, member_id: int, edit: EditIn) -> dict[str, Any]:
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    member = Member.objects.filter(pk=member_id, household=household).first()
    if member is None:
        raise ApplicationError(
            "not_found", "该户没有这名成员", "no such member in this household", status=404
        )
    saved = member_update(
        member=member,
        changes=edit.changes,
        actor=actor_of(request),
        expected_version=edit.base_version,
        source="api",
    )
    return {"id": saved.pk, "version": saved.version}


@router.get("/households/{household_id}/events", response=PageOut)
def event_list(
    request: HttpRequest, household_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    rows = Event.objects.filter(household=household_in_scope(request, household_id)).select_related("member")
    return page(
        rows,
        cursor=cursor,
        limit=limit,
        render=lambda e: {"id": e.pk, **mask_event_document(event_to_document(e))},
    )


@router.post("/households/{household_id}/events", response={201: dict[str, Any]})
def event_create(
    request: HttpRequest, household_id: int, data: dict[str, Any] = Body(...)
) -> tuple[int, dict[str, Any]]:
    """Report an event (DOMAIN §3 types); the household is re-judged before this returns."""
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    event = event_record(household=household, data=data, actor=actor_of(request), source="api")
    return 201, {"id": event.pk, "type": event.type, "date": event.date.isoformat()}


@router.get("/households/{household_id}/visits", response=PageOut)
def visit_list(
    request: HttpRequest, household_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    rows = Visit.objects.filter(household=household_in_scope(request, household_id)).select_related("visitor")
    return page(rows, cursor=cursor, limit=limit, render=_visit)


def _visit(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "visited_at": visit.visited_at.isoformat(),
        "visitor": str(visit.visitor) if visit.visitor else "",
        "purpose": visit.purpose,
        "all_well": visit.all_well,
        "notes": visit.notes,
        "needs": visit.needs,
    }


@router.post("/households/{household_id}/visits", response={201: VisitOut})
def visit_create(request: HttpRequest, household_id: int, visit: VisitIn) -> tuple[int, dict[str, Any]]:
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    saved = visit_record(household=household, visitor=actor_of(request), **visit.dict())
    return 201, _visit(saved)


@router.get("/households/{household_id}/incomes", response=list[dict[str, Any]])
def income_list(request: HttpRequest, household_id: int) -> list[dict[str, Any]]:
    household = household_in_scope(request, household_id)
    return [income_to_document(i) for i in household.incomes.order_by("year")]


@router.get("/households/{household_id}/light", response=LightOut)
def light_detail(request: HttpRequest, household_id: int) -> HouseholdLight:
    light = HouseholdLight.objects.filter(household=household_in_scope(request, household_id)).first()
    if light is None:
        raise ApplicationError(
            "not_found", "该户尚未评估", "the household has not been judged yet", status=404
        )
    return light


@router.get("/households/{household_id}/light-history", response=PageOut)
def light_history(
    request: HttpRequest, household_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    rows = LightChange.objects.filter(household=household_in_scope(request, household_id))
    return page(
        rows,
        cursor=cursor,
        limit=limit,
        render=lambda c: {
            "id": c.pk,
            "from": c.from_color,
            "to": c.to_color,
            "rules": c.rules,
            "previous_rules": c.previous_rules,
            "rule_set_version": c.rule_set_version,
            "as_of": c.as_of.isoformat(),
            "cause": c.cause,
            "changed_at": c.changed_at.isoformat(),
        },
    )


@router.get("/households/{household_id}/labels", response=list[LabelOut])
def label_list(request: HttpRequest, household_id: int) -> list[dict[str, Any]]:
    held = (
        household_in_scope(request, household_id)
        .labels.select_related("label", "set_by")
        .order_by("label__position")
    )
    return [
        {
            "code": h.label.code,
            "name": h.label.name,
            "kind": h.label.kind,
            "set_by": str(h.set_by) if h.set_by else None,
            "set_at": h.set_at,
        }
        for h in held
    ]


@router.post("/households/{household_id}/labels/{code}", response={201: dict[str, str]})
def label_set(request: HttpRequest, household_id: int, code: str) -> tuple[int, dict[str, str]]:
    """Set a manual label (e.g. 留守儿童); computed labels follow the data and are refused."""
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    with transaction.atomic():
        held = household_label_set(household=household, label=_label(code), actor=actor_of(request))
        _audit_label(request, household, code, "label_set")
    return 201, {
        "code": code,
        "set_by": str(held.set_by) if held.set_by else "",
        "set_at": held.set_at.isoformat(),
    }


@router.delete("/households/{household_id}/labels/{code}", response={204: None})
def label_clear(request: HttpRequest, household_id: int, code: str) -> tuple[int, None]:
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    with transaction.atomic():
        if household_label_clear(household=household, label=_label(code), actor=actor_of(request)):
            _audit_label(request, household, code, "label_clear")
    return 204, None


def _audit_label(request: HttpRequest, household: Household, code: str, action: str) -> None:
    audit_record(
        actor=actor_of(request),
        action=action,
        object_type="registry.household",
        object_id=household.pk,
        changes={"label": [None, code] if action == "label_set" else [code, None]},
        request=request,
    )


def _label(code: str) -> Label:
    label = Label.objects.filter(code=code).first()
    if label is None:
        raise ApplicationError("not_found", f"没有标签「{code}」", f"no label {code!r}", status=404)
    return label
