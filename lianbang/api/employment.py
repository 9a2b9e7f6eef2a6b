"""六步就业 at /api/v1/employment: survey, wishes, enterprises and jobs, matching, referrals,
fairs, order-based training, transport, follow-ups, job changes and losses, figures.

Thin: parse, check scope (``employment.access``), call one service or selector, return a
schema. People are shown without ID or phone numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import members_for
from lianbang.api.households import actor_of, require
from lianbang.api.pagination import page
from lianbang.api.schemas import StrictIn
from lianbang.common.errors import invalid
from lianbang.employment import figures, matching
from lianbang.employment.access import (
    MANAGE,
    RECORD,
    VIEW,
    managed_units_q,
    member_in_scope,
    not_found,
    unit_in_scope,
    visible_units_q,
)
from lianbang.employment.labour import stable_months
from lianbang.employment.models import (
    Course,
    Enrolment,
    Enterprise,
    FollowUp,
    JobFair,
    JobPosting,
    Placement,
    Referral,
    SurveyCampaign,
    SurveyEntry,
    TransportBatch,
    Wish,
)
from lianbang.employment.selectors import coverage, person_path, unreached
from lianbang.employment.services import jobs, placements, survey, training, transport, wishes
from lianbang.employment.services.common import one_code
from lianbang.employment.tasks import EMPLOYMENT_EXPORT, EMPLOYMENT_EXPORTS
from lianbang.employment.vocab import (
    CONSTRAINT_EN,
    JOB_TYPE_EN,
    PLACE_EN,
    WORK_LOCATION_EN,
    Constraint,
    JobType,
    Place,
)
from lianbang.jobs.exports import export_start
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.registry.vocab import WorkLocation

router = Router(tags=["employment"])
BASE = "/employment"


def _today() -> date:
    return timezone.localdate()


# -- shapes -----------------------------------------------------------------------------------


class EmploymentPersonOut(Schema):
    member_id: int
    name: str
    household_id: int
    household_no: str
    unit_id: int
    age: int
    labor_skill: str
    employed: bool


def person(member: Member) -> dict[str, Any]:
    return {
        "member_id": member.pk,
        "name": member.name,
        "household_id": member.household_id,
        "household_no": member.household.household_no,
        "unit_id": member.household.unit_id,
        "age": member.age_on(_today()),
        "labor_skill": member.get_labor_skill_display(),
        "employed": member.is_employed,
    }


class CampaignIn(StrictIn):
    name: str
    as_of: date | None = None


class CampaignOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    as_of: date
    closed_at: datetime | None
    labour: int
    reached: int
    coverage: Decimal | None


class CoverageRowOut(Schema):
    unit_id: int
    unit_name: str
    level: int
    level_label: str
    labour: int
    reached: int
    unreached: int
    coverage: Decimal | None
    confirmed: bool
    confirmed_by: str | None
    confirmed_at: datetime | None


class CoverageOut(Schema):
    campaign_id: int
    unit: CoverageRowOut
    children: list[CoverageRowOut]


class ReachIn(StrictIn):
    status: str
    note: str = ""


class EntryOut(Schema):
    campaign_id: int
    person: EmploymentPersonOut
    status: str
    status_label: str
    note: str
    reached_at: datetime | None


class UnreachedPageOut(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class WishIn(StrictIn):
    seeking: bool = True
    job_types: list[str] = []
    places: list[str] = []
    min_wage: Decimal | None = None
    wants_training: bool = False
    training_types: list[str] = []
    constraints: list[str] = []
    note: str = ""
    visited_at: datetime | None = None


class WishOut(Schema):
    member_id: int
    seeking: bool
    job_types: list[str]
    places: list[str]
    min_wage: Decimal | None
    wants_training: bool
    training_types: list[str]
    constraints: list[str]
    note: str
    recorded_on: date


class FactorOut(Schema):
    factor: str
    points: int
    max_points: int
    reason: str
    reason_en: str


class EnterpriseIn(StrictIn):
    name: str
    credit_code: str
    work_location: str
    station: str = ""
    address: str = ""
    industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    declared_workshop: bool = False


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    unit_id: int
    work_location: str
    station: str
    address: str
    industry: str
    contact_name: str
    contact_phone: str
    declared_workshop: bool
    workshop_workers: int
    is_workshop: bool


class PostingIn(StrictIn):
    title: str
    job_type: str
    headcount: int
    wage_min: Decimal
    wage_max: Decimal
    work_location: str
    station: str = ""
    deadline: date
    age_min: int = 16
    age_max: int = 60
    requires_skilled: bool = False
    skills: str = ""
    night_shifts: bool = False
    accommodation: bool = False
    transport: bool = False


class PostingOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    unit_id: int
    title: str
    job_type: str
    job_type_label: str
    headcount: int
    hired: int
    wage_min: Decimal
    wage_max: Decimal
    work_location: str
    station: str
    age_min: int
    age_max: int
    requires_skilled: bool
    skills: str
    night_shifts: bool
    deadline: date
    accommodation: bool
    transport: bool
    status: str


class PostingPageOut(Schema):
    items: list[PostingOut]
    next_cursor: str | None


class JobMatchOut(Schema):
    posting: PostingOut
    score: int
    factors: list[FactorOut]


class CandidateOut(Schema):
    person: EmploymentPersonOut
    score: int
    factors: list[FactorOut]


class ReferralOut(Schema):
    id: int
    member_id: int
    posting_id: int
    posting_title: str
    enterprise_name: str
    score: int
    outcome: str
    referred_on: date
    outcome_on: date | None


class OutcomeIn(StrictIn):
    outcome: str
    on: date | None = None


class FairIn(StrictIn):
    name: str
    held_on: date
    venue: str = ""
    walk_in_attendees: int = 0


class FairOut(Schema):
    id: int
    name: str
    unit_id: int
    held_on: date
    venue: str
    enterprises: int
    posts: int
    attendees: int
    hired: int


class FairEnterpriseIn(StrictIn):
    posts: int


class FairAttendeeIn(StrictIn):
    outcome: str
    enterprise_id: int | None = None


class CourseIn(StrictIn):
    posting_id: int | None = None
    name: str
    job_type: str
    committed_hires: int
    starts_on: date
    ends_on: date
    sessions: int


class EnrolmentOut(Schema):
    person: EmploymentPersonOut
    status: str
    attended: int
    certificate_no: str
    completed_on: date | None


class CourseOut(Schema):
    id: int
    name: str
    unit_id: int
    enterprise_id: int
    enterprise_name: str
    job_type: str
    committed_hires: int
    starts_on: date
    ends_on: date
    sessions: int
    enrolled: int
    completed: int
    hired: int


class CourseDetailOut(CourseOut):
    enrolments: list[EnrolmentOut]


class AttendanceIn(StrictIn):
    day: date
    member_ids: list[int]


class CompleteIn(StrictIn):
    certificate_no: str = ""
    on: date | None = None


class HireIn(StrictIn):
    started_on: date


class BatchIn(StrictIn):
    departs_on: date
    vehicle: str
    posting_id: int | None = None
    course_id: int | None = None


class PassengerOut(Schema):
    person: EmploymentPersonOut
    arrived: bool | None


class BatchOut(Schema):
    id: int
    unit_id: int
    departs_on: date
    vehicle: str
    enterprise_id: int
    enterprise_name: str
    posting_id: int | None
    course_id: int | None
    status: str
    arrived_on: date | None
    passengers: list[PassengerOut]


class MembersIn(StrictIn):
    member_ids: list[int]


class ArrivalIn(StrictIn):
    arrived_on: date
    member_ids: list[int]


class PlacementOut(Schema):
    id: int
    member_id: int
    employer: str
    enterprise_id: int | None
    work_location: str
    station: str
    channel: str
    monthly_wage: Decimal | None
    source: str
    started_on: date
    continuous_since: date
    ended_on: date | None
    end_reason: str


class FollowUpOut(Schema):
    id: int
    person: EmploymentPersonOut
    employer: str
    due_on: date
    done_on: date | None
    method: str
    still_employed: bool | None
    note: str
    care_note: str


class FollowUpPageOut(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpIn(StrictIn):
    done_on: date
    method: str
    still_employed: bool
    note: str = ""
    care_note: str = ""
    lost_on: date | None = None


class JobChangeIn(StrictIn):
    employer: str
    enterprise_id: int | None = None
    work_location: str
    station: str = ""
    channel: str = ""
    monthly_wage: Decimal | None = None
    started_on: date


class JobLossIn(StrictIn):
    lost_on: date
    note: str = ""


class RightsIn(StrictIn):
    summary: str


class RightsOut(Schema):
    id: int
    case_id: int
    member_id: int
    opened_on: date


class PathOut(Schema):
    person: EmploymentPersonOut
    wish: WishOut | None
    survey: list[EntryOut]
    enrolments: list[dict[str, Any]]
    referrals: list[ReferralOut]
    transport: list[dict[str, Any]]
    placements: list[PlacementOut]
    follow_ups: list[dict[str, Any]]
    stable: bool
    stable_since: date | None
    stable_months: int


class RatesOut(Schema):
    as_of: date
    stable_months: int
    labour: int
    employed: int
    stable: int
    employment_rate: Decimal | None
    stable_rate: Decimal | None


class UnitRatesOut(RatesOut):
    unit_id: int
    unit_name: str


class EmploymentFiguresOut(Schema):
    unit_id: int
    unit_name: str
    rates: RatesOut
    by_destination: dict[str, int]
    by_channel: dict[str, int]
    by_station: dict[str, int]
    zero_employment_households: int
    fairs: dict[str, int]


# -- helpers ----------------------------------------------------------------------------------


def _visible(request: HttpRequest, model: Any, pk: int) -> Any:
    require(request, VIEW)
    found = model.objects.filter(visible_units_q(request.user), pk=pk).first()
    if found is None:
        raise not_found("记录", model._meta.model_name)
    return found


def _managed(request: HttpRequest, model: Any, pk: int) -> Any:
    require(request, MANAGE)
    _visible(request, model, pk)  # out of sight: 404, not 403
    found = model.objects.filter(managed_units_q(request.user), pk=pk).first()
    if found is None:
        raise not_found("记录", model._meta.model_name)
    return found


def _members(request: HttpRequest, ids: list[int], permission: str = RECORD) -> list[Member]:
    found = list(members_for(request.user, permission).filter(pk__in=ids).select_related("household"))
    missing = sorted(set(ids) - {m.pk for m in found})
    if missing:
        raise invalid(
            "member_ids", missing, "名单中有不存在或不在辖区内的人员", "unknown or out-of-scope people"
        )
    return found


def _rates(rates: figures.Rates) -> dict[str, Any]:
    return {
        "as_of": rates.as_of,
        "stable_months": rates.stable_months,
        "labour": rates.labour,
        "employed": rates.employed,
        "stable": rates.stable,
        "employment_rate": rates.employment_rate,
        "stable_rate": rates.stable_rate,
    }


def _months(value: int | None) -> int:
    months = stable_months() if value is None else value
    if not 1 <= months <= 60:
        raise invalid("stable_months", value, "稳定就业月数应为1到60", "stable months are 1–60")
    return months


# -- 1. survey --------------------------------------------------------------------------------


def _campaign_out(campaign: SurveyCampaign) -> dict[str, Any]:
    top = coverage(campaign, campaign.unit)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "unit_id": campaign.unit_id,
        "unit_name": campaign.unit.name,
        "as_of": campaign.as_of,
        "closed_at": campaign.closed_at,
        "labour": top.unit["labour"],
        "reached": top.unit["reached"],
        "coverage": top.unit["coverage"],
    }


def _campaign(request: HttpRequest, campaign_id: int) -> SurveyCampaign:
    return _visible(request, SurveyCampaign, campaign_id)


@router.get(f"{BASE}/surveys", response=list[CampaignOut])
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Survey campaigns (摸底批次) of the caller's units, newest first."""
    require(request, VIEW)
    rows = SurveyCampaign.objects.filter(visible_units_q(request.user)).select_related("unit")
    return [_campaign_out(c) for c in rows.order_by("-pk")[:50]]


@router.post(f"{BASE}/units/{{unit_id}}/surveys", response={201: CampaignOut})
def survey_create(request: HttpRequest, unit_id: int, payload: CampaignIn) -> tuple[int, dict[str, Any]]:
    """Start a campaign: every labour member under the unit gets an entry."""
    require(request, MANAGE)
    unit = unit_in_scope(request.user, unit_id, MANAGE)
    campaign = survey.survey_start(
        actor=actor_of(request), unit=unit, name=payload.name, as_of=payload.as_of or _today()
    )
    return 201, _campaign_out(campaign)


@router.get(f"{BASE}/surveys/{{campaign_id}}", response=CampaignOut)
def survey_detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    return _campaign_out(_campaign(request, campaign_id))


@router.get(f"{BASE}/surveys/{{campaign_id}}/units/{{unit_id}}", response=CoverageOut)
def survey_coverage(request: HttpRequest, campaign_id: int, unit_id: int) -> dict[str, Any]:
    """Coverage of one unit and of each unit below it, with the closed loop's sign-offs."""
    campaign = _campaign(request, campaign_id)
    unit = unit_in_scope(request.user, unit_id, VIEW)
    found = coverage(campaign, unit)
    return {"campaign_id": campaign.pk, "unit": found.unit, "children": found.children}


def _entry(entry: SurveyEntry) -> dict[str, Any]:
    return {
        "campaign_id": entry.campaign_id,
        "person": person(entry.member),
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "note": entry.note,
        "reached_at": entry.reached_at,
    }


@router.get(f"{BASE}/surveys/{{campaign_id}}/units/{{unit_id}}/unreached", response=UnreachedPageOut)
def survey_unreached(
    request: HttpRequest, campaign_id: int, unit_id: int, cursor: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """Who has not been reached yet under the unit (the people the loop still waits for)."""
    campaign = _campaign(request, campaign_id)
    unit = unit_in_scope(request.user, unit_id, VIEW)
    scoped = members_for(request.user, VIEW).values("pk")
    rows = unreached(campaign, unit).filter(member__in=scoped)
    return page(rows, cursor=cursor, limit=limit, render=_entry, order="pk")


@router.post(f"{BASE}/surveys/{{campaign_id}}/members/{{member_id}}", response=EntryOut)
def survey_reach(request: HttpRequest, campaign_id: int, member_id: int, payload: ReachIn) -> dict[str, Any]:
    """Record what the survey found for one person."""
    require(request, RECORD)
    campaign = _campaign(request, campaign_id)
    member = member_in_scope(request.user, member_id)
    entry = SurveyEntry.objects.filter(campaign=campaign, member=member).first()
    if entry is None:
        raise not_found("摸底对象", "survey entry")
    done = survey.survey_reach(
        actor=actor_of(request), entry=entry, status=payload.status, note=payload.note, now=timezone.now()
    )
    return _entry(SurveyEntry.objects.select_related("member__household").get(pk=done.pk))


@router.post(f"{BASE}/surveys/{{campaign_id}}/units/{{unit_id}}/confirm", response=CoverageOut)
def survey_confirm(request: HttpRequest, campaign_id: int, unit_id: int) -> dict[str, Any]:
    """The unit's level of the closed loop confirms: everyone under it was reached."""
    require(request, RECORD)
    campaign = _campaign(request, campaign_id)
    unit = unit_in_scope(request.user, unit_id, RECORD)
    survey.survey_confirm(actor=actor_of(request), campaign=campaign, unit=unit, now=timezone.now())
    found = coverage(campaign, unit)
    return {"campaign_id": campaign.pk, "unit": found.unit, "children": found.children}


# -- 2. wishes, matching, a person's path ------------------------------------------------------


def _wish(wish: Wish) -> dict[str, Any]:
    return {
        "member_id": wish.member_id,
        "seeking": wish.seeking,
        "job_types": wish.job_types,
        "places": wish.places,
        "min_wage": wish.min_wage,
        "wants_training": wish.wants_training,
        "training_types": wish.training_types,
        "constraints": wish.constraints,
        "note": wish.note,
        "recorded_on": wish.recorded_on,
    }


@router.get(f"{BASE}/members/{{member_id}}/wish", response={200: WishOut, 204: None})
def wish_detail(request: HttpRequest, member_id: int) -> Any:
    """The person's current wish; 204 if none was recorded yet."""
    require(request, VIEW)
    member = member_in_scope(request.user, member_id, VIEW)
    wish = Wish.objects.filter(member=member).first()
    return (200, _wish(wish)) if wish else (204, None)


@router.put(f"{BASE}/members/{{member_id}}/wish", response=WishOut)
def wish_put(request: HttpRequest, member_id: int, payload: WishIn) -> dict[str, Any]:
    """敲门行动: record the wish (codes or Chinese labels); with ``visited_at`` also the visit."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    data = wishes.WishData(**payload.dict(exclude={"visited_at"}))
    wish = wishes.wish_record(
        actor=actor_of(request), member=member, data=data, today=_today(), visited_at=payload.visited_at
    )
    return _wish(wish)


def _posting(posting: JobPosting) -> dict[str, Any]:
    return {
        "id": posting.pk,
        "enterprise_id": posting.enterprise_id,
        "enterprise_name": posting.enterprise.name,
        "unit_id": posting.unit_id,
        "title": posting.title,
        "job_type": posting.job_type,
        "job_type_label": posting.get_job_type_display(),
        "headcount": posting.headcount,
        "hired": posting.hired,
        "wage_min": posting.wage_min,
        "wage_max": posting.wage_max,
        "work_location": posting.work_location,
        "station": posting.station,
        "age_min": posting.age_min,
        "age_max": posting.age_max,
        "requires_skilled": posting.requires_skilled,
        "skills": posting.skills,
        "night_shifts": posting.night_shifts,
        "deadline": posting.deadline,
        "accommodation": posting.accommodation,
        "transport": posting.transport,
        "status": posting.status,
    }


def _visible_open_jobs(request: HttpRequest) -> QuerySet[JobPosting]:
    return matching.open_jobs(_today()).filter(visible_units_q(request.user))


@router.get(f"{BASE}/members/{{member_id}}/matches", response=list[JobMatchOut])
def member_matches(request: HttpRequest, member_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The best open jobs for the person, each with its score explained factor by factor."""
    require(request, VIEW)
    member = member_in_scope(request.user, member_id, VIEW)
    if not 1 <= limit <= 50:
        raise invalid("limit", limit, "应为1到50", "must be from 1 to 50")
    found = matching.match(
        Member.objects.filter(pk=member.pk), _visible_open_jobs(request), today=_today(), limit=limit
    )
    postings = JobPosting.objects.select_related("enterprise").in_bulk([m.posting_id for m in found])
    wish = Wish.objects.filter(member=member).first()
    seeker = matching.Seeker.of(member, wish, _today())
    return [
        {
            "posting": _posting(postings[m.posting_id]),
            "score": m.score,
            "factors": [matching.as_dict(f) for f in matching.factors(seeker, postings[m.posting_id])],
        }
        for m in found
    ]


@router.get(f"{BASE}/members/{{member_id}}/path", response=PathOut)
def member_path(request: HttpRequest, member_id: int) -> dict[str, Any]:
    """One worker's whole path: survey, wish, training, referrals, transport, jobs, follow-ups."""
    require(request, VIEW)
    member = member_in_scope(request.user, member_id, VIEW)
    path = person_path(member, _today())
    return {
        "person": person(member),
        "wish": _wish(path.wish) if path.wish else None,
        "survey": [_entry(e) for e in path.survey],
        "enrolments": path.enrolments,
        "referrals": [_referral(r) for r in path.referrals],
        "transport": path.transport,
        "placements": [_placement(p) for p in path.placements],
        "follow_ups": path.follow_ups,
        "stable": path.stable,
        "stable_since": path.stable_since,
        "stable_months": stable_months(),
    }


def _placement(p: Placement) -> dict[str, Any]:
    return {
        "id": p.pk,
        "member_id": p.member_id,
        "employer": p.employer,
        "enterprise_id": p.enterprise_id,
        "work_location": p.work_location,
        "station": p.station,
        "channel": p.channel,
        "monthly_wage": p.monthly_wage,
        "source": p.source,
        "started_on": p.started_on,
        "continuous_since": p.continuous_since,
        "ended_on": p.ended_on,
        "end_reason": p.end_reason,
    }


@router.post(f"{BASE}/members/{{member_id}}/job-change", response={201: PlacementOut})
def member_job_change(
    request: HttpRequest, member_id: int, payload: JobChangeIn
) -> tuple[int, dict[str, Any]]:
    """换岗 (or a first job found on one's own): the registry's employment follows."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    enterprise = _visible(request, Enterprise, payload.enterprise_id) if payload.enterprise_id else None
    location = one_code("work_location", payload.work_location, WorkLocation, "务工所在地")
    job = placements.Job(
        employer=payload.employer,
        work_location=location,
        started_on=payload.started_on,
        source="change",
        enterprise=enterprise,
        station=jobs.station(payload.station, location),
        channel=payload.channel[:20],
        monthly_wage=payload.monthly_wage,
    )
    placement = placements.placement_start(actor=actor_of(request), member=member, job=job, today=_today())
    return 201, _placement(placement)


@router.post(f"{BASE}/members/{{member_id}}/job-loss", response=PlacementOut)
def member_job_loss(request: HttpRequest, member_id: int, payload: JobLossIn) -> dict[str, Any]:
    """失业: the job ends; monitoring re-judges the household at once."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    ended = placements.job_loss_record(
        actor=actor_of(request), member=member, lost_on=payload.lost_on, note=payload.note, today=_today()
    )
    assert ended is not None
    return _placement(ended)


@router.post(f"{BASE}/members/{{member_id}}/rights-cases", response={201: RightsOut})
def member_rights_case(request: HttpRequest, member_id: int, payload: RightsIn) -> tuple[int, dict[str, Any]]:
    """劳动维权: opens a dispute case in the cases engine (worker against employer)."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    link = placements.rights_case_open(
        actor=actor_of(request), member=member, summary=payload.summary, today=_today()
    )
    return 201, {"id": link.pk, "case_id": link.case_id, "member_id": member.pk, "opened_on": link.opened_on}


# -- 3. enterprises, jobs, referrals, fairs -----------------------------------------------------


def _enterprise(e: Enterprise) -> dict[str, Any]:
    workers = jobs.workshop_workers(e)
    return {
        "id": e.pk,
        "name": e.name,
        "credit_code": e.credit_code,
        "unit_id": e.unit_id,
        "work_location": e.work_location,
        "station": e.station,
        "address": e.address,
        "industry": e.industry,
        "contact_name": e.contact_name,
        "contact_phone": e.contact_phone,
        "declared_workshop": e.declared_workshop,
        "workshop_workers": workers,
        "is_workshop": e.declared_workshop and workers >= jobs.WORKSHOP_MINIMUM,
    }


@router.get(f"{BASE}/enterprises", response=list[EnterpriseOut])
def enterprise_list(request: HttpRequest, q: str = "", workshop: bool | None = None) -> list[dict[str, Any]]:
    """Enterprises (at most 200), by name; ``workshop=true`` for declared 帮扶车间."""
    require(request, VIEW)
    rows = Enterprise.objects.filter(visible_units_q(request.user))
    if q:
        rows = rows.filter(name__contains=q.strip()[:50])
    if workshop is not None:
        rows = rows.filter(declared_workshop=workshop)
    return [_enterprise(e) for e in rows.order_by("name")[:200]]


@router.post(f"{BASE}/units/{{unit_id}}/enterprises", response={201: EnterpriseOut})
def enterprise_create(
    request: HttpRequest, unit_id: int, payload: EnterpriseIn
) -> tuple[int, dict[str, Any]]:
    """Register an enterprise under a unit (统一社会信用代码 checked, unique)."""
    require(request, MANAGE)
    unit = unit_in_scope(request.user, unit_id, MANAGE)
    data = jobs.EnterpriseData(**payload.dict())
    return 201, _enterprise(jobs.enterprise_create(actor=actor_of(request), unit=unit, data=data))


@router.get(f"{BASE}/enterprises/{{enterprise_id}}", response=EnterpriseOut)
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    """An enterprise with its checked 帮扶车间 status (≥ 5 workers from 脱贫/监测 households)."""
    return _enterprise(_visible(request, Enterprise, enterprise_id))


@router.get(f"{BASE}/postings", response=PostingPageOut)
def posting_list(
    request: HttpRequest,
    open_only: bool = True,
    job_type: str = "",
    work_location: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    require(request, VIEW)
    rows = (
        _visible_open_jobs(request) if open_only else JobPosting.objects.filter(visible_units_q(request.user))
    ).select_related("enterprise")
    if job_type:
        rows = rows.filter(job_type=job_type)
    if work_location:
        rows = rows.filter(work_location=work_location)
    return page(rows, cursor=cursor, limit=limit, render=_posting, order="-pk")


@router.post(f"{BASE}/enterprises/{{enterprise_id}}/postings", response={201: PostingOut})
def posting_create(
    request: HttpRequest, enterprise_id: int, payload: PostingIn
) -> tuple[int, dict[str, Any]]:
    """Post a job of an enterprise the caller manages (the job belongs to the same unit)."""
    enterprise = _managed(request, Enterprise, enterprise_id)
    data = jobs.PostingData(**payload.dict())
    posting = jobs.posting_create(
        actor=actor_of(request), enterprise=enterprise, unit=enterprise.unit, data=data, today=_today()
    )
    return 201, _posting(posting)


@router.get(f"{BASE}/postings/{{posting_id}}", response=PostingOut)
def posting_detail(request: HttpRequest, posting_id: int) -> dict[str, Any]:
    return _posting(_visible(request, JobPosting, posting_id))


@router.post(f"{BASE}/postings/{{posting_id}}/close", response=PostingOut)
def posting_close(request: HttpRequest, posting_id: int) -> dict[str, Any]:
    posting = _managed(request, JobPosting, posting_id)
    return _posting(jobs.posting_close(actor=actor_of(request), posting=posting))


@router.get(f"{BASE}/postings/{{posting_id}}/candidates", response=list[CandidateOut])
def posting_candidates(request: HttpRequest, posting_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The best job seekers in the caller's scope for this job, each score explained."""
    posting = _visible(request, JobPosting, posting_id)
    if not 1 <= limit <= 100:
        raise invalid("limit", limit, "应为1到100", "must be from 1 to 100")
    scoped = matching.seekers(members_for(request.user, VIEW), _today())
    found = matching.match(
        scoped, JobPosting.objects.filter(pk=posting.pk), today=_today(), limit=limit, per="posting_id"
    )
    people = Member.objects.select_related("household").in_bulk([m.member_id for m in found])
    wishes_of = {w.member_id: w for w in Wish.objects.filter(member_id__in=list(people))}
    return [
        {
            "person": person(people[m.member_id]),
            "score": m.score,
            "factors": [
                matching.as_dict(f)
                for f in matching.factors(
                    matching.Seeker.of(people[m.member_id], wishes_of.get(m.member_id), _today()), posting
                )
            ],
        }
        for m in found
    ]


def _referral(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "posting_id": r.posting_id,
        "posting_title": r.posting.title,
        "enterprise_name": r.posting.enterprise.name,
        "score": r.score,
        "outcome": r.outcome,
        "referred_on": r.referred_on,
        "outcome_on": r.outcome_on,
    }


@router.post(f"{BASE}/members/{{member_id}}/referrals/{{posting_id}}", response={201: ReferralOut})
def referral_create(request: HttpRequest, member_id: int, posting_id: int) -> tuple[int, dict[str, Any]]:
    """Refer a person to a job; the match score is kept with the referral."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    posting = _visible(request, JobPosting, posting_id)
    score, _ = matching.explain(member, posting, _today())
    referral = jobs.referral_create(
        actor=actor_of(request), member=member, posting=posting, score=score, today=_today()
    )
    return 201, _referral(referral)


@router.post(f"{BASE}/members/{{member_id}}/referrals/{{posting_id}}/outcome", response=ReferralOut)
def referral_outcome(
    request: HttpRequest, member_id: int, posting_id: int, payload: OutcomeIn
) -> dict[str, Any]:
    """录用 (hired: the job starts), 未录用 (declined) or 未到岗 (no show)."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    posting = _visible(request, JobPosting, posting_id)
    referral = get_object_or_404(Referral, member=member, posting=posting)
    done = jobs.referral_outcome(
        actor=actor_of(request),
        referral=referral,
        outcome=payload.outcome,
        on=payload.on or _today(),
        today=_today(),
    )
    return _referral(done)


def _fair(fair: JobFair) -> dict[str, Any]:
    rows = list(fair.enterprises.all())
    attendees = list(fair.attendees.all())
    return {
        "id": fair.pk,
        "name": fair.name,
        "unit_id": fair.unit_id,
        "held_on": fair.held_on,
        "venue": fair.venue,
        "enterprises": len(rows),
        "posts": sum(r.posts for r in rows),
        "attendees": len(attendees) + fair.walk_in_attendees,
        "hired": sum(1 for a in attendees if a.outcome == "hired"),
    }


@router.get(f"{BASE}/fairs", response=list[FairOut])
def fair_list(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, VIEW)
    rows = JobFair.objects.filter(visible_units_q(request.user)).prefetch_related("enterprises", "attendees")
    return [_fair(f) for f in rows.order_by("-held_on")[:100]]


@router.post(f"{BASE}/units/{{unit_id}}/fairs", response={201: FairOut})
def fair_create(request: HttpRequest, unit_id: int, payload: FairIn) -> tuple[int, dict[str, Any]]:
    """A job fair (专场招聘会) organised by the unit."""
    require(request, MANAGE)
    unit = unit_in_scope(request.user, unit_id, MANAGE)
    fair = jobs.fair_create(
        actor=actor_of(request),
        unit=unit,
        name=payload.name,
        held_on=payload.held_on,
        venue=payload.venue,
        walk_in_attendees=payload.walk_in_attendees,
    )
    return 201, _fair(fair)


@router.get(f"{BASE}/fairs/{{fair_id}}", response=FairOut)
def fair_detail(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    return _fair(_visible(request, JobFair, fair_id))


@router.post(f"{BASE}/fairs/{{fair_id}}/enterprises/{{enterprise_id}}", response=FairOut)
def fair_enterprise_add(
    request: HttpRequest, fair_id: int, enterprise_id: int, payload: FairEnterpriseIn
) -> dict[str, Any]:
    """An enterprise takes part in the fair with so many posts."""
    fair = _managed(request, JobFair, fair_id)
    enterprise = _visible(request, Enterprise, enterprise_id)
    jobs.fair_enterprise_add(actor=actor_of(request), fair=fair, enterprise=enterprise, posts=payload.posts)
    return _fair(fair)


@router.post(f"{BASE}/fairs/{{fair_id}}/attendees/{{member_id}}", response=FairOut)
def fair_attendee_add(
    request: HttpRequest, fair_id: int, member_id: int, payload: FairAttendeeIn
) -> dict[str, Any]:
    """An attendee and the result: 到场 / 达成意向 / 现场录用 (a hire starts the job)."""
    require(request, RECORD)
    fair = _visible(request, JobFair, fair_id)
    member = member_in_scope(request.user, member_id)
    enterprise = _visible(request, Enterprise, payload.enterprise_id) if payload.enterprise_id else None
    jobs.fair_attendee_record(
        actor=actor_of(request),
        fair=fair,
        member=member,
        outcome=payload.outcome,
        enterprise=enterprise,
        today=_today(),
    )
    return _fair(fair)


# -- 5. order-based training ------------------------------------------------------------------


def _course(course: Course) -> dict[str, Any]:
    enrolments = list(course.enrolments.all())
    return {
        "id": course.pk,
        "name": course.name,
        "unit_id": course.unit_id,
        "enterprise_id": course.enterprise_id,
        "enterprise_name": course.enterprise.name,
        "job_type": course.job_type,
        "committed_hires": course.committed_hires,
        "starts_on": course.starts_on,
        "ends_on": course.ends_on,
        "sessions": course.sessions,
        "enrolled": len(enrolments),
        "completed": sum(1 for e in enrolments if e.status == "completed"),
        "hired": Placement.objects.filter(course=course).values("member_id").distinct().count(),
    }


def _enrolment(e: Enrolment) -> dict[str, Any]:
    return {
        "person": person(e.member),
        "status": e.status,
        "attended": e.attended,
        "certificate_no": e.certificate_no,
        "completed_on": e.completed_on,
    }


@router.get(f"{BASE}/courses", response=list[CourseOut])
def course_list(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, VIEW)
    rows = Course.objects.filter(visible_units_q(request.user)).select_related("enterprise")
    return [_course(c) for c in rows.prefetch_related("enrolments").order_by("-starts_on")[:100]]


@router.post(f"{BASE}/enterprises/{{enterprise_id}}/courses", response={201: CourseOut})
def course_create(request: HttpRequest, enterprise_id: int, payload: CourseIn) -> tuple[int, dict[str, Any]]:
    """订单培训 ordered by an enterprise the caller manages, with its hiring commitment."""
    enterprise = _managed(request, Enterprise, enterprise_id)
    posting = _visible(request, JobPosting, payload.posting_id) if payload.posting_id else None
    data = training.CourseData(**payload.dict(exclude={"posting_id"}))
    course = training.course_create(
        actor=actor_of(request), unit=enterprise.unit, enterprise=enterprise, data=data, posting=posting
    )
    return 201, _course(course)


@router.get(f"{BASE}/courses/{{course_id}}", response=CourseDetailOut)
def course_detail(request: HttpRequest, course_id: int) -> dict[str, Any]:
    """A course with its trainees, shown within the caller's scope."""
    course = _visible(request, Course, course_id)
    scoped = members_for(request.user, VIEW).values("pk")
    enrolments = course.enrolments.filter(member__in=scoped).select_related("member__household")
    return {**_course(course), "enrolments": [_enrolment(e) for e in enrolments.order_by("pk")]}


@router.post(f"{BASE}/courses/{{course_id}}/enrolments/{{member_id}}", response={201: EnrolmentOut})
def course_enrol(request: HttpRequest, course_id: int, member_id: int) -> tuple[int, dict[str, Any]]:
    """Enrol a labour member in the course."""
    require(request, RECORD)
    course = _visible(request, Course, course_id)
    member = member_in_scope(request.user, member_id)
    enrolment = training.enrolment_add(actor=actor_of(request), course=course, member=member, today=_today())
    return 201, _enrolment(enrolment)


@router.post(f"{BASE}/courses/{{course_id}}/attendance", response=dict[str, int])
def course_attendance(request: HttpRequest, course_id: int, payload: AttendanceIn) -> dict[str, int]:
    """Who came to the session of ``day``."""
    require(request, RECORD)
    course = _visible(request, Course, course_id)
    people = _members(request, payload.member_ids)
    added = training.attendance_record(
        actor=actor_of(request), course=course, day=payload.day, members=people
    )
    return {"added": added}


def _enrolment_of(request: HttpRequest, course_id: int, member_id: int) -> Enrolment:
    course = _visible(request, Course, course_id)
    member = member_in_scope(request.user, member_id)
    return get_object_or_404(
        Enrolment.objects.select_related("member__household"), course=course, member=member
    )


@router.post(f"{BASE}/courses/{{course_id}}/enrolments/{{member_id}}/complete", response=EnrolmentOut)
def course_complete(
    request: HttpRequest, course_id: int, member_id: int, payload: CompleteIn
) -> dict[str, Any]:
    """结业 with the certificate number (needs 80 % attendance)."""
    require(request, RECORD)
    enrolment = _enrolment_of(request, course_id, member_id)
    done = training.enrolment_complete(
        actor=actor_of(request),
        enrolment=enrolment,
        certificate_no=payload.certificate_no,
        on=payload.on or _today(),
    )
    return _enrolment(Enrolment.objects.select_related("member__household").get(pk=done.pk))


@router.post(f"{BASE}/courses/{{course_id}}/enrolments/{{member_id}}/hire", response={201: PlacementOut})
def course_hire(
    request: HttpRequest, course_id: int, member_id: int, payload: HireIn
) -> tuple[int, dict[str, Any]]:
    """The ordering employer hires the graduate (a job without transport)."""
    require(request, RECORD)
    enrolment = _enrolment_of(request, course_id, member_id)
    placement = training.course_hire(
        actor=actor_of(request), enrolment=enrolment, started_on=payload.started_on, today=_today()
    )
    return 201, _placement(placement)


# -- 6. transport -----------------------------------------------------------------------------


def _batch(request: HttpRequest, batch: TransportBatch) -> dict[str, Any]:
    scoped = members_for(request.user, VIEW).values("pk")
    passengers = batch.passengers.filter(member__in=scoped).select_related("member__household").order_by("pk")
    return {
        "id": batch.pk,
        "unit_id": batch.unit_id,
        "departs_on": batch.departs_on,
        "vehicle": batch.vehicle,
        "enterprise_id": batch.enterprise_id,
        "enterprise_name": batch.enterprise.name,
        "posting_id": batch.posting_id,
        "course_id": batch.course_id,
        "status": batch.status,
        "arrived_on": batch.arrived_on,
        "passengers": [{"person": person(p.member), "arrived": p.arrived} for p in passengers],
    }


@router.get(f"{BASE}/transport", response=list[BatchOut])
def batch_list(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, VIEW)
    rows = TransportBatch.objects.filter(visible_units_q(request.user)).select_related("enterprise")
    return [_batch(request, b) for b in rows.order_by("-departs_on")[:50]]


@router.post(f"{BASE}/units/{{unit_id}}/transport/{{enterprise_id}}", response={201: BatchOut})
def batch_create(
    request: HttpRequest, unit_id: int, enterprise_id: int, payload: BatchIn
) -> tuple[int, dict[str, Any]]:
    """A chartered departure organised by the unit to the enterprise."""
    require(request, MANAGE)
    unit = unit_in_scope(request.user, unit_id, MANAGE)
    batch = transport.batch_create(
        actor=actor_of(request),
        unit=unit,
        departs_on=payload.departs_on,
        vehicle=payload.vehicle,
        enterprise=_visible(request, Enterprise, enterprise_id),
        posting=_visible(request, JobPosting, payload.posting_id) if payload.posting_id else None,
        course=_visible(request, Course, payload.course_id) if payload.course_id else None,
    )
    return 201, _batch(request, batch)


@router.get(f"{BASE}/transport/{{batch_id}}", response=BatchOut)
def batch_detail(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return _batch(request, _visible(request, TransportBatch, batch_id))


@router.post(f"{BASE}/transport/{{batch_id}}/passengers", response=BatchOut)
def batch_passengers(request: HttpRequest, batch_id: int, payload: MembersIn) -> dict[str, Any]:
    """上车门: put people on the batch."""
    require(request, RECORD)
    batch = _visible(request, TransportBatch, batch_id)
    transport.passengers_add(
        actor=actor_of(request), batch=batch, members=_members(request, payload.member_ids)
    )
    return _batch(request, batch)


@router.post(f"{BASE}/transport/{{batch_id}}/arrival", response=BatchOut)
def batch_arrival(request: HttpRequest, batch_id: int, payload: ArrivalIn) -> dict[str, Any]:
    """进厂门: confirm who arrived; their employment starts on ``arrived_on``."""
    batch = _managed(request, TransportBatch, batch_id)
    people = list(Member.objects.filter(pk__in=payload.member_ids))
    transport.arrival_confirm(
        actor=actor_of(request), batch=batch, arrived_on=payload.arrived_on, arrived=people, today=_today()
    )
    return _batch(request, TransportBatch.objects.select_related("enterprise").get(pk=batch.pk))


# -- 7. follow-ups ------------------------------------------------------------------------------


def _follow_up(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "person": person(f.placement.member),
        "employer": f.placement.employer,
        "due_on": f.due_on,
        "done_on": f.done_on,
        "method": f.method,
        "still_employed": f.still_employed,
        "note": f.note,
        "care_note": f.care_note,
    }


@router.get(f"{BASE}/follow-ups", response=FollowUpPageOut)
def follow_up_list(
    request: HttpRequest,
    due_by: date | None = None,
    done: bool = False,
    cursor: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """保姆服务: follow-ups due by a day (default today) of people in the caller's scope."""
    require(request, VIEW)
    scoped = members_for(request.user, VIEW).values("pk")
    rows = FollowUp.objects.filter(
        placement__member__in=scoped, due_on__lte=due_by or _today(), done_on__isnull=not done
    ).select_related("placement__member__household")
    return page(rows, cursor=cursor, limit=limit, render=_follow_up, order="pk")


@router.post(f"{BASE}/members/{{member_id}}/follow-ups/{{follow_up_id}}", response=FollowUpOut)
def follow_up_done(
    request: HttpRequest, member_id: int, follow_up_id: int, payload: FollowUpIn
) -> dict[str, Any]:
    """Record a follow-up; ``still_employed: false`` records the job loss too."""
    require(request, RECORD)
    member = member_in_scope(request.user, member_id)
    follow_up = get_object_or_404(FollowUp, pk=follow_up_id, placement__member=member)
    done = placements.follow_up_record(
        actor=actor_of(request), follow_up=follow_up, today=_today(), **payload.dict()
    )
    return _follow_up(FollowUp.objects.select_related("placement__member__household").get(pk=done.pk))


# -- 8. figures ---------------------------------------------------------------------------------


@router.get(f"{BASE}/units/{{unit_id}}/figures", response=EmploymentFiguresOut)
def unit_figures(
    request: HttpRequest, unit_id: int, as_of: date | None = None, stable_months: int | None = None
) -> dict[str, Any]:
    """Employment and stable employment rates, by destination, channel and station; 零就业家庭;
    fairs, posts and attendees of the year up to ``as_of``."""
    require(request, VIEW)
    unit = unit_in_scope(request.user, unit_id, VIEW)
    day = as_of or _today()
    months = _months(stable_months)
    split = figures.breakdown(unit, day)
    fairs = figures.fair_figures(unit, day.replace(month=1, day=1), day)
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "rates": _rates(figures.unit_rates(unit, day, months)),
        "by_destination": split.by_destination,
        "by_channel": split.by_channel,
        "by_station": split.by_station,
        "zero_employment_households": figures.zero_employment_households(unit, day),
        "fairs": fairs.__dict__,
    }


@router.get(f"{BASE}/units/{{unit_id}}/figures/children", response=list[UnitRatesOut])
def unit_children_rates(
    request: HttpRequest, unit_id: int, as_of: date | None = None, stable_months: int | None = None
) -> list[dict[str, Any]]:
    """The rates of each unit one level down (drill-down)."""
    require(request, VIEW)
    unit = unit_in_scope(request.user, unit_id, VIEW)
    day, months = as_of or _today(), _months(stable_months)
    children: list[Unit] = list(unit.children.order_by("name"))
    return [
        {"unit_id": c.pk, "unit_name": c.name, **_rates(figures.unit_rates(c, day, months))} for c in children
    ]


@router.get(f"{BASE}/units/{{unit_id}}/figures/series", response=list[RatesOut])
def unit_rates_series(
    request: HttpRequest, unit_id: int, months: int = 12, stable_months: int | None = None
) -> list[dict[str, Any]]:
    """Rates at each month's end (from the employment records), the last point today."""
    require(request, VIEW)
    unit = unit_in_scope(request.user, unit_id, VIEW)
    if not 1 <= months <= 36:
        raise invalid("months", months, "应为1到36", "must be from 1 to 36")
    return [_rates(r) for r in figures.series(unit, _today(), months, _months(stable_months))]


@router.get(f"{BASE}/vocabularies", response=dict[str, list[dict[str, str]]])
def vocabularies(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    """The codes with Chinese and English labels that forms offer: job types, places,
    constraints and the work locations (务工所在地) of enterprises and jobs."""
    locations = [(v, label) for v, label in WorkLocation.choices if v]
    return {
        "job_types": _vocabulary(JobType.choices, JOB_TYPE_EN),
        "places": _vocabulary(Place.choices, PLACE_EN),
        "constraints": _vocabulary(Constraint.choices, CONSTRAINT_EN),
        "work_locations": _vocabulary(locations, WORK_LOCATION_EN),
    }


def _vocabulary(choices: list[tuple[str, str]], english: dict[Any, str]) -> list[dict[str, str]]:
    return [{"code": str(v), "label": str(label), "label_en": english[v]} for v, label in choices]


# -- exports ----------------------------------------------------------------------------------


class EmploymentExportIn(StrictIn):
    what: str
    campaign_id: int | None = None
    open_only: bool = True


class EmploymentExportOut(Schema):
    job_id: int
    status: str
    message: str
    url: str


@router.post(f"{BASE}/units/{{unit_id}}/exports", response={201: EmploymentExportOut})
def employment_export(
    request: HttpRequest, unit_id: int, payload: EmploymentExportIn
) -> tuple[int, dict[str, Any]]:
    """Excel of 未摸底人员 (a campaign's people not reached under the unit), 岗位清单 or the
    就业情况报告: a background job (masked, audited) whose page shows progress and the file."""
    require(request, Permission.EXPORT)
    unit = unit_in_scope(request.user, unit_id, Permission.EXPORT)
    if payload.what not in EMPLOYMENT_EXPORTS:
        raise invalid(
            "what",
            payload.what,
            "应为 unreached、postings 或 report",
            "must be unreached, postings or report",
        )
    params: dict[str, Any] = {"what": payload.what, "unit_id": unit.pk, "open_only": payload.open_only}
    if payload.what == "unreached":
        if payload.campaign_id is None:
            raise invalid("campaign_id", None, "请选择摸底批次", "choose a survey campaign")
        params["campaign_id"] = _campaign(request, payload.campaign_id).pk
    job = export_start(kind=EMPLOYMENT_EXPORT, actor=actor_of(request), params=params)
    url = f"/transfer/jobs/{job.pk}/"
    return 201, {"job_id": job.pk, "status": job.status, "message": job.message, "url": url}
