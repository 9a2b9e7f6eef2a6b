"""Reads of the care app, scoped by the caller's households or units (``accounts.scope``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import households_for
from lianbang.care.models import (
    Activity,
    ChildAid,
    ChildCare,
    FamilyCall,
    Participation,
    Rating,
    VisitSchedule,
    Volunteer,
)
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Household


def tasks_for(user: Any, today: date, within_days: int = 0) -> QuerySet[VisitSchedule]:
    """The caller's care visits due by ``today + within_days`` (overdue ones first).

    A schedule is the caller's when it names them as visitor, or names nobody and the household
    lies in a micro-grid they work; either way only households they may edit."""
    mine = Q(visitor=user) | Q(visitor__isnull=True, household__grid__worker=user)
    return (
        VisitSchedule.objects.filter(
            mine,
            active=True,
            next_due__lte=today + timedelta(days=within_days),
            household__status="active",
            member__status="active",
            household__in=households_for(user, Permission.HOUSEHOLD_EDIT).values("pk"),
        )
        .select_related("household", "member", "household__grid")
        .order_by("next_due", "pk")
    )


def in_unit(rows: QuerySet[Any], unit: Unit, field: str = "household__unit__path") -> QuerySet[Any]:
    return rows.filter(path_prefix_q(unit.path, field))


def schedules_in(unit: Unit, today: date, overdue_only: bool) -> QuerySet[VisitSchedule]:
    rows = in_unit(VisitSchedule.objects.filter(active=True, member__status="active"), unit)
    if overdue_only:
        rows = rows.filter(next_due__lt=today)
    return rows.select_related("household", "member", "visitor", "household__grid__worker")


def children_in(unit: Unit) -> QuerySet[ChildCare]:
    return (
        in_unit(ChildCare.objects.filter(active=True), unit)
        .select_related("household", "child")
        .prefetch_related("volunteers")
        .annotate(aid_total=Sum("aid__amount"), aid_count=Count("aid"))
    )


def volunteers_in(unit: Unit) -> QuerySet[Volunteer]:
    served = (
        Participation.objects.filter(volunteer=OuterRef("pk"), attended=True)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    children = (
        ChildCare.objects.filter(volunteers=OuterRef("pk"), active=True)
        .order_by()
        .values("volunteers")
        .annotate(pairs=Count("pk"))
        .values("pairs")
    )
    return in_unit(Volunteer.objects.filter(active=True), unit, "unit__path").annotate(
        served=Subquery(served), children_count=Subquery(children)
    )


def activities_in(unit: Unit) -> QuerySet[Activity]:
    return in_unit(Activity.objects.all(), unit, "unit__path").annotate(
        participant_count=Count("participants"),
        attended_count=Count("participants", filter=Q(participants__attended=True)),
    )


def ratings_in(unit: Unit) -> QuerySet[Rating]:
    return in_unit(Rating.objects.all(), unit, "unit__path").select_related("household", "building")


@dataclass(frozen=True)
class Overview:
    elderly_on_schedule: int
    visits_overdue: int
    children_paired: dict[str, int]
    aid_children: int
    aid_total: Decimal
    volunteers: int
    volunteer_hours: Decimal
    activities_this_year: int
    calls_arranged: int
    calls_done: int
    ratings_approved: dict[str, int]


def overview(unit: Unit, today: date) -> Overview:
    schedules = schedules_in(unit, today, overdue_only=False)
    children = in_unit(ChildCare.objects.filter(active=True), unit)
    aid = in_unit(ChildAid.objects.all(), unit, "care__household__unit__path")
    volunteers = in_unit(Volunteer.objects.filter(active=True), unit, "unit__path")
    served = in_unit(
        Participation.objects.filter(attended=True, volunteer__isnull=False), unit, "volunteer__unit__path"
    )
    before = volunteers.aggregate(h=Sum("hours_before"))["h"] or Decimal(0)
    calls = in_unit(FamilyCall.objects.all(), unit)
    ratings = in_unit(Rating.objects.filter(status=Rating.Status.APPROVED), unit, "unit__path")
    return Overview(
        elderly_on_schedule=schedules.count(),
        visits_overdue=schedules.filter(next_due__lt=today).count(),
        children_paired=dict(children.values_list("kind").annotate(n=Count("pk")).order_by()),
        aid_children=aid.values("care__child_id").distinct().count(),
        aid_total=aid.aggregate(s=Sum("amount"))["s"] or Decimal("0.00"),
        volunteers=volunteers.count(),
        volunteer_hours=before + (served.aggregate(h=Sum("hours"))["h"] or Decimal(0)),
        activities_this_year=in_unit(
            Activity.objects.filter(held_on__year=today.year), unit, "unit__path"
        ).count(),
        calls_arranged=calls.count(),
        calls_done=calls.filter(done_at__isnull=False).count(),
        ratings_approved=dict(ratings.values_list("title").annotate(n=Count("pk")).order_by()),
    )


def household_file(household: Household) -> dict[str, QuerySet[Any]]:
    """Everything the care app holds about one household, newest first."""
    return {
        "schedules": household.care_schedules.filter(active=True).select_related("member", "visitor"),
        "visits": household.care_visits.select_related("member", "visitor").order_by("-visited_at")[:50],
        "notes": household.support_notes.select_related("member", "author").order_by("-held_on")[:50],
        "calls": household.family_calls.select_related("worker", "family_member").order_by("-scheduled_at")[
            :50
        ],
        "jobs": household.doorstep_jobs.select_related("member").order_by("-started_on"),
        "children": household.child_cares.select_related("child").prefetch_related("volunteers", "aid"),
        "counselling": household.counselling.select_related("member").order_by("-scheduled_at")[:50],
        "ratings": household.ratings.order_by("-year", "title"),
    }
