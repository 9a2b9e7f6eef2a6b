"""Demo care data (演示数据) on a generated district: schedules and visits for the elderly, family
calls and jobs at the door, children paired with volunteers and aid (seed: 101.51 万元 for 72
children), activities, counselling, ratings and benefit receipts.

Written in bulk from the generated people (the generator writes the registry the same way), with
seeded draws; a second run changes nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lianbang.accounts.masking import age_on
from lianbang.care.conf import visit_days
from lianbang.care.models import (
    STANDARD_CRITERIA,
    Activity,
    ActivityKind,
    CareVisit,
    ChildAid,
    ChildCare,
    CounsellingAppointment,
    DoorstepJob,
    FamilyCall,
    Participation,
    Rating,
    RatingTitle,
    SupportNote,
    VisitSchedule,
    Volunteer,
)
from lianbang.demo.draws import seeded
from lianbang.org.models import Building, Unit
from lianbang.policies import eligibility
from lianbang.policies.models import BenefitReceipt
from lianbang.registry.models import Household, Member

VOLUNTEERS = 170
AID_CHILDREN = 72
AID_TOTAL = Decimal("1015100.00")  # 101.51 万元
OVERDUE_SHARE = 0.06
SKILLS = [
    "辅导作业",
    "心理陪伴",
    "文艺",
    "体育",
    "医疗护理",
    "法律咨询",
    "理发",
    "家电维修",
    "手工",
    "电商培训",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何罗高林"
GIVEN = ["丽", "芳", "敏", "静", "强", "军", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"]
HELP = ["打扫卫生", "代购药品", "陪同就医", "测量血压", "送米送油", "代缴水电费", "理发", "聊天陪伴"]
HEALTH = ["身体尚好", "血压偏高，已提醒按时服药", "腿脚不便", "感冒已愈", "睡眠不好", "精神状态良好"]
ACTIVITY_TITLES = {
    ActivityKind.NEIGHBOURS: ["新邻居认亲会", "邻里百家宴", "楼栋认亲走访"],
    ActivityKind.CULTURE: ["广场舞比赛", "彝族火把节联欢", "老年合唱团排练", "书法进社区"],
    ActivityKind.WOMEN_HOME: ["妇女之家手工编织培训", "巾帼电商直播课", "妇女健康讲座"],
    ActivityKind.HAPPY_HOUSE: ["快乐小屋周末课堂", "快乐小屋绘本共读"],
    ActivityKind.STUDY_AID: ["爱心助学金发放仪式", "爱心助学结对见面会"],
    ActivityKind.SUMMER_CAMP: ["暑期夏令营", "红色研学夏令营"],
}
TOPICS = ["学业压力", "亲子沟通", "情绪管理", "同伴关系", "留守适应"]
# Share of the households that qualify for a policy recorded only by receipts that receive it.
RECEIPT_SHARE = 0.8


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    aid_total: Decimal = Decimal(0)
    skipped: bool = False

    def text(self) -> str:
        if self.skipped:
            return "关爱数据已存在，未改动 (care demo data already present; nothing changed)"
        lines = [f"  {name:<28}{n:>8,}" for name, n in self.counts.items()]
        lines.append(
            f"儿童资助 {self.counts.get('aid children', 0)} 名，共 {self.aid_total / 10000:.2f} 万元"
        )
        return "\n".join(["关爱、评星与政策演示数据：", *lines])


def demo_care(*, seed: int = 20261129, today: date | None = None) -> Summary:
    if VisitSchedule.objects.exists():
        return Summary(skipped=True)
    day = today or timezone.localdate()
    summary = Summary()
    with transaction.atomic():
        volunteers = _volunteers(seeded(seed, "care-volunteers"), day, summary)
        _elderly(seeded(seed, "care-elderly"), day, summary)
        _middle_aged(seeded(seed, "care-middle"), day, summary)
        _children(seeded(seed, "care-children"), day, volunteers, summary)
        _activities(seeded(seed, "care-activities"), day, volunteers, summary)
        _ratings(seeded(seed, "care-ratings"), day, summary)
        _receipts(seeded(seed, "care-receipts"), day, summary)
    return summary


def _active_members() -> Any:
    return Member.objects.filter(status="active", household__status="active")


def _at(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(moment)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


# --- Volunteers ----------------------------------------------------------------------------------


def _volunteers(rng: random.Random, day: date, summary: Summary) -> dict[int, list[Volunteer]]:
    communities = list(Unit.objects.filter(level=Unit.Level.COMMUNITY).order_by("pk"))
    rows = [
        Volunteer(
            unit=communities[i % len(communities)],
            name=_name(rng),
            phone=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            skills=rng.sample(SKILLS, rng.randint(1, 3)),
            hours_before=Decimal(rng.randint(4, 240)),
            joined_on=day - timedelta(days=rng.randint(30, 1500)),
            region_code=communities[i % len(communities)].region_code,
        )
        for i in range(VOLUNTEERS if communities else 0)
    ]
    Volunteer.objects.bulk_create(rows)
    summary.counts["volunteers"] = len(rows)
    by_community: dict[int, list[Volunteer]] = defaultdict(list)
    for volunteer in Volunteer.objects.all():
        by_community[volunteer.unit_id].append(volunteer)
    return by_community


def _community_of(household: Household) -> int:
    return int(household.unit.path.strip("/").split("/")[2])


# --- Elderly ------------------------------------------------------------------------------------


def _elderly(rng: random.Random, day: date, summary: Summary) -> None:
    sixty = day.replace(year=day.year - 60)
    households = Household.objects.filter(status="active").annotate(
        n=Count("members", filter=Q(members__status="active")),
        old=Count("members", filter=Q(members__status="active", members__birth_date__lte=sixty)),
    )
    alone = set(households.filter(n=1, old=1).values_list("pk", flat=True))
    empty_nest = {h.pk for h in households.filter(n__gte=2, old__gte=2) if h.n == h.old}
    schedules: list[VisitSchedule] = []
    grids_with_one: set[int | None] = set()
    elderly = _active_members().filter(birth_date__lte=sixty).select_related("household").order_by("pk")
    for member in elderly:
        reason = _elder_reason(member, day, alone, empty_nest)
        if reason is None:
            continue
        interval = visit_days(reason)
        # Every grid worker's phone shows a task: the first person of each grid is overdue.
        grid = member.household.grid_id
        late = grid not in grids_with_one or rng.random() < OVERDUE_SHARE
        grids_with_one.add(grid)
        next_due = (
            day - timedelta(days=rng.randint(1, 6))
            if late
            else day + timedelta(days=rng.randint(0, interval))
        )
        schedules.append(
            VisitSchedule(
                household=member.household,
                member=member,
                reason=reason,
                interval_days=interval,
                next_due=next_due,
                last_visited_at=_at(next_due - timedelta(days=interval), rng),
                region_code=member.region_code,
            )
        )
    VisitSchedule.objects.bulk_create(schedules)
    _elderly_visits(rng, summary)
    summary.counts["visit schedules"] = len(schedules)
    summary.counts["visits overdue"] = sum(1 for s in schedules if s.next_due < day)


def _elder_reason(member: Member, day: date, alone: set[int], empty_nest: set[int]) -> str | None:
    if member.household_id in alone:
        return "alone"
    if member.health == "disabled" and member.labor_skill in ("lost", "none"):
        return "disabled"
    if member.household_id in empty_nest:
        return "empty_nest"
    return "old_age" if age_on(member.birth_date, day) >= 80 else None


def _elderly_visits(rng: random.Random, summary: Summary) -> None:
    workers = dict(Household.objects.filter(grid__isnull=False).values_list("pk", "grid__worker_id"))
    visits: list[CareVisit] = []
    notes: list[SupportNote] = []
    for schedule in VisitSchedule.objects.select_related("member"):
        assert schedule.last_visited_at is not None
        for back in range(rng.randint(1, 4)):
            visits.append(
                CareVisit(
                    schedule=schedule,
                    household_id=schedule.household_id,
                    member=schedule.member,
                    visited_at=schedule.last_visited_at - timedelta(days=back * schedule.interval_days),
                    visitor_id=workers.get(schedule.household_id),
                    all_well=rng.random() < 0.85,
                    health_note=rng.choice(HEALTH),
                    help_given="、".join(rng.sample(HELP, rng.randint(1, 2))),
                    region_code=schedule.region_code,
                )
            )
        if schedule.reason == "alone" and rng.random() < 0.35:
            notes.append(
                SupportNote(
                    household_id=schedule.household_id,
                    member=schedule.member,
                    held_on=schedule.last_visited_at.date(),
                    note=rng.choice(
                        [
                            "子女长期在外，情绪低落，已安排亲情连线",
                            "老伴去世后睡眠不好，多次谈心",
                            "担心看病花钱，已讲解医保政策",
                        ]
                    ),
                    author_id=workers.get(schedule.household_id),
                    region_code=schedule.region_code,
                )
            )
    CareVisit.objects.bulk_create(visits, batch_size=2000)
    SupportNote.objects.bulk_create(notes)
    summary.counts["elderly visits"] = len(visits)
    summary.counts["support notes"] = len(notes)


# --- Middle-aged ----------------------------------------------------------------------------------


def _middle_aged(rng: random.Random, day: date, summary: Summary) -> None:
    away = list(_active_members().filter(work_location="out_of_province").order_by("pk"))
    family = defaultdict(list)
    for member in _active_members().filter(household__in={m.household_id for m in away}, work_location=""):
        family[member.household_id].append(member)
    calls = []
    for worker in rng.sample(away, min(len(away), 260)):
        when = _at(day - timedelta(days=rng.randint(-7, 120)), rng)
        calls.append(
            FamilyCall(
                household_id=worker.household_id,
                worker=worker,
                family_member=rng.choice(family[worker.household_id])
                if family[worker.household_id]
                else None,
                kind=rng.choice(["video", "video", "voice"]),
                scheduled_at=when,
                done_at=when + timedelta(minutes=rng.randint(10, 40))
                if when.date() < day and rng.random() < 0.9
                else None,
                note="社区协助视频通话" if rng.random() < 0.3 else "",
                region_code=worker.region_code,
            )
        )
    FamilyCall.objects.bulk_create(calls)
    adult_women = _active_members().filter(
        sex="F",
        work_location="",
        labor_skill__in=("ordinary", "skilled", "weak"),
        birth_date__lte=day.replace(year=day.year - 18),
        birth_date__gt=day.replace(year=day.year - 60),
    )
    women = list(adult_women.order_by("pk"))
    jobs = [
        DoorstepJob(
            household_id=m.household_id,
            member=m,
            kind=rng.choice(["workshop", "workshop", "ecommerce", "handicraft"]),
            employer=rng.choice(["馨安服装帮扶车间", "碧谷电子配件车间", "东川特产电商中心", "彝绣手工坊"]),
            started_on=day - timedelta(days=rng.randint(20, 700)),
            monthly_income=Decimal(rng.randrange(1200, 3200, 100)),
            region_code=m.region_code,
        )
        for m in rng.sample(women, min(len(women), 140))
    ]
    DoorstepJob.objects.bulk_create(jobs)
    summary.counts["family calls"] = len(calls)
    summary.counts["jobs at the door"] = len(jobs)


# --- Children -------------------------------------------------------------------------------------


def _children(
    rng: random.Random, day: date, volunteers: dict[int, list[Volunteer]], summary: Summary
) -> None:
    sixteen = day.replace(year=day.year - 16)
    away_homes = set(
        _active_members()
        .filter(work_location__in=("out_of_province", "in_province"))
        .values_list("household_id", flat=True)
    )
    kids = _active_members().filter(birth_date__gt=sixteen).select_related("household__unit")
    unattended = [k for k in kids if k.unattended_child]
    left_behind = [k for k in kids if k.household_id in away_homes and not k.unattended_child]
    chosen = unattended + rng.sample(left_behind, min(len(left_behind), 180))
    cares = []
    for child in chosen:
        kind = "unattended" if child.unattended_child else "left_behind"
        cares.append(
            ChildCare(
                household=child.household,
                child=child,
                kind=kind,
                guardian_name=_name(rng),
                guardian_relation=rng.choice(["祖母", "祖父", "外祖母", "姑姑", "社区儿童主任"]),
                guardian_phone=f"13{rng.randint(0, 999999999):09d}",
                started_on=day - timedelta(days=rng.randint(30, 900)),
                region_code=child.region_code,
            )
        )
    ChildCare.objects.bulk_create(cares)
    links = []
    for care in ChildCare.objects.select_related("household__unit"):
        pool = volunteers.get(_community_of(care.household), [])
        for volunteer in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
            links.append(ChildCare.volunteers.through(childcare_id=care.pk, volunteer_id=volunteer.pk))
    ChildCare.volunteers.through.objects.bulk_create(links)
    _aid(rng, day, list(ChildCare.objects.order_by("pk")), summary)
    _counselling(rng, day, summary)
    summary.counts["children paired"] = len(cares)


def _amounts(rng: random.Random, n: int, total: Decimal) -> list[Decimal]:
    """``n`` amounts in hundreds of yuan adding up to exactly ``total``."""
    units = [rng.randint(60, 220) for _ in range(n)]
    target = int(total / 100)
    while sum(units) != target:
        i = rng.randrange(n)
        step = 1 if sum(units) < target else -1
        if units[i] + step >= 20:
            units[i] += step
    return [Decimal(u * 100) for u in units]


def _aid(rng: random.Random, day: date, cares: list[ChildCare], summary: Summary) -> None:
    aided = rng.sample(cares, min(len(cares), AID_CHILDREN))
    grants = []
    for care, amount in zip(aided, _amounts(rng, len(aided), AID_TOTAL), strict=True):
        parts = rng.randint(1, 3)
        share = (amount / parts).quantize(Decimal("1"))
        for i in range(parts):
            grants.append(
                ChildAid(
                    care=care,
                    kind=rng.choice(["爱心助学", "雨露计划助学", "春蕾计划", "慈善总会助学金"]),
                    amount=share if i < parts - 1 else amount - share * (parts - 1),
                    granted_on=day - timedelta(days=rng.randint(10, 600)),
                    funder=rng.choice(["区慈善总会", "区妇联", "东西部协作帮扶单位", "爱心企业"]),
                    region_code=care.region_code,
                )
            )
    ChildAid.objects.bulk_create(grants)
    summary.counts["aid children"] = len(aided)
    summary.aid_total = sum((g.amount for g in grants), Decimal(0))


def _counselling(rng: random.Random, day: date, summary: Summary) -> None:
    teens = list(
        _active_members()
        .filter(
            birth_date__gt=day.replace(year=day.year - 18), birth_date__lte=day.replace(year=day.year - 10)
        )
        .order_by("pk")
    )
    rows = []
    for member in rng.sample(teens, min(len(teens), 45)):
        when = _at(day + timedelta(days=rng.randint(-120, 14)), rng)
        done = when.date() < day
        rows.append(
            CounsellingAppointment(
                household_id=member.household_id,
                member=member,
                scheduled_at=when,
                counsellor=rng.choice(["杨老师", "何老师", "心理辅导站志愿者"]),
                topic=rng.choice(TOPICS),
                status="done" if done else "booked",
                note="已完成一次面谈，约定下次时间" if done else "",
                region_code=member.region_code,
            )
        )
    CounsellingAppointment.objects.bulk_create(rows)
    summary.counts["counselling appointments"] = len(rows)


# --- Activities -----------------------------------------------------------------------------------


def _activities(
    rng: random.Random, day: date, volunteers: dict[int, list[Volunteer]], summary: Summary
) -> None:
    areas = list(Unit.objects.filter(level=Unit.Level.AREA).order_by("pk"))
    residents: dict[int, list[int]] = defaultdict(list)
    for pk, path in _active_members().values_list("pk", "household__unit__path"):
        residents[int(path.strip("/").split("/")[3])].append(pk)
    count = 0
    for area in areas:
        community = int(area.path.strip("/").split("/")[2])
        for _ in range(rng.randint(8, 14)):
            kind = rng.choice(list(ACTIVITY_TITLES))
            activity = Activity.objects.create(
                unit=area,
                kind=kind,
                title=rng.choice(ACTIVITY_TITLES[kind]),
                held_on=day - timedelta(days=rng.randint(1, 330)),
                place=f"{area.name}党群服务站",
                description="",
                region_code=area.region_code,
            )
            people = rng.sample(residents[area.pk], min(len(residents[area.pk]), rng.randint(8, 40)))
            helpers = rng.sample(
                volunteers.get(community, []), min(len(volunteers.get(community, [])), rng.randint(2, 6))
            )
            Participation.objects.bulk_create(
                [Participation(activity=activity, member_id=pk, attended=rng.random() < 0.9) for pk in people]
                + [
                    Participation(activity=activity, volunteer=v, hours=Decimal(rng.choice([2, 3, 4])))
                    for v in helpers
                ]
            )
            count += 1
    summary.counts["activities"] = count


# --- Ratings --------------------------------------------------------------------------------------


def _ratings(rng: random.Random, day: date, summary: Summary) -> None:
    """Last year's ratings, decided; this year's partly approved already (so the building map
    shows this year's stars and 五好楼栋 tags), partly still proposed."""
    households = list(Household.objects.filter(status="active").select_related("unit").order_by("pk"))
    now = timezone.now()
    rows = []
    for year, share, status in (
        (day.year - 1, 0.06, Rating.Status.APPROVED),
        (day.year, 0.03, Rating.Status.APPROVED),
        (day.year, 0.02, Rating.Status.PROPOSED),
    ):
        chosen = rng.sample(households, min(len(households), max(1, int(len(households) * share))))
        for household in chosen:
            title = rng.choice(
                [
                    RatingTitle.FIVE_STAR,
                    RatingTitle.CIVILISED,
                    RatingTitle.MOST_BEAUTIFUL,
                    RatingTitle.TEN_STAR,
                ]
            )
            rows.append(
                _rating(
                    household=household,
                    unit=household.unit,
                    year=year,
                    title=title,
                    status=status,
                    now=now,
                    rng=rng,
                )
            )
    for index, building in enumerate(Building.objects.select_related("branch").order_by("pk")):
        years = [day.year - 1] if rng.random() < 0.3 else []
        if index == 0 or rng.random() < 0.15:  # at least one 五好楼栋 of this year
            years.append(day.year)
        rows += [
            _rating(
                building=building,
                unit=building.branch,
                year=year,
                title=RatingTitle.FIVE_GOOD_BUILDING,
                status=Rating.Status.APPROVED,
                now=now,
                rng=rng,
            )
            for year in years
        ]
    Rating.objects.bulk_create(rows, ignore_conflicts=True)
    summary.counts["ratings"] = len(rows)


def _rating(
    *, unit: Unit, year: int, title: str, status: str, now: datetime, rng: random.Random, **subject: Any
) -> Rating:
    decided = status == Rating.Status.APPROVED
    return Rating(
        **subject,
        unit=unit,
        year=year,
        title=title,
        status=status,
        criteria={c: True for c in STANDARD_CRITERIA[RatingTitle(title)]},
        proposed_at=now - timedelta(days=rng.randint(30, 300)),
        decided_at=now - timedelta(days=rng.randint(1, 29)) if decided else None,
        decision_note="经民主评议、公示无异议" if decided else "",
        region_code=unit.region_code,
    )


# --- Policies received ------------------------------------------------------------------------------


def _receipts(rng: random.Random, day: date, summary: Summary) -> None:
    """Most households that qualify for a receipt-recorded policy receive it; the rest stay on the
    missed-entitlement list, so that it has real content."""
    policies = [p for p in eligibility.active_policies() if p.receipt_condition is None]
    households = Household.objects.filter(status="active")
    regions = dict(households.values_list("pk", "region_code"))
    rows = [
        BenefitReceipt(
            household_id=household_id,
            policy=s.policy,
            started_on=day - timedelta(days=rng.randint(30, 700)),
            source=BenefitReceipt.Source.DEPARTMENT,
            note="演示数据",
            region_code=regions[household_id],
        )
        for household_id, row in eligibility.standings(households, policies, day).items()
        for s in row
        if s.missed and rng.random() < RECEIPT_SHARE
    ]
    BenefitReceipt.objects.bulk_create(rows, batch_size=2000)
    summary.counts["benefit receipts"] = len(rows)
