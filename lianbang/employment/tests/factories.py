"""Employment objects for tests: small builders with sensible defaults."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from lianbang.common.validators import credit_code_check_char
from lianbang.employment import vocab
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
)
from lianbang.employment.services.jobs import place_mask
from lianbang.org.models import Unit
from lianbang.registry.models import Member

_serial = count(1)


def credit_code(number: int | None = None) -> str:
    first17 = f"91530113{number if number is not None else next(_serial):09d}"
    return first17 + credit_code_check_char(first17)


def enterprise(unit: Unit, **fields: Any) -> Enterprise:
    values: dict[str, Any] = {
        "name": f"测试企业{next(_serial)}",
        "credit_code": credit_code(),
        "work_location": "in_province",
        "station": "",
    }
    return Enterprise.objects.create(unit=unit, **(values | fields))


def posting(unit: Unit, company: Enterprise | None = None, **fields: Any) -> JobPosting:
    values: dict[str, Any] = {
        "title": "普工",
        "job_type": vocab.JobType.FACTORY,
        "headcount": 10,
        "wage_min": Decimal(3000),
        "wage_max": Decimal(4500),
        "work_location": "in_province",
        "station": "",
        "deadline": date.today() + timedelta(days=30),
    } | fields
    values["place_mask"] = place_mask(values["work_location"], values["station"])
    return JobPosting.objects.create(enterprise=company or enterprise(unit), unit=unit, **values)


def course(unit: Unit, company: Enterprise | None = None, **fields: Any) -> Course:
    values: dict[str, Any] = {
        "name": "电子装配订单班",
        "job_type": vocab.JobType.ELECTRONICS,
        "committed_hires": 20,
        "starts_on": date.today() - timedelta(days=10),
        "ends_on": date.today() + timedelta(days=10),
        "sessions": 10,
    } | fields
    return Course.objects.create(unit=unit, enterprise=company or enterprise(unit), **values)


def placement(member: Member, **fields: Any) -> Placement:
    values: dict[str, Any] = {
        "employer": "某电子厂",
        "work_location": "in_province",
        "source": vocab.PlacementSource.REGISTRY,
        "started_on": date(2026, 1, 1),
        "continuous_since": date(2026, 1, 1),
    } | fields
    return Placement.objects.create(
        member=member, household=member.household, region_code=member.region_code, **values
    )


def route_object(parameter: str, unit: Unit, member: Member) -> Any:
    """An object for the route-access test, in ``unit`` and linked to ``member`` where a route
    names both (a referral of the member to the job, an enrolment, a survey entry, a follow-up)."""
    if parameter == "enterprise_id":
        return enterprise(unit)
    if parameter == "posting_id":
        job = posting(unit)
        Referral.objects.create(member=member, posting=job, score=50, referred_on=date.today())
        return job
    if parameter == "fair_id":
        return JobFair.objects.create(unit=unit, name="专场招聘会", held_on=date.today())
    if parameter == "course_id":
        found = course(unit)
        Enrolment.objects.create(course=found, member=member)
        return found
    if parameter == "batch_id":
        return TransportBatch.objects.create(
            unit=unit, departs_on=date.today(), vehicle="云A12345", enterprise=enterprise(unit)
        )
    if parameter == "campaign_id":
        campaign = SurveyCampaign.objects.create(name="摸底", unit=unit, as_of=date.today())
        household = member.household
        SurveyEntry.objects.create(
            campaign=campaign,
            member=member,
            household=household,
            unit=household.unit,
            unit_path=household.unit.path,
        )
        return campaign
    if parameter == "follow_up_id":
        current = Placement.objects.filter(member=member, ended_on__isnull=True).first() or placement(member)
        return FollowUp.objects.create(placement=current, due_on=date.today())
    raise KeyError(parameter)


ROUTE_PARAMETERS = frozenset(
    {"enterprise_id", "posting_id", "fair_id", "course_id", "batch_id", "campaign_id", "follow_up_id"}
)
