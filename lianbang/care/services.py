"""Writes of the care app (三安): each one validated whole, in one transaction, audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lianbang.accounts.masking import age_on
from lianbang.accounts.models import User
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record
from lianbang.care.checks import Problems
from lianbang.care.conf import visit_days
from lianbang.care.models import (
    HOUSEHOLD_TITLES,
    Activity,
    ActivityKind,
    CareVisit,
    ChildAid,
    ChildCare,
    CounsellingAppointment,
    DoorstepJob,
    ElderReason,
    FamilyCall,
    Participation,
    Rating,
    RatingTitle,
    SupportNote,
    VisitSchedule,
    Volunteer,
)
from lianbang.common.errors import ApplicationError
from lianbang.org.models import Building, Unit, path_prefix_q
from lianbang.registry.models import Household, Member

ADULT_AGE = 18
T = TypeVar("T")


def present(value: T | None) -> T:
    """A value the checks above have vouched for (they raise before a missing one gets here)."""
    assert value is not None
    return value


def _audit(actor: User | None, action: str, obj: Any, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=f"care.{type(obj).__name__.lower()}",
        object_id=obj.pk,
        changes={k: v if isinstance(v, (str, int, bool, type(None))) else str(v) for k, v in changes.items()},
    )


# --- Elderly (老有所依) -------------------------------------------------------------------------


@transaction.atomic
def schedule_save(
    *,
    actor: User | None,
    household: Household,
    member_id: Any,
    reason: Any,
    interval_days: int | None = None,
    next_due: date | None = None,
    visitor: User | None = None,
    active: bool = True,
) -> VisitSchedule:
    """Put an elderly person on a visit schedule (or change theirs): one active schedule each."""
    problems = Problems()
    member = problems.member(household, member_id)
    code = problems.choice(ElderReason, reason, "reason")
    days = interval_days if interval_days is not None else visit_days(code)
    if not 1 <= days <= 365:
        problems.add("interval_days", interval_days, "走访间隔应为1到365天", "an interval of 1–365 days")
    problems.raise_any()
    assert member is not None
    schedule = VisitSchedule.objects.select_for_update().filter(member=member, active=True).first()
    creating = schedule is None
    schedule = schedule or VisitSchedule(
        household=household, member=member, region_code=household.region_code
    )
    schedule.reason, schedule.interval_days, schedule.visitor, schedule.active = code, days, visitor, active
    schedule.next_due = next_due or schedule.next_due or timezone.localdate()
    schedule.save()
    _audit(actor, Action.CREATE if creating else Action.UPDATE, schedule, reason=code, interval_days=days)
    return schedule


@transaction.atomic
def care_visit_record(
    *,
    actor: User | None,
    household: Household,
    member_id: Any,
    visited_at: datetime,
    all_well: bool = True,
    health_note: Any = "",
    help_given: Any = "",
) -> CareVisit:
    """A visit to an elderly person; the person's schedule moves on from the visit's day."""
    problems = Problems()
    member = problems.member(household, member_id)
    problems.not_future(visited_at, "visited_at")
    health = problems.text(health_note, "health_note", 500)
    helped = problems.text(help_given, "help_given", 500)
    problems.raise_any()
    schedule = VisitSchedule.objects.select_for_update().filter(member=member, active=True).first()
    visit = CareVisit.objects.create(
        schedule=schedule,
        household=household,
        member=present(member),
        visited_at=visited_at,
        visitor=actor,
        all_well=all_well,
        health_note=health,
        help_given=helped,
        region_code=household.region_code,
    )
    if schedule is not None and (schedule.last_visited_at is None or visited_at >= schedule.last_visited_at):
        schedule.last_visited_at = visited_at
        schedule.next_due = timezone.localdate(visited_at) + timedelta(days=schedule.interval_days)
        schedule.save(update_fields=["last_visited_at", "next_due"])
    _audit(actor, Action.CREATE, visit, household=household.household_no, all_well=all_well)
    return visit


@transaction.atomic
def support_note_record(
    *, actor: User | None, household: Household, member_id: Any, held_on: date, note: Any
) -> SupportNote:
    """心理疏导 after a talk with someone (sensitive: the note is masked in every answer)."""
    problems = Problems()
    member = problems.member(household, member_id)
    text = problems.text(note, "note", 1000, required=True)
    problems.raise_any()
    row = SupportNote.objects.create(
        household=household,
        member=present(member),
        held_on=held_on,
        note=text,
        author=actor,
        region_code=household.region_code,
    )
    _audit(actor, Action.CREATE, row, household=household.household_no)
    return row


# --- Middle-aged (中有所业) ---------------------------------------------------------------------


@transaction.atomic
def family_call_arrange(
    *,
    actor: User | None,
    household: Household,
    worker_id: Any,
    scheduled_at: datetime,
    family_member_id: Any = None,
    kind: Any = "video",
    note: Any = "",
) -> FamilyCall:
    """亲情连线 between a member working away from home and the family."""
    problems = Problems()
    worker = problems.member(household, worker_id, "worker_id")
    if worker is not None and not worker.work_location:
        problems.add(
            "worker_id", worker_id, "该成员未登记外出务工", "this member is not recorded as working away"
        )
    family = (
        None if family_member_id is None else problems.member(household, family_member_id, "family_member_id")
    )
    code = problems.choice(FamilyCall.Kind, kind, "kind")
    text = problems.text(note, "note", 500)
    problems.raise_any()
    call = FamilyCall.objects.create(
        household=household,
        worker=present(worker),
        family_member=family,
        kind=code,
        scheduled_at=scheduled_at,
        note=text,
        arranged_by=actor,
        region_code=household.region_code,
    )
    _audit(actor, Action.CREATE, call, household=household.household_no, scheduled_at=scheduled_at)
    return call


@transaction.atomic
def family_call_done(
    *, actor: User | None, call: FamilyCall, done_at: datetime, note: Any = ""
) -> FamilyCall:
    problems = Problems()
    problems.not_future(done_at, "done_at")
    text = problems.text(note, "note", 500)
    problems.raise_any()
    if call.done_at is not None:
        raise ApplicationError(
            "conflict", "该连线已登记完成", "this call is already recorded as done", status=409
        )
    call.done_at, call.note = done_at, text or call.note
    call.save(update_fields=["done_at", "note"])
    _audit(actor, Action.UPDATE, call, done_at=done_at)
    return call


@transaction.atomic
def doorstep_job_record(
    *,
    actor: User | None,
    household: Household,
    member_id: Any,
    kind: Any,
    employer: Any,
    started_on: date,
    ended_on: date | None = None,
    monthly_income: Any = None,
) -> DoorstepJob:
    """家门口就业: a job in a 帮扶车间, in e-commerce … for someone who stays at home."""
    problems = Problems()
    member = problems.member(household, member_id)
    code = problems.choice(DoorstepJob.Kind, kind, "kind")
    name = problems.text(employer, "employer", 150, required=True)
    income = problems.amount(monthly_income, "monthly_income", optional=True)
    problems.day_range(started_on, ended_on, "ended_on")
    problems.raise_any()
    job = DoorstepJob.objects.create(
        household=household,
        member=present(member),
        kind=code,
        employer=name,
        started_on=started_on,
        ended_on=ended_on,
        monthly_income=income,
        region_code=household.region_code,
    )
    _audit(actor, Action.CREATE, job, household=household.household_no, kind=code)
    return job


# --- Youth and children (青有所学、幼有所托) -------------------------------------------------------


def volunteers_serving(unit: Unit) -> Any:
    """Volunteers who may serve ``unit``: those of the unit, of a unit above it or below it."""
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return Volunteer.objects.filter(
        Q(unit_id__in=ancestors) | path_prefix_q(unit.path, "unit__path"), active=True
    )


@transaction.atomic
def child_pair(
    *,
    actor: User | None,
    household: Household,
    child_id: Any,
    kind: Any,
    guardian_name: Any,
    started_on: date,
    guardian_relation: Any = "",
    guardian_phone: Any = "",
    volunteer_ids: list[int] | None = None,
) -> ChildCare:
    """Pair a 留守儿童 / 事实无人抚养儿童 with a responsible adult and volunteers."""
    problems = Problems()
    child = problems.member(household, child_id, "child_id")
    if child is not None and age_on(child.birth_date, timezone.localdate()) >= ADULT_AGE:
        problems.add("child_id", child_id, "该成员已成年", "this member is not a child")
    code = problems.choice(ChildCare.Kind, kind, "kind")
    name = problems.text(guardian_name, "guardian_name", 50, required=True)
    relation = problems.text(guardian_relation, "guardian_relation", 30)
    phone = problems.phone(guardian_phone, "guardian_phone")
    volunteers = _volunteers(household, volunteer_ids or [], problems)
    problems.raise_any()
    if ChildCare.objects.filter(child=child, active=True).exists():
        raise ApplicationError(
            "conflict", "该儿童已有有效的关爱结对", "this child is already paired", status=409
        )
    care = ChildCare.objects.create(
        household=household,
        child=present(child),
        kind=code,
        guardian_name=name,
        guardian_relation=relation,
        guardian_phone=phone,
        started_on=started_on,
        region_code=household.region_code,
    )
    care.volunteers.set(volunteers)
    _audit(actor, Action.CREATE, care, household=household.household_no, kind=code)
    return care


def _volunteers(household: Household, ids: list[int], problems: Problems) -> list[Volunteer]:
    found = {v.pk: v for v in volunteers_serving(household.unit).filter(pk__in=ids)}
    for i, pk in enumerate(ids):
        if pk not in found:
            problems.add(
                f"volunteer_ids[{i}]", pk, "不是本辖区的志愿者", "not a volunteer serving this household"
            )
    return list(found.values())


@transaction.atomic
def child_aid_grant(
    *, actor: User | None, care: ChildCare, kind: Any, amount: Any, granted_on: date, funder: Any = ""
) -> ChildAid:
    """Aid granted to a paired child (sensitive: amounts are masked in every answer)."""
    problems = Problems()
    project = problems.text(kind, "kind", 50, required=True)
    money = problems.amount(amount, "amount", positive=True)
    source = problems.text(funder, "funder", 100)
    problems.raise_any()
    aid = ChildAid.objects.create(
        care=care,
        kind=project,
        amount=money,
        granted_on=granted_on,
        funder=source,
        recorded_by=actor,
        region_code=care.region_code,
    )
    _audit(actor, Action.CREATE, aid, household=care.household.household_no, kind=project)
    return aid


@transaction.atomic
def counselling_book(
    *,
    actor: User | None,
    household: Household,
    member_id: Any,
    scheduled_at: datetime,
    counsellor: Any,
    topic: Any,
    status: Any = "booked",
    note: Any = "",
) -> CounsellingAppointment:
    """青少年心理辅导站 appointment (sensitive; minors' rules)."""
    problems = Problems()
    member = problems.member(household, member_id)
    who = problems.text(counsellor, "counsellor", 50, required=True)
    about = problems.text(topic, "topic", 200, required=True)
    code = problems.choice(CounsellingAppointment.Status, status, "status")
    text = problems.text(note, "note", 1000)
    problems.raise_any()
    row = CounsellingAppointment.objects.create(
        household=household,
        member=present(member),
        scheduled_at=scheduled_at,
        counsellor=who,
        topic=about,
        status=code,
        note=text,
        booked_by=actor,
        region_code=household.region_code,
    )
    _audit(actor, Action.CREATE, row, household=household.household_no)
    return row


@transaction.atomic
def volunteer_register(
    *,
    actor: User | None,
    unit: Unit,
    name: Any,
    joined_on: date,
    phone: Any = "",
    skills: list[str] | None = None,
    hours_before: Any = 0,
) -> Volunteer:
    problems = Problems()
    who = problems.text(name, "name", 50, required=True)
    number = problems.phone(phone, "phone")
    cleaned = [problems.text(s, f"skills[{i}]", 30, required=True) for i, s in enumerate(skills or [])]
    hours = problems.amount(hours_before, "hours_before")
    problems.raise_any()
    volunteer = Volunteer.objects.create(
        unit=unit,
        name=who,
        phone=number,
        skills=cleaned,
        hours_before=hours or 0,
        joined_on=joined_on,
        region_code=unit.region_code,
    )
    _audit(actor, Action.CREATE, volunteer, unit=unit.name)
    return volunteer


@transaction.atomic
def activity_record(
    *,
    actor: User | None,
    unit: Unit,
    kind: Any,
    title: Any,
    held_on: date,
    place: Any = "",
    description: Any = "",
    participants: list[dict[str, Any]] | None = None,
) -> Activity:
    """An activity (邻里认亲, 妇女之家, 快乐小屋, 夏令营 …) with its participants and attendance.

    Residents must live in the unit's subtree; volunteers must serve the unit."""
    problems = Problems()
    code = problems.choice(ActivityKind, kind, "kind")
    name = problems.text(title, "title", 100, required=True)
    where = problems.text(place, "place", 100)
    what = problems.text(description, "description", 1000)
    rows = [_participant(unit, p, f"participants[{i}]", problems) for i, p in enumerate(participants or [])]
    problems.raise_any()
    activity = Activity.objects.create(
        unit=unit,
        kind=code,
        title=name,
        held_on=held_on,
        place=where,
        description=what,
        organiser=actor,
        region_code=unit.region_code,
    )
    try:
        with transaction.atomic():
            Participation.objects.bulk_create([Participation(activity=activity, **row) for row in rows])
    except IntegrityError as exc:
        raise ApplicationError(
            "invalid",
            "同一人不能重复登记",
            "a participant is listed twice",
        ) from exc
    _audit(actor, Action.CREATE, activity, unit=unit.name, participants=len(rows))
    return activity


def _participant(unit: Unit, raw: dict[str, Any], path: str, problems: Problems) -> dict[str, Any]:
    member_id, volunteer_id = raw.get("member_id"), raw.get("volunteer_id")
    row: dict[str, Any] = {"attended": bool(raw.get("attended", True))}
    hours = problems.amount(raw.get("hours", 0), f"{path}.hours")
    row["hours"] = hours or 0
    if (member_id is None) == (volunteer_id is None):
        problems.add(path, None, "应填写成员或志愿者之一", "give member_id or volunteer_id, not both")
    elif member_id is not None:
        member = (
            Member.objects.filter(
                path_prefix_q(unit.path, "household__unit__path"), pk=member_id, status="active"
            ).first()
            if isinstance(member_id, int)
            else None
        )
        if member is None:
            problems.add(f"{path}.member_id", member_id, "不是本辖区在册居民", "not a resident of this unit")
        row["member"] = member
    else:
        volunteer = (
            volunteers_serving(unit).filter(pk=volunteer_id).first()
            if isinstance(volunteer_id, int)
            else None
        )
        if volunteer is None:
            problems.add(
                f"{path}.volunteer_id", volunteer_id, "不是本辖区的志愿者", "not a volunteer of this unit"
            )
        row["volunteer"] = volunteer
    return row


# --- Ratings (评星评优, 五好楼栋) ------------------------------------------------------------------


def _year(problems: Problems, year: Any) -> int:
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        problems.add("year", year, f"年度应为2000到{this_year + 1}", f"a year from 2000 to {this_year + 1}")
        return 0
    return year


def _criteria(problems: Problems, criteria: Any) -> dict[str, bool]:
    if not isinstance(criteria, dict) or not criteria:
        problems.add(
            "criteria", criteria, "应列出各项评定标准及是否达到", "list each criterion and whether it is met"
        )
        return {}
    cleaned: dict[str, bool] = {}
    for key, met in criteria.items():
        if not isinstance(met, bool) or not 0 < len(str(key)) <= 50:
            problems.add(
                f"criteria.{key}", met, "每项标准应为 true 或 false", "each criterion is true or false"
            )
        cleaned[str(key)] = bool(met)
    return cleaned


@transaction.atomic
def rating_propose(
    *,
    actor: User | None,
    year: Any,
    title: Any,
    criteria: Any,
    household: Household | None = None,
    building: Building | None = None,
) -> Rating:
    """Propose a household (五星家庭 …) or a building (五好楼栋) for a yearly rating."""
    problems = Problems()
    code = problems.choice(RatingTitle, title, "title")
    if code and (code in HOUSEHOLD_TITLES) != (household is not None):
        problems.add(
            "title",
            title,
            "家庭称号只评家庭，五好楼栋只评楼栋",
            "family titles rate households; 五好楼栋 rates buildings",
        )
    the_year = _year(problems, year)
    met = _criteria(problems, criteria)
    problems.raise_any()
    unit = household.unit if household is not None else building.branch  # type: ignore[union-attr]
    subject = Q(household=household) if household is not None else Q(building=building)
    if Rating.objects.filter(subject, year=the_year, title=code).exists():
        raise ApplicationError(
            "conflict", "本年度已申报该称号", "already proposed for this title this year", status=409
        )
    rating = Rating.objects.create(
        household=household,
        building=building,
        unit=unit,
        year=the_year,
        title=code,
        criteria=met,
        proposed_by=actor,
        proposed_at=timezone.now(),
        region_code=unit.region_code,
    )
    _audit(actor, Action.CREATE, rating, title=code, year=the_year)
    return rating


@transaction.atomic
def rating_decide(*, actor: User | None, rating: Rating, approve: bool, note: Any = "") -> Rating:
    """Approve or reject a proposal; whoever proposed it may not decide it."""
    problems = Problems()
    text = problems.text(note, "note", 300, required=not approve)
    problems.raise_any()
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.status != Rating.Status.PROPOSED:
        raise ApplicationError("conflict", "该申报已审核", "this proposal has been decided", status=409)
    if actor is not None and rating.proposed_by_id == actor.pk:
        raise ApplicationError(
            "own_proposal", "不能审核本人的申报", "you cannot decide your own proposal", status=403
        )
    rating.status = Rating.Status.APPROVED if approve else Rating.Status.REJECTED
    rating.decided_by, rating.decided_at, rating.decision_note = actor, timezone.now(), text
    rating.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _audit(actor, Action.UPDATE, rating, status=rating.status)
    return rating
