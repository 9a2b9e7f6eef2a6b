"""Demo data for the six steps (演示数据), drawn from the generated district.

The generator already gave every member their job (务工所在地, employer, 务工时间, channel):
the rates come from those rows. This fills in the six steps around them without changing the
registry: enterprises are the employers the district's people work for; each current job gets
its employment record; the employers who hired most this year ordered training courses and
sent coaches (三门连接) for the people they hired; people working away get their monthly
follow-ups; people without work get wishes, matches and referrals; job fairs, a survey
campaign whose first street has closed its loop, and one worker whose whole path — wish,
training, transport, stable job — can be followed in the console. Rows are written in bulk,
like the generator's. Running it again changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.validators import credit_code_check_char
from lianbang.demo.calendar import EVALUATION_DATE
from lianbang.demo.draws import chance, integer, one_of, seeded
from lianbang.employment import vocab
from lianbang.employment.figures import unit_rates
from lianbang.employment.labour import labour_q, months_before, stable_cutoff
from lianbang.employment.matching import match, open_jobs, seekers
from lianbang.employment.models import (
    Attendance,
    Course,
    Enrolment,
    Enterprise,
    FairAttendee,
    FairEnterprise,
    FollowUp,
    JobFair,
    JobPosting,
    Passenger,
    Placement,
    Referral,
    SurveyConfirmation,
    SurveyEntry,
    TransportBatch,
    Wish,
)
from lianbang.employment.services.jobs import place_mask
from lianbang.employment.services.placements import AWAY, FOLLOW_UP_MONTHS
from lianbang.employment.services.survey import LOOP_LEVELS, survey_start
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Event, Member
from lianbang.registry.vocab import WorkLocation

D = EVALUATION_DATE
YEAR_START = date(D.year, 1, 1)
STATION_BY_CITY = {
    "昆明": vocab.Place.KUNMING,
    "东莞": vocab.Place.GUANGDONG,
    "深圳": vocab.Place.GUANGDONG,
    "广州": vocab.Place.GUANGDONG,
    "上海": vocab.Place.SHANGHAI,
    "宁波": vocab.Place.ZHEJIANG,
    "杭州": vocab.Place.ZHEJIANG,
    "温州": vocab.Place.ZHEJIANG,
    "苏州": vocab.Place.JIANGSU,
}
JOB_TYPE_BY_TRADE = {
    "电子": vocab.JobType.ELECTRONICS,
    "服装": vocab.JobType.GARMENT,
    "物流": vocab.JobType.LOGISTICS,
    "建筑": vocab.JobType.CONSTRUCTION,
    "餐饮": vocab.JobType.FOOD,
    "家政": vocab.JobType.CLEANING,
    "保安": vocab.JobType.SECURITY,
    "编织": vocab.JobType.GARMENT,
    "种植": vocab.JobType.AGRICULTURE,
    "养殖": vocab.JobType.AGRICULTURE,
}
SURNAMES = "张王李赵刘陈杨黄周吴"


@dataclass
class Summary:
    enterprises: int = 0
    placements: int = 0
    postings: int = 0
    fairs: int = 0
    courses: int = 0
    batches: int = 0
    wishes: int = 0
    referrals: int = 0
    follow_ups: int = 0
    survey_entries: int = 0
    showcase: str = ""
    rates: list[str] = field(default_factory=list)
    skipped: bool = False

    def text(self) -> str:
        if self.skipped:
            return "就业演示数据已存在，未作改动 (employment demo data already present)"
        return "\n".join(
            [
                f"企业 {self.enterprises}，就业记录 {self.placements}，岗位 {self.postings}，"
                f"招聘会 {self.fairs}，订单培训 {self.courses}，转运车次 {self.batches}，"
                f"就业意愿 {self.wishes}，推荐 {self.referrals}，"
                f"回访 {self.follow_ups}，摸底对象 {self.survey_entries}",
                *self.rates,
                f"一人全程（意愿→培训→转运→稳定就业）：{self.showcase}",
            ]
        )


def demo_employment(*, seed: int = 20261129) -> Summary:
    if Enterprise.objects.exists():
        return Summary(skipped=True)
    district = Unit.objects.filter(parent=None).order_by("pk").first()
    if district is None:
        raise RuntimeError("no district: run `lianbang generate` first")
    with transaction.atomic():
        return _Builder(seed, district).build()


class _Builder:
    def __init__(self, seed: int, district: Unit) -> None:
        self.seed, self.district = seed, district
        self.summary = Summary()
        self.actor = User.objects.filter(username="district").first()
        self.showcase_member_id: int | None = None

    def rng(self, topic: str) -> random.Random:
        return seeded(self.seed, f"employment:{topic}")

    def build(self) -> Summary:
        enterprises = self.enterprises()
        self.placements(enterprises)
        self.lost_jobs()
        orders = self.orders(enterprises)
        self.follow_ups()
        self.postings(list(enterprises.values()))
        self.wishes()
        self.fairs(list(enterprises.values()))
        self.referrals()
        self.showcase(orders)
        self.survey()
        for unit in [self.district, *self.district.children.order_by("name")]:
            r = unit_rates(unit, D)
            self.summary.rates.append(
                f"{unit.name}：劳动力 {r.labour}，就业 {r.employed}（{r.employment_rate}%），"
                f"稳定就业 {r.stable}（{r.stable_rate}%）"
            )
        return self.summary

    # -- enterprises and the jobs people hold ------------------------------------------------

    def enterprises(self) -> dict[str, Enterprise]:
        rng = self.rng("enterprises")
        rows = (
            Member.objects.filter(status="active")
            .exclude(work_location="")
            .exclude(employer__contains="公益性岗位")
            .values_list("employer", "work_location")
        )
        locations: dict[str, Counter[str]] = defaultdict(Counter)
        for employer, location in rows:
            locations[employer][location] += 1
        built = []
        for number, name in enumerate(sorted(locations), start=1):
            location = locations[name].most_common(1)[0][0]
            city = next((c for c in STATION_BY_CITY if name.startswith(c)), "")
            first17 = f"91530113MA{number:07d}"
            built.append(
                Enterprise(
                    name=name,
                    credit_code=first17 + credit_code_check_char(first17),
                    unit=self.district,
                    work_location=location,
                    station=STATION_BY_CITY[city] if city else "",
                    industry=next((t for t in JOB_TYPE_BY_TRADE if t in name), ""),
                    contact_name=one_of(rng, SURNAMES) + one_of(rng, ["经理", "主管", "女士", "先生"]),
                    contact_phone=f"13{integer(rng, 0, 9)}{integer(rng, 10000000, 99999999)}",
                    declared_workshop="帮扶车间" in name,
                )
            )
        Enterprise.objects.bulk_create(built, batch_size=1000)
        self.summary.enterprises = len(built)
        return {e.name: e for e in Enterprise.objects.order_by("pk")}

    def placements(self, enterprises: dict[str, Enterprise]) -> None:
        rows = Member.objects.filter(status="active").exclude(work_location="").exclude(employed_since=None)
        built = [
            Placement(
                member_id=m.pk,
                household_id=m.household_id,
                enterprise=enterprises.get(m.employer),
                employer=m.employer,
                work_location=m.work_location,
                station=enterprises[m.employer].station if m.employer in enterprises else "",
                channel=m.employment_channel,
                monthly_wage=m.monthly_wage,
                source=vocab.PlacementSource.REGISTRY,
                started_on=cast(date, m.employed_since),  # rows without a start are left out
                continuous_since=cast(date, m.employed_since),
                region_code=m.region_code,
            )
            for m in rows.iterator(chunk_size=5000)
        ]
        Placement.objects.bulk_create(built, batch_size=2000)
        self.summary.placements = len(built)

    def lost_jobs(self) -> None:
        """Jobs lost this year (job_loss events) become ended records: the series shows them."""
        rng = self.rng("lost")
        events = Event.objects.filter(type="job_loss", member__isnull=False).select_related("member")
        built = []
        for event in events.order_by("pk"):
            member = event.member
            assert member is not None
            if member.employed_since and member.employed_since <= event.date:
                continue
            start = event.date - timedelta(days=integer(rng, 90, 900))
            built.append(
                Placement(
                    member=member,
                    household_id=event.household_id,
                    employer=member.employer or "（原务工单位）",
                    work_location=one_of(
                        rng, [WorkLocation.IN_PROVINCE.value, WorkLocation.OUT_OF_PROVINCE.value]
                    ),
                    source=vocab.PlacementSource.REGISTRY,
                    started_on=start,
                    continuous_since=start,
                    ended_on=event.date,
                    end_reason=vocab.PlacementEnd.LOSS,
                    region_code=member.region_code,
                )
            )
        Placement.objects.bulk_create(built)
        self.summary.placements += len(built)

    # -- order-based training and transport: the employers who hired most this year ---------

    def orders(self, enterprises: dict[str, Enterprise]) -> list[Course]:
        rng = self.rng("orders")
        recent = Placement.objects.filter(
            ended_on=None, started_on__gte=YEAR_START, enterprise__isnull=False
        ).select_related("enterprise")
        by_enterprise: dict[int, list[Placement]] = defaultdict(list)
        for placement in recent:
            by_enterprise[placement.enterprise_id].append(placement)  # type: ignore[index]
        ordering = sorted(by_enterprise.values(), key=lambda ps: (-len(ps), ps[0].enterprise_id))[:10]
        courses = [self.course(rng, hires) for hires in ordering if len(hires) >= 3]
        self.batches(rng)
        return courses

    def course(self, rng: random.Random, hires: list[Placement]) -> Course:
        enterprise = hires[0].enterprise
        assert enterprise is not None
        first = min(p.started_on for p in hires)
        ends = first - timedelta(days=integer(rng, 3, 10))
        job_type = JOB_TYPE_BY_TRADE.get(enterprise.industry, vocab.JobType.FACTORY)
        course = Course.objects.create(
            name=f"{enterprise.name[:20]}订单班（{vocab.JobType(job_type).label}）",
            unit=self.district,
            enterprise=enterprise,
            job_type=job_type,
            committed_hires=len(hires) + integer(rng, 0, 5),
            starts_on=ends - timedelta(days=integer(rng, 14, 30)),
            ends_on=ends,
            sessions=10,
        )
        for number, placement in enumerate(hires, start=1):
            enrolment = Enrolment.objects.create(
                course=course,
                member_id=placement.member_id,
                status=vocab.EnrolmentStatus.COMPLETED,
                attended=integer(rng, 8, 10),
                certificate_no=f"DC{course.pk:03d}-{number:03d}",
                completed_on=ends,
            )
            self.attend(course, enrolment)
            placement.course, placement.source = course, vocab.PlacementSource.COURSE
            placement.save(update_fields=["course", "source"])
        self.summary.courses += 1
        return course

    def attend(self, course: Course, enrolment: Enrolment) -> None:
        days = [
            course.starts_on + (course.ends_on - course.starts_on) * i // course.sessions for i in range(10)
        ]
        Attendance.objects.bulk_create(
            Attendance(enrolment=enrolment, day=d) for d in days[: enrolment.attended]
        )

    def batches(self, rng: random.Random) -> None:
        """三门连接: a coach for each day an enterprise away took on people from the district."""
        away = Placement.objects.filter(
            ended_on=None, started_on__gte=YEAR_START, work_location__in=AWAY, enterprise__isnull=False
        )
        groups: dict[tuple[int, date], list[Placement]] = defaultdict(list)
        for placement in away.order_by("pk"):
            groups[(placement.enterprise_id, placement.started_on)].append(placement)  # type: ignore[index]
        chosen = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:60]
        for (enterprise_id, arrived), riders in chosen:
            course = riders[0].course if all(r.course_id == riders[0].course_id for r in riders) else None
            batch = TransportBatch.objects.create(
                unit=self.district,
                departs_on=arrived - timedelta(days=1 if riders[0].work_location == "in_province" else 2),
                vehicle=f"云A·{integer(rng, 10000, 99999)}",
                enterprise_id=enterprise_id,
                course=course,
                status=vocab.BatchStatus.ARRIVED,
                arrived_on=arrived,
                confirmed_by=self.actor,
            )
            Passenger.objects.bulk_create(
                Passenger(batch=batch, member_id=r.member_id, arrived=True) for r in riders
            )
            Placement.objects.filter(pk__in=[r.pk for r in riders]).update(
                batch=batch, source=vocab.PlacementSource.TRANSPORT
            )
            self.summary.batches += 1

    # -- 保姆服务 -------------------------------------------------------------------------------

    def follow_ups(self) -> None:
        rng = self.rng("follow_ups")
        since = months_before(D, FOLLOW_UP_MONTHS + 1)
        away = Placement.objects.filter(ended_on=None, work_location__in=AWAY, started_on__gt=since)
        built = []
        for placement in away.order_by("pk"):
            for k in range(1, FOLLOW_UP_MONTHS + 1):
                due = months_before(placement.started_on, -k)
                done = due <= D - timedelta(days=3) and chance(rng, 0.93)
                built.append(
                    FollowUp(
                        placement=placement,
                        due_on=due,
                        done_on=due + timedelta(days=integer(rng, 0, 3)) if done else None,
                        method=one_of(rng, ["phone", "phone", "online", "visit"]) if done else "",
                        still_employed=True if done else None,
                        note="工作稳定，收入按时发放" if done else "",
                        care_note="家中老人由网格员定期探访" if done and chance(rng, 0.2) else "",
                        done_by=self.actor if done else None,
                    )
                )
        FollowUp.objects.bulk_create(built, batch_size=2000)
        self.summary.follow_ups = len(built)

    # -- jobs, wishes, fairs, referrals ---------------------------------------------------------

    def postings(self, enterprises: list[Enterprise]) -> None:
        rng = self.rng("postings")
        built = []
        for enterprise in rng.sample(enterprises, min(150, len(enterprises))):
            location, station = enterprise.work_location, enterprise.station
            low = {"in_township": 2200, "in_county": 2600, "in_province": 3000, "out_of_province": 4000}[
                location
            ]
            low += integer(rng, 0, 8) * 100
            job_type = JOB_TYPE_BY_TRADE.get(enterprise.industry, one_of(rng, vocab.JobType.values))
            built.append(
                JobPosting(
                    enterprise=enterprise,
                    unit=self.district,
                    title=f"{vocab.JobType(job_type).label}",
                    job_type=job_type,
                    headcount=integer(rng, 3, 60),
                    wage_min=Decimal(low),
                    wage_max=Decimal(low + integer(rng, 5, 25) * 100),
                    work_location=location,
                    station=station,
                    place_mask=place_mask(location, station),
                    age_min=integer(rng, 16, 20),
                    age_max=one_of(rng, [40, 45, 50, 55, 60]),
                    requires_skilled=chance(rng, 0.15),
                    night_shifts=location == "out_of_province" and chance(rng, 0.5),
                    deadline=D + timedelta(days=integer(rng, 10, 90))
                    if chance(rng, 0.8)
                    else D - timedelta(days=integer(rng, 5, 120)),
                    accommodation=location in AWAY,
                    transport=location in AWAY and chance(rng, 0.7),
                )
            )
        JobPosting.objects.bulk_create(built)
        self.summary.postings = len(built)

    def wishes(self) -> None:
        rng = self.rng("wishes")
        labour = Member.objects.filter(labour_q(D)).select_related("household")
        built = []
        for member in labour.filter(work_location="").order_by("pk"):
            if chance(rng, 0.88):
                built.append(self.wish(rng, member, seeking=chance(rng, 0.85)))
        for member in labour.exclude(work_location="").order_by("pk"):
            if chance(rng, 0.04):
                built.append(self.wish(rng, member, seeking=True))
        Wish.objects.bulk_create(built, batch_size=2000)
        self.summary.wishes = len(built)

    def wish(self, rng: random.Random, member: Member, *, seeking: bool) -> Wish:
        age = member.age_on(D)
        limits = []
        if member.sex == "F" and 22 <= age <= 45 and chance(rng, 0.45):
            limits.append(vocab.Constraint.CHILDREN)
        if age >= 40 and chance(rng, 0.15):
            limits.append(vocab.Constraint.ELDERLY)
        if member.health != "healthy" or member.labor_skill == "weak":
            limits.append(vocab.Constraint.HEALTH)
        near = bool(set(limits) & vocab.CARER_CONSTRAINTS) or age >= 50
        places = [vocab.Place.IN_COUNTY] if near else rng.sample(list(vocab.Place), integer(rng, 1, 3))
        types = rng.sample(vocab.JobType.values, integer(rng, 1, 3))
        training = chance(rng, 0.4)
        return Wish(
            member=member,
            seeking=seeking,
            job_types_mask=vocab.mask_of(vocab.JobType, types),
            places_mask=vocab.mask_of(vocab.Place, [str(p) for p in places]),
            min_wage=Decimal(integer(rng, 20, 50) * 100) if chance(rng, 0.8) else None,
            wants_training=training,
            training_types_mask=vocab.mask_of(vocab.JobType, types[:1]) if training else 0,
            constraints_mask=vocab.mask_of(vocab.Constraint, [str(c) for c in limits]),
            recorded_by=self.actor,
            recorded_on=D - timedelta(days=integer(rng, 5, 200)),
        )

    def fairs(self, enterprises: list[Enterprise]) -> None:
        """15 专场招聘会 this year; hires at a fair are people whose job began there."""
        rng = self.rng("fairs")
        streets = list(self.district.children.order_by("name"))
        jobless = list(Member.objects.filter(labour_q(D), work_location="").values_list("pk", flat=True))
        for number in range(15):
            held = YEAR_START + timedelta(days=number * 22 + integer(rng, 0, 10))
            fair = JobFair.objects.create(
                name=f"{held.month}月“春风行动”专场招聘会"
                if held.month <= 4
                else f"{held.month}月就业援助专场招聘会",
                unit=one_of(rng, streets) if streets and chance(rng, 0.5) else self.district,
                held_on=held,
                venue=one_of(rng, ["安置区文化广场", "社区服务中心", "区人力资源市场"]),
                walk_in_attendees=integer(rng, 150, 450),
            )
            taking_part = rng.sample(enterprises, min(len(enterprises), integer(rng, 12, 35)))
            FairEnterprise.objects.bulk_create(
                FairEnterprise(fair=fair, enterprise=e, posts=integer(rng, 10, 400)) for e in taking_part
            )
            self.fair_people(rng, fair, taking_part, jobless)
            self.summary.fairs += 1

    def fair_people(
        self, rng: random.Random, fair: JobFair, taking_part: list[Enterprise], jobless: list[int]
    ) -> None:
        names = {e.pk for e in taking_part}
        hired = Placement.objects.filter(
            enterprise_id__in=names,
            started_on__range=(fair.held_on, fair.held_on + timedelta(days=14)),
            ended_on=None,
        )[:40]
        rows = {
            p.member_id: FairAttendee(
                fair=fair, member_id=p.member_id, outcome="hired", enterprise_id=p.enterprise_id
            )
            for p in hired
        }
        for member_id in rng.sample(jobless, min(len(jobless), integer(rng, 30, 90))):
            if member_id not in rows:
                intention = chance(rng, 0.3)
                rows[member_id] = FairAttendee(
                    fair=fair,
                    member_id=member_id,
                    outcome="intention" if intention else "attended",
                    enterprise=one_of(rng, taking_part) if intention else None,
                )
        FairAttendee.objects.bulk_create(rows.values())
        Placement.objects.filter(pk__in=[p.pk for p in hired]).update(source=vocab.PlacementSource.FAIR)

    def referrals(self) -> None:
        """The district's officers referred job seekers to their best matches."""
        rng = self.rng("referrals")
        people = seekers(Member.objects.filter(job_wish__isnull=False), D)
        found = match(people, open_jobs(D), today=D, limit=2)
        outcomes = [("pending", 5), ("declined", 3), ("no_show", 1)]
        built = []
        for m in found:
            if m.score >= 60 and chance(rng, 0.35):
                outcome = rng.choices([o for o, _ in outcomes], [w for _, w in outcomes])[0]
                referred = D - timedelta(days=integer(rng, 1, 60))
                built.append(
                    Referral(
                        member_id=m.member_id,
                        posting_id=m.posting_id,
                        score=m.score,
                        outcome=outcome,
                        referred_by=self.actor,
                        referred_on=referred,
                        outcome_on=None
                        if outcome == "pending"
                        else referred + timedelta(days=integer(rng, 3, 14)),
                    )
                )
        Referral.objects.bulk_create(built)
        self.summary.referrals = len(built)

    # -- one worker's whole path ------------------------------------------------------------

    def showcase(self, courses: list[Course]) -> None:
        """One worker away whose job began this year and has lasted six months: the employer
        trained them in an order course before, a coach took them there, and their wish was
        recorded on a door-knocking visit before it all. Grid G-0001's people come first, so
        that ``grid0001`` can follow the path on the phone."""
        placement = self.showcase_job()
        if placement is None:
            self.summary.showcase = "（无：本次生成的数据中没有符合条件的人）"
            return
        course = placement.course or self.showcase_course(placement)
        batch = placement.batch or self.showcase_batch(placement, course)
        Placement.objects.filter(pk=placement.pk).update(
            course=course, batch=batch, source=vocab.PlacementSource.TRANSPORT
        )
        member = placement.member
        self.showcase_member_id = member.pk
        Wish.objects.update_or_create(member=member, defaults=self.showcase_wish(placement, course))
        self.showcase_referral(placement, course)
        self.showcase_follow_ups(placement)
        self.summary.showcase = (
            f"户 {member.household.household_no} 的 {member.name}（成员ID {member.pk}）："
            f"{course.name}（{course.starts_on}–{course.ends_on}）→ {batch.departs_on} 乘车 → "
            f"{placement.started_on} 进厂 {placement.employer}"
        )

    def showcase_job(self) -> Placement | None:
        candidates = (
            Placement.objects.filter(
                ended_on=None,
                work_location=WorkLocation.OUT_OF_PROVINCE,
                enterprise__isnull=False,
                started_on__range=(YEAR_START + timedelta(days=45), stable_cutoff(D)),
            )
            .exclude(enterprise__station="")
            .select_related("member__household", "enterprise", "course", "batch")
            .order_by(F("household__grid__code").asc(nulls_last=True), "started_on", "pk")
        )
        return candidates.first()

    def showcase_course(self, placement: Placement) -> Course:
        enterprise = placement.enterprise
        assert enterprise is not None
        ends = placement.started_on - timedelta(days=6)
        course = Course.objects.create(
            name=f"{enterprise.name[:20]}订单班",
            unit=self.district,
            enterprise=enterprise,
            job_type=JOB_TYPE_BY_TRADE.get(enterprise.industry, vocab.JobType.FACTORY),
            committed_hires=20,
            starts_on=ends - timedelta(days=20),
            ends_on=ends,
            sessions=10,
        )
        enrolment = Enrolment.objects.create(
            course=course,
            member=placement.member,
            status=vocab.EnrolmentStatus.COMPLETED,
            attended=10,
            certificate_no=f"DC{course.pk:03d}-001",
            completed_on=ends,
        )
        self.attend(course, enrolment)
        self.summary.courses += 1
        return course

    def showcase_batch(self, placement: Placement, course: Course) -> TransportBatch:
        assert placement.enterprise is not None
        batch = TransportBatch.objects.create(
            unit=self.district,
            departs_on=placement.started_on - timedelta(days=2),
            vehicle="云A·D6688",
            enterprise=placement.enterprise,
            course=course,
            status=vocab.BatchStatus.ARRIVED,
            arrived_on=placement.started_on,
            confirmed_by=self.actor,
        )
        Passenger.objects.create(batch=batch, member=placement.member, arrived=True)
        self.summary.batches += 1
        return batch

    def showcase_referral(self, placement: Placement, course: Course) -> None:
        """The officer referred the worker to the employer's order-class posting, and was hired."""
        assert placement.enterprise is not None
        enterprise = placement.enterprise
        posting = enterprise.postings.order_by("pk").first() or JobPosting.objects.create(
            enterprise=enterprise,
            unit=self.district,
            title=f"{course.name}学员岗",
            job_type=course.job_type,
            headcount=course.committed_hires,
            wage_min=Decimal(4000),
            wage_max=Decimal(5500),
            work_location=placement.work_location,
            station=enterprise.station,
            place_mask=place_mask(placement.work_location, enterprise.station),
            age_min=18,
            age_max=50,
            deadline=course.starts_on,
            accommodation=True,
            transport=True,
        )
        _, created = Referral.objects.update_or_create(
            member=placement.member,
            posting=posting,
            defaults={
                "score": 88,
                "outcome": vocab.ReferralOutcome.HIRED,
                "referred_by": self.actor,
                "referred_on": course.starts_on - timedelta(days=5),
                "outcome_on": placement.started_on,
            },
        )
        self.summary.referrals += int(created)

    def showcase_follow_ups(self, placement: Placement) -> None:
        """保姆服务: the six monthly calls of the first half year, all made."""
        if FollowUp.objects.filter(placement=placement).exists():
            return
        FollowUp.objects.bulk_create(
            FollowUp(
                placement=placement,
                due_on=months_before(placement.started_on, -k),
                done_on=months_before(placement.started_on, -k),
                method="phone" if k % 2 else "online",
                still_employed=True,
                note="工作稳定，按月领工资" if k > 1 else "已到岗，住宿已安排",
                care_note="留守老人由网格员每周探访" if k == 1 else "",
                done_by=self.actor,
            )
            for k in range(1, FOLLOW_UP_MONTHS + 1)
        )
        self.summary.follow_ups += FOLLOW_UP_MONTHS

    def showcase_wish(self, placement: Placement, course: Course) -> dict[str, Any]:
        return {
            "seeking": False,
            "job_types_mask": vocab.mask_of(vocab.JobType, [course.job_type]),
            "places_mask": place_mask(placement.work_location, placement.station),
            "min_wage": Decimal(3000),
            "wants_training": True,
            "training_types_mask": vocab.mask_of(vocab.JobType, [course.job_type]),
            "constraints_mask": 0,
            "note": "愿意外出务工，希望先参加技能培训",
            "recorded_by": self.actor,
            "recorded_on": course.starts_on - timedelta(days=12),
        }

    # -- 摸底数 ------------------------------------------------------------------------------

    def survey(self) -> None:
        """A district-wide campaign: the first street has closed its loop, the second is still
        reaching its last people."""
        rng = self.rng("survey")
        campaign = survey_start(
            actor=self.actor, unit=self.district, name=f"{D.year}年冬季劳动力摸底", as_of=D
        )
        first_street = self.district.children.order_by("name").first()
        reached_at = timezone.make_aware(datetime.combine(D - timedelta(days=10), time(10)))
        entries = list(campaign.entries.select_related("member").order_by("pk"))
        wishes = dict(Wish.objects.values_list("member_id", "seeking"))
        for entry in entries:
            in_first_street = bool(first_street and entry.unit_path.startswith(first_street.path))
            done = in_first_street or chance(rng, 0.94) or entry.member_id == self.showcase_member_id
            if done:
                entry.status = (
                    "employed"
                    if entry.member.work_location
                    else ("seeking" if wishes.get(entry.member_id, True) else "not_seeking")
                )
                entry.reached_by, entry.reached_at = self.actor, reached_at
        SurveyEntry.objects.bulk_update(entries, ["status", "reached_by", "reached_at"], batch_size=2000)
        self.summary.survey_entries = len(entries)
        if first_street is not None:
            self.close_loop(campaign, first_street, reached_at)

    def close_loop(self, campaign: Any, street: Unit, at: datetime) -> None:
        units = Unit.objects.filter(path_prefix_q(street.path, "path"), level__in=LOOP_LEVELS)
        paths = list(SurveyEntry.objects.filter(campaign=campaign).values_list("unit_path", flat=True))
        counts = Counter(paths)
        rows = []
        for unit in sorted(units, key=lambda u: -u.level):
            labour = sum(n for p, n in counts.items() if p.startswith(unit.path))
            if labour:
                rows.append(
                    SurveyConfirmation(
                        campaign=campaign,
                        unit=unit,
                        labour=labour,
                        confirmed_by=self.actor,
                        confirmed_at=at + timedelta(hours=6 - unit.level),
                    )
                )
        SurveyConfirmation.objects.bulk_create(rows)
