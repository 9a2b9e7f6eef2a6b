"""三门连接快转移: 出家门、上车门、进厂门 — chartered departures to employers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from lianbang.common.errors import invalid
from lianbang.employment import vocab
from lianbang.employment.models import Course, Enrolment, Enterprise, JobPosting, Passenger, TransportBatch
from lianbang.employment.services.common import audit, required_text
from lianbang.employment.services.jobs import channel_for
from lianbang.employment.services.placements import Job, placement_start
from lianbang.org.models import Unit
from lianbang.registry.models import Member


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    unit: Unit,
    departs_on: date,
    vehicle: str,
    enterprise: Enterprise,
    posting: JobPosting | None = None,
    course: Course | None = None,
) -> TransportBatch:
    for linked, name in ((posting, "posting_id"), (course, "course_id")):
        if linked is not None and linked.enterprise_id != enterprise.pk:
            raise invalid(
                name, linked.pk, "岗位或课程不属于目的企业", "the job or course is not the destination's"
            )
    batch = TransportBatch.objects.create(
        unit=unit,
        departs_on=departs_on,
        vehicle=required_text("vehicle", vehicle, "车辆", 50),
        enterprise=enterprise,
        posting=posting,
        course=course,
    )
    audit(actor, "batch_create", batch, {"enterprise": enterprise.pk, "departs_on": departs_on})
    return batch


@transaction.atomic
def passengers_add(*, actor: Any, batch: TransportBatch, members: list[Member]) -> int:
    if batch.status != vocab.BatchStatus.PLANNED:
        raise invalid("batch_id", batch.pk, "该车次已到达，不能再加人", "the batch has already arrived")
    added = 0
    for member in members:
        _, created = Passenger.objects.get_or_create(batch=batch, member=member)
        added += int(created)
    audit(actor, "passengers_add", batch, {"members": [m.pk for m in members]})
    return added


@transaction.atomic
def arrival_confirm(
    *, actor: Any, batch: TransportBatch, arrived_on: date, arrived: list[Member], today: date
) -> list[int]:
    """进厂门: who arrived; each one's employment starts on the arrival day."""
    batch = (
        TransportBatch.objects.select_for_update(of=("self",))
        .select_related("enterprise", "posting", "course")
        .get(pk=batch.pk)
    )
    if batch.status != vocab.BatchStatus.PLANNED:
        raise invalid("batch_id", batch.pk, "该车次已确认到达", "arrival is already confirmed")
    if not batch.departs_on <= arrived_on <= today:
        raise invalid(
            "arrived_on",
            arrived_on.isoformat(),
            "到达日期应在发车日期和今天之间",
            "arrival is between departure and today",
        )
    on_board = {p.member_id: p for p in batch.passengers.select_related("member")}
    strangers = [m.pk for m in arrived if m.pk not in on_board]
    if strangers:
        raise invalid(
            "member_ids", strangers, "名单中有未登记本车次的人", "some people were not on this batch"
        )
    arrived_ids = {m.pk for m in arrived}
    started = []
    for member_id, passenger in sorted(on_board.items()):
        passenger.arrived = member_id in arrived_ids
        passenger.save(update_fields=["arrived"])
        if passenger.arrived:
            placement_start(
                actor=actor,
                member=passenger.member,
                job=_job(batch, passenger.member, arrived_on),
                today=today,
            )
            started.append(member_id)
    batch.status, batch.arrived_on, batch.confirmed_by = vocab.BatchStatus.ARRIVED, arrived_on, actor
    batch.save(update_fields=["status", "arrived_on", "confirmed_by"])
    audit(actor, "arrival_confirm", batch, {"arrived_on": arrived_on, "arrived": started})
    return started


def _job(batch: TransportBatch, member: Member, arrived_on: date) -> Job:
    enterprise, posting = batch.enterprise, batch.posting
    location = posting.work_location if posting else enterprise.work_location
    graduate = (
        batch.course is not None
        and Enrolment.objects.filter(
            course=batch.course, member=member, status=vocab.EnrolmentStatus.COMPLETED
        ).exists()
    )
    return Job(
        employer=enterprise.name,
        work_location=location,
        started_on=arrived_on,
        source=vocab.PlacementSource.TRANSPORT,
        enterprise=enterprise,
        station=posting.station if posting else enterprise.station,
        channel=channel_for(enterprise, location),
        monthly_wage=posting.wage_min if posting else None,
        course=batch.course if graduate else None,
        batch=batch,
    )
