"""Jobs held (就业记录): a start, a change, a loss; each one also updates the registry.

The registry keeps the member's current job (what monitoring judges): every change here goes
through ``registry.services.member_update`` and ``event_record``, so the household is re-judged
in the same transaction (a job loss of the only worker turns it yellow, Y_JOB_LOSS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from lianbang.cases.services.matters import dispute_register
from lianbang.common.errors import invalid
from lianbang.employment import vocab
from lianbang.employment.labour import months_before
from lianbang.employment.models import (
    Course,
    Enterprise,
    FollowUp,
    Placement,
    Referral,
    RightsCase,
    TransportBatch,
)
from lianbang.employment.services.common import audit, one_code, required_text
from lianbang.registry.models import Member
from lianbang.registry.services import event_record, member_update
from lianbang.registry.vocab import WorkLocation

#: 保姆服务: people working away are followed up monthly for this many months.
FOLLOW_UP_MONTHS = 6
AWAY = frozenset({WorkLocation.IN_PROVINCE.value, WorkLocation.OUT_OF_PROVINCE.value})


@dataclass(frozen=True)
class Job:
    """What someone starts: the employer and where, how found, for how much."""

    employer: str
    work_location: str
    started_on: date
    source: str
    enterprise: Enterprise | None = None
    station: str = ""
    channel: str = ""
    monthly_wage: Decimal | None = None
    referral: Referral | None = None
    course: Course | None = None
    batch: TransportBatch | None = None


def current_placement(member: Member) -> Placement | None:
    """The open employment record; one is made from the registry's job if there is none yet."""
    found = Placement.objects.filter(member=member, ended_on__isnull=True).first()
    if found is not None or not member.work_location or member.employed_since is None:
        return found
    return Placement.objects.create(
        member=member,
        household=member.household,
        employer=member.employer or "（台账登记）",
        work_location=member.work_location,
        channel=member.employment_channel,
        monthly_wage=member.monthly_wage,
        source=vocab.PlacementSource.REGISTRY,
        started_on=member.employed_since,
        continuous_since=member.employed_since,
        region_code=member.region_code,
    )


@transaction.atomic
def placement_start(*, actor: Any, member: Member, job: Job, today: date) -> Placement:
    """Someone starts a job: a previous job ends the day before (a change: continuity kept);
    the registry gets the new job; people working away get their monthly follow-ups."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    job = _checked(job, member, today)
    previous = current_placement(member)
    continuous = job.started_on
    if previous is not None:
        if previous.started_on >= job.started_on:
            raise invalid(
                "started_on",
                job.started_on.isoformat(),
                f"新工作的上岗日期须晚于现工作的上岗日期（{previous.started_on}）",
                "the new job must start after the current one",
            )
        _end(previous, job.started_on, vocab.PlacementEnd.CHANGE)
        continuous = previous.continuous_since
    placement = Placement.objects.create(
        member=member,
        household=member.household,
        enterprise=job.enterprise,
        employer=job.employer,
        work_location=job.work_location,
        station=job.station,
        channel=job.channel,
        monthly_wage=job.monthly_wage,
        source=job.source,
        started_on=job.started_on,
        continuous_since=continuous,
        referral=job.referral,
        course=job.course,
        batch=job.batch,
        region_code=member.region_code,
    )
    _registry_employ(member, placement, actor, today)
    _schedule_follow_ups(placement)
    audit(
        actor, "job_start", placement, {"member": member.pk, "employer": job.employer, "source": job.source}
    )
    return placement


def _checked(job: Job, member: Member, today: date) -> Job:
    """The job with its values checked and in their stored form (codes)."""
    employer = required_text("employer", job.employer, "务工企业", 150)
    location = one_code("work_location", job.work_location, WorkLocation, "务工所在地")
    if not location:
        raise invalid("work_location", "", "须填写务工所在地", "a work location is required")
    if job.started_on > today:
        raise invalid(
            "started_on",
            job.started_on.isoformat(),
            "上岗日期不能晚于今天",
            "a job cannot start in the future",
        )
    if member.status != "active":
        raise invalid("member", member.pk, "该成员已不在册", "the member is no longer active")
    return replace(job, employer=employer, work_location=location)


def _end(placement: Placement, on: date, reason: str) -> None:
    placement.ended_on = max(on, placement.started_on)
    placement.end_reason = reason
    placement.save(update_fields=["ended_on", "end_reason"])
    FollowUp.objects.filter(placement=placement, done_on__isnull=True, due_on__gt=placement.ended_on).delete()


def _registry_employ(member: Member, placement: Placement, actor: Any, today: date) -> None:
    # 务工时间 is the start of the unbroken run of work: a change without a gap keeps it.
    job = {
        "location": str(WorkLocation(placement.work_location).label),
        "employer": placement.employer,
        "since": placement.continuous_since.isoformat(),
        "monthly_wage": str(placement.monthly_wage) if placement.monthly_wage is not None else None,
        "channel": placement.channel,
    }
    member_update(member=member, changes={"employment": job}, actor=actor, today=today, source="employment")
    event_record(
        household=member.household,
        data={"type": "job_start", "id_number": member.id_number, "date": placement.started_on.isoformat()},
        actor=actor,
        source="employment",
    )


def _schedule_follow_ups(placement: Placement) -> None:
    if placement.work_location not in AWAY:
        return
    FollowUp.objects.bulk_create(
        FollowUp(placement=placement, due_on=months_before(placement.started_on, -k))
        for k in range(1, FOLLOW_UP_MONTHS + 1)
    )


@transaction.atomic
def job_loss_record(
    *, actor: Any, member: Member, lost_on: date, note: str = "", today: date
) -> Placement | None:
    """失业: the job ends; the registry's employment is cleared and a job_loss event recorded,
    so monitoring re-judges the household (DOMAIN §4 Y_JOB_LOSS)."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    current = current_placement(member)
    if current is None:
        raise invalid(
            "member", member.pk, f"「{member.name}」当前没有就业记录", "the member has no current job"
        )
    if lost_on > today or lost_on < current.started_on:
        raise invalid(
            "lost_on",
            lost_on.isoformat(),
            f"失业日期应在上岗日期（{current.started_on}）和今天之间",
            "the job loss date must be between the job's start and today",
        )
    _end(current, lost_on, vocab.PlacementEnd.LOSS)
    member_update(member=member, changes={"employment": None}, actor=actor, today=today, source="employment")
    event_record(
        household=member.household,
        data={
            "type": "job_loss",
            "id_number": member.id_number,
            "date": lost_on.isoformat(),
            "note": note[:500],
        },
        actor=actor,
        source="employment",
    )
    audit(actor, "job_loss", current, {"member": member.pk, "lost_on": lost_on})
    return current


@transaction.atomic
def follow_up_record(
    *,
    actor: Any,
    follow_up: FollowUp,
    done_on: date,
    method: str,
    still_employed: bool,
    note: str = "",
    care_note: str = "",
    lost_on: date | None = None,
    today: date,
) -> FollowUp:
    """保姆服务: a follow-up call or visit; a lost job (with its date) is recorded as such."""
    follow_up = FollowUp.objects.select_for_update().select_related("placement__member").get(pk=follow_up.pk)
    if follow_up.done_on is not None:
        raise invalid("follow_up", follow_up.pk, "该回访已登记", "this follow-up is already recorded")
    if done_on > today:
        raise invalid(
            "done_on", done_on.isoformat(), "回访日期不能晚于今天", "a follow-up cannot be in the future"
        )
    follow_up.method = one_code("method", method, vocab.FollowUpMethod, "回访方式")
    follow_up.done_on, follow_up.still_employed, follow_up.done_by = done_on, still_employed, actor
    follow_up.note, follow_up.care_note = note[:500], care_note[:300]
    follow_up.save()
    audit(actor, "follow_up", follow_up, {"still_employed": still_employed})
    if not still_employed and follow_up.placement.ended_on is None:
        member = follow_up.placement.member
        job_loss_record(
            actor=actor, member=member, lost_on=lost_on or done_on, note="回访发现失业", today=today
        )
    return follow_up


@transaction.atomic
def rights_case_open(*, actor: Any, member: Member, summary: str, today: date) -> RightsCase:
    """劳动维权: a dispute between the worker and the employer, run by the cases engine."""
    placement = Placement.objects.filter(member=member).order_by("-started_on").first()
    employer = placement.employer if placement else (member.employer or "用人单位")
    case = dispute_register(
        actor=actor,
        category="劳动维权",
        parties=[{"name": member.name, "side": "劳动者"}, {"name": employer, "side": "用人单位"}],
        summary=required_text("summary", summary, "维权诉求", 2000),
        household=member.household,
    )
    link = RightsCase.objects.create(member=member, placement=placement, case=case, opened_on=today)
    audit(actor, "rights_case", link, {"member": member.pk, "case": case.pk})
    return link
