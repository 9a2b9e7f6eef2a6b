"""Care for every age (三安), family ratings: the console's and the phone app's care screens.

Sensitive values (health notes, psychological notes, counselling, children's names, guardians'
phones, aid amounts) are masked in every answer; a caller holding ``sensitive.reveal`` reveals
one value of one record with a reason (audited). See docs/care.md.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import StrictBool, StrictInt

from lianbang.accounts.masking import MASK, is_minor, mask_name
from lianbang.accounts.models import Permission, User
from lianbang.accounts.scope import has_permission, units_for
from lianbang.accounts.sensitive import clean_reason
from lianbang.api.households import ExportStartedOut, actor_of, household_in_scope, require
from lianbang.api.pagination import page
from lianbang.api.schemas import StrictIn
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.care import selectors, services
from lianbang.care.exports import care_export_name
from lianbang.care.lists import CARE_LISTS, CareListQuery, care_listed, care_unit
from lianbang.care.models import (
    Activity,
    CareVisit,
    ChildAid,
    ChildCare,
    CounsellingAppointment,
    DoorstepJob,
    FamilyCall,
    Rating,
    SupportNote,
    VisitSchedule,
    Volunteer,
)
from lianbang.common.errors import ApplicationError, invalid
from lianbang.common.validators import mask_phone
from lianbang.org.models import Building, Unit
from lianbang.registry.models import Household, Member
from lianbang.transfer.tasks import list_export_start

router = Router(tags=["care"])


# --- Schemas ---------------------------------------------------------------------------------


class TaskOut(Schema):
    schedule_id: int
    household_id: int
    household_no: str
    address: str
    grid: str | None
    member_id: int
    member_name: str
    reason: str
    reason_label: str
    interval_days: int
    next_due: date
    days_overdue: int  # > 0 overdue, 0 due today, < 0 due in that many days
    last_visited_at: datetime | None


class TasksOut(Schema):
    as_of: date
    overdue: int
    items: list[TaskOut]


class ScheduleIn(StrictIn):
    member_id: int
    reason: str  # 独居 空巢 高龄 失能 (or the codes)
    interval_days: int | None = None  # default by reason (docs/care.md)
    next_due: date | None = None
    active: bool = True


class ScheduleOut(Schema):
    id: int
    household_id: int
    household_no: str
    member_id: int
    member_name: str
    reason: str
    reason_label: str
    interval_days: int
    next_due: date
    overdue: bool
    last_visited_at: datetime | None
    visitor: str | None


class CareVisitIn(StrictIn):
    member_id: int
    visited_at: datetime
    all_well: bool = True
    health_note: str = ""
    help_given: str = ""


class CareVisitOut(Schema):
    id: int
    member_id: int
    member_name: str
    visited_at: datetime
    visitor: str | None
    all_well: bool
    health_note: str  # masked
    help_given: str


class NoteIn(StrictIn):
    member_id: int
    held_on: date
    note: str


class NoteOut(Schema):
    id: int
    member_id: int
    member_name: str
    held_on: date
    note: str  # masked
    author: str | None


class CallIn(StrictIn):
    worker_id: int
    scheduled_at: datetime
    family_member_id: int | None = None
    kind: str = "video"
    note: str = ""


class CallDoneIn(StrictIn):
    done_at: datetime
    note: str = ""


class CallOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    family_member_id: int | None
    kind: str
    kind_label: str
    scheduled_at: datetime
    done_at: datetime | None
    note: str


class JobIn(StrictIn):
    member_id: int
    kind: str
    employer: str
    started_on: date
    ended_on: date | None = None
    monthly_income: Decimal | None = None


class JobOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: str
    kind_label: str
    employer: str
    started_on: date
    ended_on: date | None
    monthly_income: str | None


class ChildIn(StrictIn):
    child_id: int
    kind: str  # 留守儿童 / 事实无人抚养儿童
    guardian_name: str
    started_on: date
    guardian_relation: str = ""
    guardian_phone: str = ""
    volunteer_ids: list[int] = []


class AidIn(StrictIn):
    kind: str
    amount: Decimal
    granted_on: date
    funder: str = ""


class AidOut(Schema):
    id: int
    kind: str
    amount: str  # masked
    granted_on: date
    funder: str  # masked


class VolunteerRefOut(Schema):
    id: int
    name: str


class ChildOut(Schema):
    id: int
    household_id: int
    household_no: str
    child_id: int
    child_name: str  # masked
    kind: str
    kind_label: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str  # masked
    started_on: date
    volunteers: list[VolunteerRefOut]
    aid_count: int
    aid_total: str  # masked
    aid: list[AidOut]


class CounsellingIn(StrictIn):
    member_id: int
    scheduled_at: datetime
    counsellor: str
    topic: str
    status: str = "booked"
    note: str = ""


class CounsellingOut(Schema):
    id: int
    member_id: int
    member_name: str  # masked for minors
    scheduled_at: datetime
    counsellor: str
    topic: str  # masked
    status: str
    status_label: str
    note: str  # masked


class RatingIn(StrictIn):
    year: int
    title: str  # 五星家庭 文明家庭 最美家庭 十星级文明户
    criteria: dict[str, bool]


class BuildingRatingIn(StrictIn):
    building_id: int
    year: int
    title: str = "五好楼栋"
    criteria: dict[str, bool]


class DecisionIn(StrictIn):
    approve: bool
    note: str = ""


class RatingOut(Schema):
    id: int
    subject: str  # household / building
    household_id: int | None
    household_no: str | None
    building_id: int | None
    building_name: str | None
    unit_id: int
    year: int
    title: str
    title_label: str
    criteria: dict[str, bool]
    status: str
    status_label: str
    proposed_at: datetime
    decided_at: datetime | None
    decision_note: str


class CareFileOut(Schema):
    household_id: int
    household_no: str
    schedules: list[ScheduleOut]
    visits: list[CareVisitOut]
    notes: list[NoteOut]
    calls: list[CallOut]
    jobs: list[JobOut]
    children: list[ChildOut]
    counselling: list[CounsellingOut]
    ratings: list[RatingOut]


class CareRevealIn(StrictIn):
    field: str
    reason: str


class CareRevealOut(Schema):
    label: str
    value: str


class VolunteerIn(StrictIn):
    name: str
    joined_on: date
    phone: str = ""
    skills: list[str] = []
    hours_before: Decimal = Decimal(0)


class VolunteerOut(Schema):
    id: int
    unit_id: int
    name: str
    phone: str  # masked
    skills: list[str]
    hours: str
    children: int
    joined_on: date


class ParticipantIn(StrictIn):
    member_id: int | None = None
    volunteer_id: int | None = None
    attended: bool = True
    hours: Decimal = Decimal(0)


class ActivityIn(StrictIn):
    kind: str
    title: str
    held_on: date
    place: str = ""
    description: str = ""
    participants: list[ParticipantIn] = []


class ActivityOut(Schema):
    id: int
    unit_id: int
    kind: str
    kind_label: str
    title: str
    held_on: date
    place: str
    description: str
    participants: int
    attended: int


class OverviewOut(Schema):
    unit_id: int
    as_of: date
    elderly_on_schedule: int
    visits_overdue: int
    children_paired: dict[str, int]
    aid_children: int
    aid_total: str
    volunteers: int
    volunteer_hours: str
    activities_this_year: int
    calls_arranged: int
    calls_done: int
    ratings_approved: dict[str, int]


class PageOf(Schema):
    next_cursor: str | None


class SchedulePageOut(PageOf):
    items: list[ScheduleOut]


class ChildPageOut(PageOf):
    items: list[ChildOut]


class VolunteerPageOut(PageOf):
    items: list[VolunteerOut]


class ActivityPageOut(PageOf):
    items: list[ActivityOut]


class RatingPageOut(PageOf):
    items: list[RatingOut]


# --- Rendering (masked) ----------------------------------------------------------------------


def _name(member: Member | None, *, child: bool = False) -> str:
    if member is None:
        return ""
    minor = child or is_minor(member.birth_date, timezone.localdate())
    return mask_name(member.name) if minor else member.name


def _masked(value: object) -> str:
    return MASK if value not in (None, "") else ""


def _user(user: User | None) -> str | None:
    return None if user is None else str(user)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _schedule(s: VisitSchedule) -> dict[str, Any]:
    return {
        "id": s.pk,
        "household_id": s.household_id,
        "household_no": s.household.household_no,
        "member_id": s.member_id,
        "member_name": _name(s.member),
        "reason": s.reason,
        "reason_label": s.get_reason_display(),
        "interval_days": s.interval_days,
        "next_due": s.next_due,
        "overdue": s.next_due < timezone.localdate(),
        "last_visited_at": s.last_visited_at,
        "visitor": _user(s.visitor),
    }


def _task(s: VisitSchedule, today: date) -> dict[str, Any]:
    household = s.household
    return {
        "schedule_id": s.pk,
        "household_id": household.pk,
        "household_no": household.household_no,
        "address": household.address,
        "grid": household.grid.code if household.grid else None,
        "member_id": s.member_id,
        "member_name": _name(s.member),
        "reason": s.reason,
        "reason_label": s.get_reason_display(),
        "interval_days": s.interval_days,
        "next_due": s.next_due,
        "days_overdue": (today - s.next_due).days,
        "last_visited_at": s.last_visited_at,
    }


def _visit(v: CareVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "member_id": v.member_id,
        "member_name": _name(v.member),
        "visited_at": v.visited_at,
        "visitor": _user(v.visitor),
        "all_well": v.all_well,
        "health_note": _masked(v.health_note),
        "help_given": v.help_given,
    }


def _note(n: SupportNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "member_id": n.member_id,
        "member_name": _name(n.member),
        "held_on": n.held_on,
        "note": _masked(n.note),
        "author": _user(n.author),
    }


def _call(c: FamilyCall) -> dict[str, Any]:
    return {
        "id": c.pk,
        "worker_id": c.worker_id,
        "worker_name": _name(c.worker),
        "family_member_id": c.family_member_id,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "scheduled_at": c.scheduled_at,
        "done_at": c.done_at,
        "note": c.note,
    }


def _job(j: DoorstepJob) -> dict[str, Any]:
    return {
        "id": j.pk,
        "member_id": j.member_id,
        "member_name": _name(j.member),
        "kind": j.kind,
        "kind_label": j.get_kind_display(),
        "employer": j.employer,
        "started_on": j.started_on,
        "ended_on": j.ended_on,
        "monthly_income": _money(j.monthly_income),
    }


def _aid(a: ChildAid) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "amount": MASK,
        "granted_on": a.granted_on,
        "funder": _masked(a.funder),
    }


def _child(c: ChildCare, with_aid: bool = False) -> dict[str, Any]:
    aid = list(c.aid.all()) if with_aid else []
    count = getattr(c, "aid_count", None)
    return {
        "id": c.pk,
        "household_id": c.household_id,
        "household_no": c.household.household_no,
        "child_id": c.child_id,
        "child_name": _name(c.child, child=True),
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "guardian_name": c.guardian_name,
        "guardian_relation": c.guardian_relation,
        "guardian_phone": mask_phone(c.guardian_phone) if c.guardian_phone else "",
        "started_on": c.started_on,
        "volunteers": [{"id": v.pk, "name": v.name} for v in c.volunteers.all()],
        "aid_count": len(aid) if count is None else count,
        "aid_total": MASK if (count if count is not None else len(aid)) else "",
        "aid": [_aid(a) for a in aid],
    }


def _counselling(a: CounsellingAppointment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "member_id": a.member_id,
        "member_name": _name(a.member),
        "scheduled_at": a.scheduled_at,
        "counsellor": a.counsellor,
        "topic": _masked(a.topic),
        "status": a.status,
        "status_label": a.get_status_display(),
        "note": _masked(a.note),
    }


def _rating(r: Rating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "subject": "household" if r.household_id else "building",
        "household_id": r.household_id,
        "household_no": r.household.household_no if r.household else None,
        "building_id": r.building_id,
        "building_name": r.building.name if r.building else None,
        "unit_id": r.unit_id,
        "year": r.year,
        "title": r.title,
        "title_label": r.get_title_display(),
        "criteria": r.ordered_criteria(),
        "status": r.status,
        "status_label": r.get_status_display(),
        "proposed_at": r.proposed_at,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
    }


def _volunteer(v: Volunteer) -> dict[str, Any]:
    served = getattr(v, "served", None) or Decimal(0)
    return {
        "id": v.pk,
        "unit_id": v.unit_id,
        "name": v.name,
        "phone": mask_phone(v.phone) if v.phone else "",
        "skills": v.skills,
        "hours": f"{v.hours_before + served:.1f}",
        "children": getattr(v, "children_count", None) or 0,
        "joined_on": v.joined_on,
    }


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit_id": a.unit_id,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "title": a.title,
        "held_on": a.held_on,
        "place": a.place,
        "description": a.description,
        "participants": getattr(a, "participant_count", 0),
        "attended": getattr(a, "attended_count", 0),
    }


# --- Lookups in scope ------------------------------------------------------------------------


def _household(request: HttpRequest, household_id: int, permission: str) -> Household:
    require(request, permission)
    return household_in_scope(request, household_id, permission)


def _unit(request: HttpRequest, unit_id: int, permission: str) -> Unit:
    require(request, permission)
    return care_unit(request.user, unit_id, permission)


def _one(rows: QuerySet[Any], pk: int, what: str) -> Any:
    found = rows.filter(pk=pk).first()
    if found is None:
        raise ApplicationError("not_found", f"找不到该{what}", f"no such {what}", status=404)
    return found


# --- The grid worker's tasks -----------------------------------------------------------------


@router.get("/care/tasks", response=TasksOut)
def care_tasks(request: HttpRequest, within_days: int = 0) -> dict[str, Any]:
    """The caller's care visits due today or earlier (``within_days``: also the next N days)."""
    if not 0 <= within_days <= 60:
        raise invalid("within_days", within_days, "应为0到60", "must be from 0 to 60")
    today = timezone.localdate()
    rows = list(selectors.tasks_for(request.user, today, within_days)[:500])
    return {
        "as_of": today,
        "overdue": sum(1 for s in rows if s.next_due < today),
        "items": [_task(s, today) for s in rows],
    }


# --- One household's care file ---------------------------------------------------------------


@router.get("/households/{household_id}/care", response=CareFileOut)
def household_care(request: HttpRequest, household_id: int) -> dict[str, Any]:
    """Everything the care app holds about the household (masked)."""
    household = _household(request, household_id, Permission.HOUSEHOLD_VIEW)
    found = selectors.household_file(household)
    return {
        "household_id": household.pk,
        "household_no": household.household_no,
        "schedules": [_schedule(s) for s in found["schedules"]],
        "visits": [_visit(v) for v in found["visits"]],
        "notes": [_note(n) for n in found["notes"]],
        "calls": [_call(c) for c in found["calls"]],
        "jobs": [_job(j) for j in found["jobs"]],
        "children": [_child(c, with_aid=True) for c in found["children"]],
        "counselling": [_counselling(a) for a in found["counselling"]],
        "ratings": [_rating(r) for r in found["ratings"]],
    }


@router.post("/households/{household_id}/care/schedules", response=ScheduleOut)
def schedule_save(request: HttpRequest, household_id: int, payload: ScheduleIn) -> dict[str, Any]:
    """Put an elderly member on a visit schedule, or change theirs."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    schedule = services.schedule_save(actor=actor_of(request), household=household, **payload.dict())
    return _schedule(schedule)


@router.post("/households/{household_id}/care/visits", response=CareVisitOut)
def care_visit(request: HttpRequest, household_id: int, payload: CareVisitIn) -> dict[str, Any]:
    """Record a visit to an elderly member; their schedule's next date moves on."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _visit(services.care_visit_record(actor=actor_of(request), household=household, **payload.dict()))


@router.post("/households/{household_id}/care/notes", response=NoteOut)
def support_note(request: HttpRequest, household_id: int, payload: NoteIn) -> dict[str, Any]:
    """Record a psychological support talk (心理疏导)."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _note(services.support_note_record(actor=actor_of(request), household=household, **payload.dict()))


@router.post("/households/{household_id}/care/calls", response=CallOut)
def family_call(request: HttpRequest, household_id: int, payload: CallIn) -> dict[str, Any]:
    """Arrange a call or video call between a member working away and the family (亲情连线)."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _call(services.family_call_arrange(actor=actor_of(request), household=household, **payload.dict()))


@router.post("/households/{household_id}/care/calls/{call_id}/done", response=CallOut)
def family_call_done(
    request: HttpRequest, household_id: int, call_id: int, payload: CallDoneIn
) -> dict[str, Any]:
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    call = _one(household.family_calls.all(), call_id, "连线")
    return _call(services.family_call_done(actor=actor_of(request), call=call, **payload.dict()))


@router.post("/households/{household_id}/care/jobs", response=JobOut)
def doorstep_job(request: HttpRequest, household_id: int, payload: JobIn) -> dict[str, Any]:
    """Record a job at the door (帮扶车间, 电商 …)."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _job(services.doorstep_job_record(actor=actor_of(request), household=household, **payload.dict()))


@router.post("/households/{household_id}/care/children", response=ChildOut)
def child_pair(request: HttpRequest, household_id: int, payload: ChildIn) -> dict[str, Any]:
    """Pair a 留守儿童 / 事实无人抚养儿童 with a responsible adult and volunteers."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    care = services.child_pair(actor=actor_of(request), household=household, **payload.dict())
    return _child(care, with_aid=True)


@router.post("/households/{household_id}/care/children/{child_id}/aid", response=AidOut)
def child_aid(request: HttpRequest, household_id: int, child_id: int, payload: AidIn) -> dict[str, Any]:
    """Record aid granted to a paired child (the answer is masked like every other)."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    care = _one(household.child_cares.all(), child_id, "儿童结对")
    return _aid(services.child_aid_grant(actor=actor_of(request), care=care, **payload.dict()))


@router.post("/households/{household_id}/care/counselling", response=CounsellingOut)
def counselling(request: HttpRequest, household_id: int, payload: CounsellingIn) -> dict[str, Any]:
    """Book (or record) a youth counselling appointment."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _counselling(
        services.counselling_book(actor=actor_of(request), household=household, **payload.dict())
    )


@router.post("/households/{household_id}/ratings", response=RatingOut)
def household_rating(request: HttpRequest, household_id: int, payload: RatingIn) -> dict[str, Any]:
    """Propose the household for a yearly family rating."""
    household = _household(request, household_id, Permission.HOUSEHOLD_EDIT)
    return _rating(services.rating_propose(actor=actor_of(request), household=household, **payload.dict()))


# What a reveal may unmask: record → (model, path to the household, {field: label}).
REVEALABLE: dict[str, tuple[type[Model], str, dict[str, str]]] = {
    "visits": (CareVisit, "household", {"health_note": "健康情况"}),
    "notes": (SupportNote, "household", {"note": "心理疏导内容"}),
    "counselling": (CounsellingAppointment, "household", {"topic": "辅导主题", "note": "辅导记录"}),
    "children": (ChildCare, "household", {"child_name": "儿童姓名", "guardian_phone": "责任人电话"}),
    "aid": (ChildAid, "care__household", {"amount": "资助金额", "funder": "资助方"}),
}


@router.post("/households/{household_id}/care/{record}/{record_id}/reveal", response=CareRevealOut)
def care_reveal(
    request: HttpRequest, household_id: int, record: str, record_id: int, payload: CareRevealIn
) -> dict[str, str]:
    """One unmasked value of one care record, for a reason; the reveal is in the audit log."""
    household = _household(request, household_id, Permission.SENSITIVE_REVEAL)
    if record not in REVEALABLE:
        raise ApplicationError("not_found", "没有这类记录", "no such kind of record", status=404)
    model, to_household, fields = REVEALABLE[record]
    row = _one(model._default_manager.filter(**{to_household: household}), record_id, "记录")
    if payload.field not in fields:
        raise invalid("field", payload.field, f"可查看：{'、'.join(fields)}", f"one of {', '.join(fields)}")
    why = clean_reason(payload.reason)
    value = row.child.name if payload.field == "child_name" else getattr(row, payload.field)
    audit_record(
        actor=actor_of(request),
        action=Action.REVEAL,
        object_type=f"care.{model.__name__.lower()}",
        object_id=row.pk,
        changes={"field": payload.field, "household": household.household_no},
        reason=why,
        request=request,
    )
    return {"label": fields[payload.field], "value": "" if value is None else str(value)}


# --- Per unit ---------------------------------------------------------------------------------


@router.get("/care/units/{unit_id}/overview", response=OverviewOut)
def care_overview(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """The unit's care figures: schedules and overdue visits, children, aid, volunteers …"""
    unit = _unit(request, unit_id, Permission.UNIT_VIEW)
    today = timezone.localdate()
    figures = selectors.overview(unit, today)
    return {
        "unit_id": unit.pk,
        "as_of": today,
        **figures.__dict__,
        "aid_total": f"{figures.aid_total:.2f}",
        "volunteer_hours": f"{figures.volunteer_hours:.1f}",
    }


@router.get("/care/units/{unit_id}/schedules", response=SchedulePageOut)
def unit_schedules(
    request: HttpRequest, unit_id: int, overdue: str = "", cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """The unit's elderly visit schedules; ``overdue=true`` (or 是, 1, yes): only those past their
    date, read as the export reads it (``care.lists``)."""
    return _list_page(request, unit_id, "schedules", {"overdue": overdue}, cursor, limit, _schedule)


@router.get("/care/units/{unit_id}/children", response=ChildPageOut)
def unit_children(
    request: HttpRequest, unit_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """The unit's paired children (names, phones and aid masked)."""
    return _list_page(request, unit_id, "children", {}, cursor, limit, _child)


@router.get("/care/units/{unit_id}/volunteers", response=VolunteerPageOut)
def unit_volunteers(
    request: HttpRequest, unit_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    return _list_page(request, unit_id, "volunteers", {}, cursor, limit, _volunteer)


@router.post("/care/units/{unit_id}/volunteers", response=VolunteerOut)
def volunteer_register(request: HttpRequest, unit_id: int, payload: VolunteerIn) -> dict[str, Any]:
    unit = _unit(request, unit_id, Permission.HOUSEHOLD_EDIT)
    volunteer = services.volunteer_register(actor=actor_of(request), unit=unit, **payload.dict())
    return _volunteer(volunteer)


@router.get("/care/units/{unit_id}/activities", response=ActivityPageOut)
def unit_activities(
    request: HttpRequest, unit_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    return _list_page(request, unit_id, "activities", {}, cursor, limit, _activity)


@router.post("/care/units/{unit_id}/activities", response=ActivityOut)
def activity_record(request: HttpRequest, unit_id: int, payload: ActivityIn) -> dict[str, Any]:
    """Record an activity with its participants (residents of the unit, its volunteers)."""
    unit = _unit(request, unit_id, Permission.HOUSEHOLD_EDIT)
    values = payload.dict()
    activity = services.activity_record(actor=actor_of(request), unit=unit, **values)
    return _activity(selectors.activities_in(unit).get(pk=activity.pk))


@router.get("/care/units/{unit_id}/ratings", response=RatingPageOut)
def unit_ratings(
    request: HttpRequest,
    unit_id: int,
    year: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Family ratings and 五好楼栋 of the unit, by year and status (a code or its label)."""
    return _list_page(request, unit_id, "ratings", {"year": year, "status": status}, cursor, limit, _rating)


def _list_page(
    request: HttpRequest,
    unit_id: int,
    what: str,
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
    render: Any,
) -> dict[str, Any]:
    """A page of the unit's care list ``what`` (``care.lists``), rendered masked."""
    unit = _unit(request, unit_id, Permission.UNIT_VIEW)
    rows = care_listed(what, unit, CareListQuery.parse(filters), timezone.localdate())
    return page(rows, cursor=cursor, limit=limit, render=render, order=CARE_LISTS[what].order)


# --- Exports of the unit's lists (transfer jobs, masked, audited) ------------------------------


class CareExportIn(StrictIn):
    """A care list without filters: the body is ``{}``; any field is refused."""


class ScheduleExportIn(StrictIn):
    """The schedules list's filter; an unknown field is refused (it would widen the export)."""

    overdue: StrictBool | str | None = Field(None, description="true: only the visits past their date")


class RatingExportIn(StrictIn):
    year: StrictInt | str | None = None
    status: str | None = Field(None, description="proposed, approved or rejected (or 待审核 已评定 未通过)")


def _export(
    request: HttpRequest, unit_id: int, what: str, filters: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """Start the export of the unit's care list ``what`` with its filters: a bad filter is a 400
    and a unit outside the caller's scope for ``export`` a 404 before any job starts."""
    require(request, Permission.EXPORT)
    query = CareListQuery.parse(filters)
    unit = care_unit(request.user, unit_id, Permission.EXPORT)
    params = {"unit_id": str(unit.pk), **query.as_params()}
    job = list_export_start(actor=actor_of(request), what=care_export_name(what), params=params)
    return 201, {"job_id": job.pk, "status": job.status, "url": f"/transfer/jobs/{job.pk}/"}


@router.post("/care/units/{unit_id}/schedules/export", response={201: ExportStartedOut})
def unit_schedules_export(
    request: HttpRequest, unit_id: int, filters: ScheduleExportIn
) -> tuple[int, dict[str, Any]]:
    """The unit's visit schedules (``overdue``: the overdue visits) to Excel through a transfer
    job; ``url`` is the job's page, where the file is downloaded when it is done."""
    return _export(request, unit_id, "schedules", filters.dict())


@router.post("/care/units/{unit_id}/children/export", response={201: ExportStartedOut})
def unit_children_export(
    request: HttpRequest, unit_id: int, filters: CareExportIn
) -> tuple[int, dict[str, Any]]:
    """The unit's paired children to Excel (children's names, phones and aid masked)."""
    return _export(request, unit_id, "children", filters.dict())


@router.post("/care/units/{unit_id}/volunteers/export", response={201: ExportStartedOut})
def unit_volunteers_export(
    request: HttpRequest, unit_id: int, filters: CareExportIn
) -> tuple[int, dict[str, Any]]:
    return _export(request, unit_id, "volunteers", filters.dict())


@router.post("/care/units/{unit_id}/activities/export", response={201: ExportStartedOut})
def unit_activities_export(
    request: HttpRequest, unit_id: int, filters: CareExportIn
) -> tuple[int, dict[str, Any]]:
    return _export(request, unit_id, "activities", filters.dict())


@router.post("/care/units/{unit_id}/ratings/export", response={201: ExportStartedOut})
def unit_ratings_export(
    request: HttpRequest, unit_id: int, filters: RatingExportIn
) -> tuple[int, dict[str, Any]]:
    return _export(request, unit_id, "ratings", filters.dict())


@router.post("/care/units/{unit_id}/building-ratings", response=RatingOut)
def building_rating(request: HttpRequest, unit_id: int, payload: BuildingRatingIn) -> dict[str, Any]:
    """Propose a building of the unit as 五好楼栋."""
    unit = _unit(request, unit_id, Permission.HOUSEHOLD_EDIT)
    building = Building.objects.select_related("branch").filter(pk=payload.building_id).first()
    if building is None or not (
        building.branch.path.startswith(unit.path) or unit.path.startswith(building.branch.path)
    ):
        raise invalid("building_id", payload.building_id, "不是本单位的楼栋", "not a building of this unit")
    values = payload.dict()
    del values["building_id"]
    return _rating(services.rating_propose(actor=actor_of(request), building=building, **values))


@router.post("/care/ratings/{rating_id}/decision", response=RatingOut)
def rating_decide(request: HttpRequest, rating_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Approve or reject a proposal (an official of a unit over it; not the proposer)."""
    if not has_permission(request.user, Permission.UNIT_VIEW):
        raise PermissionDenied
    units = units_for(request.user, Permission.UNIT_VIEW).values("pk")
    rating = _one(
        Rating.objects.filter(unit__in=units).select_related("household", "building"), rating_id, "评定"
    )
    with transaction.atomic():
        decided = services.rating_decide(actor=actor_of(request), rating=rating, **payload.dict())
    return _rating(Rating.objects.select_related("household", "building").get(pk=decided.pk))
