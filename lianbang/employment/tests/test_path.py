"""One worker's path: wish → order-based training → transport → a stable job; job changes
and losses reach the registry and the light."""

from __future__ import annotations

from datetime import date

import pytest

from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.employment.figures import series, unit_rates
from lianbang.employment.models import FollowUp, Placement
from lianbang.employment.selectors import person_path
from lianbang.employment.services.jobs import is_workshop, workshop_workers
from lianbang.employment.services.placements import Job, follow_up_record, job_loss_record, placement_start
from lianbang.employment.services.training import (
    CourseData,
    attendance_record,
    course_create,
    enrolment_add,
    enrolment_complete,
)
from lianbang.employment.services.transport import arrival_confirm, batch_create, passengers_add
from lianbang.employment.services.wishes import WishData, wish_record
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import D, Family, People, save_family
from lianbang.monitoring.engine import household_evaluate
from lianbang.registry.models import Event, Member


def _walk_the_path(tree: Tree, family: Family, people: People) -> Placement:
    worker, spouse = people.grid_worker, family.spouse
    wish_record(
        actor=worker,
        member=spouse,
        data=WishData(job_types=["电子装配"], places=["广东服务站"], wants_training=True, min_wage=3500),
        today=date(2026, 1, 10),
    )
    factory = factories.enterprise(
        tree.district,
        name="东莞华兴电子有限公司",
        work_location="out_of_province",
        station="station_guangdong",
    )
    data = CourseData("电子装配订单班", "electronics", 30, date(2026, 1, 15), date(2026, 2, 15), 10)
    course = course_create(actor=people.street, unit=tree.street, enterprise=factory, data=data)
    enrolment_add(actor=worker, course=course, member=spouse, today=date(2026, 1, 12))
    for day in range(16, 25):
        attendance_record(actor=worker, course=course, day=date(2026, 1, day), members=[spouse])
    enrolment = course.enrolments.get(member=spouse)
    enrolment_complete(actor=worker, enrolment=enrolment, certificate_no="DZ-2026-0001", on=date(2026, 2, 15))
    batch = batch_create(
        actor=people.street,
        unit=tree.street,
        departs_on=date(2026, 2, 20),
        vehicle="云A·D8888",
        enterprise=factory,
        course=course,
    )
    passengers_add(actor=worker, batch=batch, members=[spouse])
    arrival_confirm(
        actor=people.street,
        batch=batch,
        arrived_on=date(2026, 2, 22),
        arrived=[spouse],
        today=date(2026, 2, 22),
    )
    return Placement.objects.get(member=spouse)


def test_a_worker_goes_from_wish_to_training_to_transport_to_a_stable_job(
    tree: Tree, family: Family, people: People
) -> None:
    placement = _walk_the_path(tree, family, people)
    spouse = Member.objects.get(pk=family.spouse.pk)
    assert (spouse.work_location, spouse.employer, spouse.employed_since) == (
        "out_of_province",
        "东莞华兴电子有限公司",
        date(2026, 2, 22),
    )
    assert (placement.source, placement.course is not None, placement.batch is not None) == (
        "transport",
        True,
        True,
    )
    assert placement.station == "station_guangdong" and placement.channel == "劳务输出"
    assert [f.due_on for f in FollowUp.objects.filter(placement=placement).order_by("due_on")] == [
        date(2026, month, 22) for month in range(3, 9)
    ]
    path = person_path(spouse, D)
    assert path.stable and path.stable_since == date(2026, 2, 22)
    assert path.enrolments[0]["certificate_no"] == "DZ-2026-0001" and path.transport[0]["arrived"] is True
    assert unit_rates(tree.district, D).stable == 2  # the head (since 2024) and now the spouse


def test_attendance_below_80_percent_does_not_complete_a_course(
    tree: Tree, family: Family, people: People
) -> None:
    factory = factories.enterprise(tree.district)
    course = course_create(
        actor=people.street,
        unit=tree.street,
        enterprise=factory,
        data=CourseData("订单班", "factory", 5, date(2026, 1, 1), date(2026, 1, 31), 10),
    )
    enrolment = enrolment_add(
        actor=people.grid_worker, course=course, member=family.spouse, today=date(2026, 1, 1)
    )
    for day in range(1, 8):
        attendance_record(
            actor=people.grid_worker, course=course, day=date(2026, 1, day), members=[family.spouse]
        )
    with pytest.raises(ApplicationError) as short:
        enrolment_complete(
            actor=people.grid_worker, enrolment=enrolment, certificate_no="", on=date(2026, 1, 31)
        )
    assert short.value.message == "出勤7次，结业至少需8次"


def test_the_series_shows_the_worker_employed_from_the_arrival_month(
    tree: Tree, family: Family, people: People
) -> None:
    _walk_the_path(tree, family, people)
    factories.placement(
        family.head,
        work_location="in_province",
        started_on=date(2024, 1, 1),
        continuous_since=date(2024, 1, 1),
    )
    points = {p.as_of: p for p in series(tree.district, D, 12)}
    assert points[date(2026, 1, 31)].employed == 1 and points[date(2026, 2, 28)].employed == 2
    assert points[date(2026, 8, 31)].stable == 2 and points[date(2026, 7, 31)].stable == 1
    assert points[D].employed == unit_rates(tree.district, D).employed


def test_a_job_change_without_a_gap_keeps_the_worker_stable(
    tree: Tree, family: Family, people: People
) -> None:
    job = Job("安宁鑫达物流有限公司", "县外省内", date(2026, 10, 1), "change")
    placement = placement_start(actor=people.grid_worker, member=family.head, job=job, today=D)
    assert placement.continuous_since == date(2024, 1, 1)
    head = Member.objects.get(pk=family.head.pk)
    assert (head.employer, head.employed_since) == ("安宁鑫达物流有限公司", date(2024, 1, 1))
    assert Placement.objects.get(member=family.head, ended_on__isnull=False).end_reason == "change"
    assert unit_rates(tree.district, D).stable == 1


def test_a_job_loss_turns_the_household_yellow(tree: Tree, family: Family, people: People) -> None:
    assert household_evaluate(household_id=family.household.pk, cause="test", as_of=D).color == "green"  # type: ignore[union-attr]
    job_loss_record(actor=people.grid_worker, member=family.head, lost_on=date(2026, 11, 20), today=D)
    head = Member.objects.get(pk=family.head.pk)
    assert head.work_location == "" and head.employed_since is None
    assert Event.objects.filter(member=head, type="job_loss", date=date(2026, 11, 20)).exists()
    light = household_evaluate(household_id=family.household.pk, cause="test", as_of=D)
    assert light is not None and light.color == "yellow" and "Y_JOB_LOSS" in light.rules


def test_a_follow_up_that_finds_the_job_lost_records_the_loss(
    tree: Tree, family: Family, people: People
) -> None:
    placement = _walk_the_path(tree, family, people)
    first = FollowUp.objects.filter(placement=placement).order_by("due_on").first()
    assert first is not None
    follow_up_record(
        actor=people.grid_worker,
        follow_up=first,
        done_on=date(2026, 3, 22),
        method="phone",
        still_employed=False,
        lost_on=date(2026, 3, 20),
        care_note="孩子由爷爷照看",
        today=D,
    )
    placement.refresh_from_db()
    assert (placement.ended_on, placement.end_reason) == (date(2026, 3, 20), "loss")
    assert FollowUp.objects.filter(placement=placement).count() == 1  # later calls cancelled
    assert Member.objects.get(pk=family.spouse.pk).work_location == ""


def test_a_workshop_is_checked_against_five_workers_from_helped_households(
    tree: Tree, people: People
) -> None:
    workshop = factories.enterprise(tree.district, work_location="in_township", declared_workshop=True)
    for n in range(2):
        household = save_family(tree, f"530113-92000{n}", f"40{n}")
        for person in household.household.members.filter(relation__in=["spouse", "son"]):
            job = Job(workshop.name, "乡镇内", date(2026, 6, 1), "registry", enterprise=workshop)
            placement_start(actor=people.grid_worker, member=person, job=job, today=D)
    assert workshop_workers(workshop) == 4 and not is_workshop(workshop)
    fifth = save_family(tree, "530113-920009", "409").spouse
    placement_start(
        actor=people.grid_worker,
        member=fifth,
        job=Job(workshop.name, "乡镇内", date(2026, 6, 1), "registry", enterprise=workshop),
        today=D,
    )
    assert is_workshop(workshop)
