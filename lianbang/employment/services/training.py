"""订单培训送技能: courses an employer orders and commits to hire from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from lianbang.common.errors import ApplicationError, invalid
from lianbang.employment import vocab
from lianbang.employment.labour import labour_q
from lianbang.employment.models import Attendance, Course, Enrolment, Enterprise, JobPosting, Placement
from lianbang.employment.services.common import audit, one_code, required_text
from lianbang.employment.services.jobs import channel_for
from lianbang.employment.services.placements import Job, placement_start
from lianbang.org.models import Unit
from lianbang.registry.models import Member

#: A course is completed with at least this share of its sessions attended.
COMPLETION_ATTENDANCE = 0.8


@dataclass
class CourseData:
    name: str
    job_type: str
    committed_hires: int
    starts_on: date
    ends_on: date
    sessions: int


@transaction.atomic
def course_create(
    *, actor: Any, unit: Unit, enterprise: Enterprise, data: CourseData, posting: JobPosting | None = None
) -> Course:
    if data.starts_on > data.ends_on:
        raise invalid(
            "ends_on",
            data.ends_on.isoformat(),
            "结业日期不能早于开班日期",
            "the course ends before it starts",
        )
    if not 1 <= data.sessions <= 1000 or not 0 <= data.committed_hires <= 10000:
        raise invalid(
            "sessions",
            data.sessions,
            "课时应为1到1000，承诺录用人数0到10000",
            "sessions 1–1000, hires 0–10,000",
        )
    course = Course.objects.create(
        name=required_text("name", data.name, "课程名称", 100),
        unit=unit,
        enterprise=enterprise,
        posting=posting,
        job_type=one_code("job_type", data.job_type, vocab.JobType, "培训工种"),
        committed_hires=data.committed_hires,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        sessions=data.sessions,
    )
    audit(actor, "course_create", course, {"name": course.name, "enterprise": enterprise.pk})
    return course


@transaction.atomic
def enrolment_add(*, actor: Any, course: Course, member: Member, today: date) -> Enrolment:
    if course.ends_on < today:
        raise invalid("course_id", course.pk, "该课程已结业，不能报名", "the course has ended")
    if not Member.objects.filter(labour_q(today), pk=member.pk).exists():
        raise invalid("member_id", member.pk, f"「{member.name}」不是劳动力", "not a labour member")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(course=course, member=member)
    except IntegrityError as exc:
        raise ApplicationError("duplicate", "已报名该课程", "already enrolled", status=409) from exc
    audit(actor, "enrolment_add", enrolment, {"course": course.pk, "member": member.pk})
    return enrolment


@transaction.atomic
def attendance_record(*, actor: Any, course: Course, day: date, members: list[Member]) -> int:
    """Who came to one session; returns how many attendances were new."""
    if not course.starts_on <= day <= course.ends_on:
        raise invalid("day", day.isoformat(), "日期不在课程期间内", "the day is outside the course")
    enrolments = {e.member_id: e for e in course.enrolments.filter(member__in=members)}
    strangers = [m.pk for m in members if m.pk not in enrolments]
    if strangers:
        raise invalid("member_ids", strangers, "名单中有未报名本课程的人", "some people are not enrolled")
    added = 0
    for enrolment in enrolments.values():
        _, created = Attendance.objects.get_or_create(enrolment=enrolment, day=day)
        if created:
            enrolment.attended += 1
            enrolment.save(update_fields=["attended"])
            added += 1
    audit(actor, "attendance", course, {"day": day, "present": sorted(enrolments)})
    return added


@transaction.atomic
def enrolment_complete(*, actor: Any, enrolment: Enrolment, certificate_no: str, on: date) -> Enrolment:
    """结业: enough attendance; the certificate number is kept."""
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    needed = -(-enrolment.course.sessions * 8 // 10)
    if enrolment.status != vocab.EnrolmentStatus.ENROLLED:
        raise invalid("status", enrolment.status, "该学员已结业或退出", "already completed or dropped")
    if enrolment.attended < needed:
        raise invalid(
            "attended",
            enrolment.attended,
            f"出勤{enrolment.attended}次，结业至少需{needed}次",
            f"needs {needed} sessions",
        )
    enrolment.status, enrolment.completed_on = vocab.EnrolmentStatus.COMPLETED, on
    enrolment.certificate_no = certificate_no.strip()[:50]
    enrolment.save(update_fields=["status", "completed_on", "certificate_no"])
    audit(actor, "enrolment_complete", enrolment, {"certificate_no": enrolment.certificate_no})
    return enrolment


@transaction.atomic
def course_hire(*, actor: Any, enrolment: Enrolment, started_on: date, today: date) -> Placement:
    """The ordering employer hires a graduate on the spot (no transport needed)."""
    enrolment = Enrolment.objects.select_related("course__enterprise", "course__posting", "member").get(
        pk=enrolment.pk
    )
    if enrolment.status != vocab.EnrolmentStatus.COMPLETED:
        raise invalid(
            "enrolment", enrolment.pk, "结业后才能录用", "only a graduate can be hired from the course"
        )
    return placement_start(
        actor=actor, member=enrolment.member, job=course_job(enrolment.course, started_on), today=today
    )


def course_job(course: Course, started_on: date, **links: Any) -> Job:
    enterprise = course.enterprise
    posting = course.posting
    location = posting.work_location if posting else enterprise.work_location
    return Job(
        employer=enterprise.name,
        work_location=location,
        started_on=started_on,
        source=vocab.PlacementSource.COURSE,
        enterprise=enterprise,
        station=posting.station if posting else enterprise.station,
        channel=channel_for(enterprise, location),
        monthly_wage=posting.wage_min if posting else None,
        course=course,
        **links,
    )
