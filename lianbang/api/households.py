"""A household's own resources: its document, edits, members, events, visits, incomes, light."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Field, Query, Router, Schema
from pydantic import StrictBool, StrictInt

from lianbang.accounts.masking import mask_event_document, mask_household_document, mask_value
from lianbang.accounts.models import Permission, User
from lianbang.accounts.scope import has_permission, household_for, households_for
from lianbang.api.pagination import keyed_page, page
from lianbang.api.schemas import StrictIn
from lianbang.common.errors import ApplicationError
from lianbang.dashboards.household_list import CASE_STATES, SORTS, HouseholdQuery, households_listed
from lianbang.monitoring.labels import household_label_clear, household_label_set
from lianbang.monitoring.models import HouseholdLight, Label, LightChange
from lianbang.registry.export import event_to_document, household_to_document, income_to_document
from lianbang.registry.models import Event, Household, Member, Visit
from lianbang.registry.services import (
    event_record,
    household_save_document,
    household_update,
    member_update,
    visit_record,
)
from lianbang.transfer.tasks import household_list_export_start

router = Router(tags=["households"])


CASE_STATE_HELP = (
    f"the state of the household's risk case (帮扶状态), or open: one of {', '.join(CASE_STATES)}"
)


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
    per_capita: Decimal | None
    last_visited_at: datetime | None
    updated_at: datetime


class HouseholdPageOut(Schema):
    items: list[HouseholdRowOut]
    next_cursor: str | None


class HouseholdListQuery(Schema):
    """The household list's filters and sort as a query string carries them (every value is
    checked by ``dashboards.household_list.HouseholdQuery.parse``)."""

    unit_id: str | None = None
    building_id: str | None = None
    grid_id: str | None = None
    light: str | None = Field(None, description="red, yellow, green or none (not judged)")
    label: str | None = None
    rule: str | None = None
    risk_type: str | None = None
    updated_since: str | None = Field(None, description="a date or an ISO time")
    light_rose_in: str | None = Field(None, description="YYYY-MM: the light rose to yellow or red that month")
    has_income: str | None = Field(None, description="true or false: has an income record")
    case_state: str | None = Field(None, description=CASE_STATE_HELP)
    sort: str | None = Field(None, description=f"one of {', '.join(SORTS)}")


class HouseholdExportIn(StrictIn):
    """The household list's filters and sort as a JSON body: a field the list does not know is
    refused (a misspelt filter would otherwise export the whole scope); ids may be numbers or
    numeric strings, ``has_income`` a boolean or ``"true"``/``"false"``; every value is checked by
    ``HouseholdQuery.parse``."""

    unit_id: StrictInt | str | None = None
    building_id: StrictInt | str | None = None
    grid_id: StrictInt | str | None = None
    light: str | None = Field(None, description="red, yellow, green or none (not judged)")
    label: str | None = None
    rule: str | None = None
    risk_type: str | None = None
    updated_since: str | None = Field(None, description="a date or an ISO time")
    light_rose_in: str | None = Field(None, description="YYYY-MM: the light rose to yellow or red that month")
    has_income: StrictBool | str | None = Field(None, description="true or false: has an income record")
    case_state: str | None = Field(None, description=CASE_STATE_HELP)
    sort: str | None = Field(None, description=f"one of {', '.join(SORTS)}")


@router.get("/households", response=HouseholdPageOut)
def household_list(
    request: HttpRequest,
    filters: Query[HouseholdListQuery],
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The caller's households, filtered (unit, building or grid, light, label, rule or risk
    type, changed since, light rose in a month, has income) and sorted (light, per-capita net
    income, last visit, updated at, household number; ``-`` for descending; ties by id), a page
    at a time."""
    query = HouseholdQuery.parse(filters.dict())
    rows = households_listed(request.user, query, figures=True).select_related("grid", "light")
    return keyed_page(
        rows,
        sort=query.sort,
        descending=query.sort.startswith("-"),
        cursor=cursor,
        limit=limit,
        render=_row,
    )


class ExportStartedOut(Schema):
    job_id: int
    status: str
    url: str


@router.post("/households/export", response={201: ExportStartedOut})
def household_export(request: HttpRequest, filters: HouseholdExportIn) -> tuple[int, dict[str, Any]]:
    """Export the list as it is filtered and sorted to Excel through a transfer job (masked,
    audited); ``url`` is the job's page, where the file is downloaded when it is done."""
    require(request, Permission.EXPORT)
    query = HouseholdQuery.parse(filters.dict())
    households_listed(request.user, query, permission=Permission.EXPORT).exists()  # 404 / 400 now
    job = household_list_export_start(actor=actor_of(request), query=query)
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


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
        "per_capita": _money(getattr(household, "per_capita", None)),
        "last_visited_at": getattr(household, "last_visited_at", None),
        "updated_at": household.updated_at,
    }


def _money(value: float | None) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


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
    held = household_label_set(household=household, label=_label(code), actor=actor_of(request))
    return 201, {
        "code": code,
        "set_by": str(held.set_by) if held.set_by else "",
        "set_at": held.set_at.isoformat(),
    }


@router.delete("/households/{household_id}/labels/{code}", response={204: None})
def label_clear(request: HttpRequest, household_id: int, code: str) -> tuple[int, None]:
    household = household_in_scope(request, household_id, Permission.HOUSEHOLD_EDIT)
    household_label_clear(household=household, label=_label(code), actor=actor_of(request))
    return 204, None


def _label(code: str) -> Label:
    label = Label.objects.filter(code=code).first()
    if label is None:
        raise ApplicationError("not_found", f"没有标签「{code}」", f"no label {code!r}", status=404)
    return label
