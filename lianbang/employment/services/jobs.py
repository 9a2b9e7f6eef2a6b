"""政企联动找岗位: enterprises, job postings, job fairs and referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from lianbang.common.errors import ApplicationError, invalid
from lianbang.common.validators import InvalidValue, normalize_credit_code, normalize_phone
from lianbang.employment import vocab
from lianbang.employment.models import (
    Enterprise,
    FairAttendee,
    FairEnterprise,
    JobFair,
    JobPosting,
    Placement,
    Referral,
)
from lianbang.employment.services.common import audit, one_code, required_text, wage
from lianbang.employment.services.placements import Job, placement_start
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.registry.vocab import HouseholdCategory, WorkLocation

#: 帮扶车间: employs at least this many people from 脱贫/监测 households (DOMAIN §6).
WORKSHOP_MINIMUM = 5


@dataclass
class EnterpriseData:
    name: str
    credit_code: str
    work_location: str
    station: str = ""
    address: str = ""
    industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    declared_workshop: bool = False


@transaction.atomic
def enterprise_create(*, actor: Any, unit: Unit, data: EnterpriseData) -> Enterprise:
    location = one_code("work_location", data.work_location, WorkLocation, "所在地")
    enterprise = Enterprise(
        name=required_text("name", data.name, "企业名称", 150),
        credit_code=credit_code(data.credit_code),
        unit=unit,
        work_location=location,
        station=station(data.station, location),
        address=data.address[:200],
        industry=data.industry[:50],
        contact_name=data.contact_name[:50],
        contact_phone=phone(data.contact_phone),
        declared_workshop=data.declared_workshop,
    )
    if not location:
        raise invalid("work_location", data.work_location, "须填写企业所在地", "the location is required")
    if Enterprise.objects.filter(credit_code=enterprise.credit_code).exists():
        raise ApplicationError(
            "duplicate",
            "该统一社会信用代码的企业已登记",
            "an enterprise with this credit code exists",
            status=409,
        )
    enterprise.save()
    audit(
        actor,
        "enterprise_create",
        enterprise,
        {"name": enterprise.name, "credit_code": enterprise.credit_code},
    )
    return enterprise


def credit_code(raw: str) -> str:
    """统一社会信用代码 (GB 32100), checked with its check character."""
    try:
        return normalize_credit_code(raw or "")
    except InvalidValue as exc:
        raise invalid(
            "credit_code", raw, f"统一社会信用代码{exc.reason.zh}", f"credit code {exc.reason.en}"
        ) from exc


def phone(raw: str) -> str:
    if not raw:
        return ""
    try:
        return normalize_phone(raw)
    except InvalidValue as exc:
        raise invalid("contact_phone", raw, f"联系电话{exc.reason.zh}", f"phone {exc.reason.en}") from exc


def station(raw: str, work_location: str) -> str:
    """A service station (服务站) must lie where the job is (昆明 in the province, others outside)."""
    code = one_code("station", raw, vocab.Place, "服务站", blank=True)
    if code and (code not in vocab.STATIONS or vocab.STATIONS[vocab.Place(code)] != work_location):
        raise invalid("station", raw, "服务站与工作地不符", "the station does not lie at the work location")
    return code


def workshop_workers(enterprise: Enterprise) -> int:
    """Current workers from 脱贫户 or monitored (监测对象) households."""
    return (
        Placement.objects.filter(enterprise=enterprise, ended_on__isnull=True, member__status="active")
        .filter(Q(household__category=HouseholdCategory.LIFTED_OUT) | ~Q(household__monitoring_type=""))
        .count()
    )


def is_workshop(enterprise: Enterprise) -> bool:
    """帮扶车间 status, checked: declared and employing at least five people it should help."""
    return enterprise.declared_workshop and workshop_workers(enterprise) >= WORKSHOP_MINIMUM


@dataclass
class PostingData:
    title: str
    job_type: str
    headcount: int
    wage_min: Decimal | str | int
    wage_max: Decimal | str | int
    work_location: str
    deadline: date
    station: str = ""
    age_min: int = 16
    age_max: int = 60
    requires_skilled: bool = False
    skills: str = ""
    night_shifts: bool = False
    accommodation: bool = False
    transport: bool = False


@transaction.atomic
def posting_create(
    *, actor: Any, enterprise: Enterprise, unit: Unit, data: PostingData, today: date
) -> JobPosting:
    low, high = wage("wage_min", data.wage_min, required=True), wage("wage_max", data.wage_max, required=True)
    assert low is not None and high is not None
    _check_posting(data, low, high, today)
    location = one_code("work_location", data.work_location, WorkLocation, "工作地")
    code = station(data.station, location)
    posting = JobPosting.objects.create(
        enterprise=enterprise,
        unit=unit,
        title=required_text("title", data.title, "岗位名称", 100),
        job_type=one_code("job_type", data.job_type, vocab.JobType, "工种"),
        headcount=data.headcount,
        wage_min=low,
        wage_max=high,
        work_location=location,
        station=code,
        place_mask=place_mask(location, code),
        age_min=data.age_min,
        age_max=data.age_max,
        requires_skilled=data.requires_skilled,
        skills=data.skills[:200],
        night_shifts=data.night_shifts,
        deadline=data.deadline,
        accommodation=data.accommodation,
        transport=data.transport,
    )
    audit(actor, "posting_create", posting, {"enterprise": enterprise.pk, "title": posting.title})
    return posting


def place_mask(work_location: str, station_code: str) -> int:
    """The wished places a job satisfies: its 县内/省内县外/省外, and its station if any."""
    mask = vocab.bit_of(vocab.Place, vocab.general_place(work_location))
    return mask | (vocab.bit_of(vocab.Place, station_code) if station_code else 0)


def _check_posting(data: PostingData, low: Decimal, high: Decimal, today: date) -> None:
    if low > high:
        raise invalid("wage_max", str(high), "工资上限不能低于下限", "the wage maximum is below the minimum")
    if not 16 <= data.age_min <= data.age_max <= 65:
        raise invalid(
            "age_max", data.age_max, "年龄要求应在16到65岁之间且下限不高于上限", "ages are 16–65, min ≤ max"
        )
    if not 1 <= data.headcount <= 100000:
        raise invalid("headcount", data.headcount, "招聘人数应为1到100000", "the headcount is 1–100,000")
    if data.deadline < today:
        raise invalid(
            "deadline", data.deadline.isoformat(), "截止日期不能早于今天", "the deadline is in the past"
        )


@transaction.atomic
def posting_close(*, actor: Any, posting: JobPosting) -> JobPosting:
    posting.status = JobPosting.Status.CLOSED
    posting.save(update_fields=["status"])
    audit(actor, "posting_close", posting)
    return posting


def open_postings(today: date) -> Q:
    """Open = still recruiting, before its deadline, places left."""
    return Q(status=JobPosting.Status.OPEN, deadline__gte=today, hired__lt=F("headcount"))


@transaction.atomic
def referral_create(*, actor: Any, member: Member, posting: JobPosting, score: int, today: date) -> Referral:
    if not JobPosting.objects.filter(open_postings(today), pk=posting.pk).exists():
        raise invalid("posting_id", posting.pk, "该岗位已截止或已招满", "the job is closed or full")
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                member=member, posting=posting, score=score, referred_by=actor, referred_on=today
            )
    except IntegrityError as exc:
        raise ApplicationError(
            "duplicate", "已推荐过该岗位", "already referred to this job", status=409
        ) from exc
    audit(actor, "referral_create", referral, {"member": member.pk, "posting": posting.pk, "score": score})
    return referral


@transaction.atomic
def referral_outcome(*, actor: Any, referral: Referral, outcome: str, on: date, today: date) -> Referral:
    """录用 / 未录用 / 未到岗; a hire starts the job (and fills a place of the posting)."""
    referral = (
        Referral.objects.select_for_update()
        .select_related("posting__enterprise", "member")
        .get(pk=referral.pk)
    )
    code = one_code("outcome", outcome, vocab.ReferralOutcome, "推荐结果")
    if referral.outcome != vocab.ReferralOutcome.PENDING or code == vocab.ReferralOutcome.PENDING:
        raise invalid(
            "outcome", outcome, "推荐结果已登记或无效", "the outcome is already recorded or invalid"
        )
    referral.outcome, referral.outcome_on = code, on
    referral.save(update_fields=["outcome", "outcome_on"])
    if code == vocab.ReferralOutcome.HIRED:
        posting = referral.posting
        JobPosting.objects.filter(pk=posting.pk).update(hired=F("hired") + 1)
        placement_start(
            actor=actor,
            member=referral.member,
            job=posting_job(posting, on, vocab.PlacementSource.REFERRAL, referral=referral),
            today=today,
        )
    audit(actor, "referral_outcome", referral, {"outcome": code})
    return referral


def posting_job(posting: JobPosting, on: date, source: str, **links: Any) -> Job:
    enterprise = posting.enterprise
    return Job(
        employer=enterprise.name,
        work_location=posting.work_location,
        started_on=on,
        source=source,
        enterprise=enterprise,
        station=posting.station,
        channel=channel_for(enterprise, posting.work_location),
        monthly_wage=posting.wage_min,
        **links,
    )


def channel_for(enterprise: Enterprise, work_location: str) -> str:
    """The 五个一批 channel a job through these steps counts under."""
    if enterprise.declared_workshop:
        return vocab.Channel.WORKSHOP
    if work_location == WorkLocation.IN_PROVINCE:
        return vocab.Channel.TRANSFER
    if work_location == WorkLocation.OUT_OF_PROVINCE:
        return vocab.Channel.LABOUR_EXPORT
    return vocab.Channel.PARK if work_location == WorkLocation.IN_COUNTY else vocab.Channel.INDUSTRY


@transaction.atomic
def fair_create(
    *, actor: Any, unit: Unit, name: str, held_on: date, venue: str = "", walk_in_attendees: int = 0
) -> JobFair:
    if walk_in_attendees < 0:
        raise invalid("walk_in_attendees", walk_in_attendees, "人数不能为负", "cannot be negative")
    fair = JobFair.objects.create(
        unit=unit,
        name=required_text("name", name, "招聘会名称", 100),
        held_on=held_on,
        venue=venue[:100],
        walk_in_attendees=walk_in_attendees,
    )
    audit(actor, "fair_create", fair, {"name": fair.name, "held_on": held_on})
    return fair


@transaction.atomic
def fair_enterprise_add(*, actor: Any, fair: JobFair, enterprise: Enterprise, posts: int) -> FairEnterprise:
    if not 0 <= posts <= 100000:
        raise invalid("posts", posts, "岗位数应为0到100000", "posts are 0–100,000")
    row, _ = FairEnterprise.objects.update_or_create(
        fair=fair, enterprise=enterprise, defaults={"posts": posts}
    )
    audit(actor, "fair_enterprise", row, {"fair": fair.pk, "enterprise": enterprise.pk, "posts": posts})
    return row


@transaction.atomic
def fair_attendee_record(
    *, actor: Any, fair: JobFair, member: Member, outcome: str, enterprise: Enterprise | None, today: date
) -> FairAttendee:
    code = one_code("outcome", outcome, vocab.FairOutcome, "结果")
    if code != vocab.FairOutcome.ATTENDED and enterprise is None:
        raise invalid(
            "enterprise_id", None, "达成意向或录用须注明企业", "an intention or a hire names the enterprise"
        )
    row, _ = FairAttendee.objects.update_or_create(
        fair=fair, member=member, defaults={"outcome": code, "enterprise": enterprise}
    )
    if code == vocab.FairOutcome.HIRED and enterprise is not None:
        job = Job(
            employer=enterprise.name,
            work_location=enterprise.work_location,
            started_on=min(fair.held_on, today),
            source=vocab.PlacementSource.FAIR,
            enterprise=enterprise,
            station=enterprise.station,
            channel=channel_for(enterprise, enterprise.work_location),
        )
        placement_start(actor=actor, member=member, job=job, today=today)
    audit(actor, "fair_attendee", row, {"fair": fair.pk, "member": member.pk, "outcome": code})
    return row
