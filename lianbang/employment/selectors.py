"""Reads for the employment screens: survey coverage, who is not reached, a person's path."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from lianbang.employment.figures import rate
from lianbang.employment.labour import stable_cutoff
from lianbang.employment.models import (
    Enrolment,
    FollowUp,
    Passenger,
    Placement,
    Referral,
    SurveyCampaign,
    SurveyConfirmation,
    SurveyEntry,
    Wish,
)
from lianbang.employment.vocab import REACHED_STATUSES
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Member


@dataclass(frozen=True)
class Coverage:
    unit: dict[str, Any]
    children: list[dict[str, Any]]


def coverage(campaign: SurveyCampaign, unit: Unit) -> Coverage:
    """Labour members, reached and unreached under ``unit`` and each unit below it, with each
    unit's confirmation: two grouped queries whatever the size."""
    rows = (
        SurveyEntry.objects.filter(path_prefix_q(unit.path, "unit_path"), campaign=campaign)
        .values_list("unit_path", "status")
        .annotate(n=Count("pk"))
    )
    labour: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    for path, status, n in rows:
        labour[path] += n
        reached[path] += n if status in REACHED_STATUSES else 0
    confirmations = {
        c.unit_id: c
        for c in SurveyConfirmation.objects.filter(campaign=campaign).select_related("confirmed_by")
    }
    children = list(unit.children.order_by("name"))

    def row(target: Unit) -> dict[str, Any]:
        total = sum(n for p, n in labour.items() if p.startswith(target.path))
        done = sum(n for p, n in reached.items() if p.startswith(target.path))
        confirmed = confirmations.get(target.pk)
        return {
            "unit_id": target.pk,
            "unit_name": target.name,
            "level": target.level,
            "level_label": target.get_level_display(),
            "labour": total,
            "reached": done,
            "unreached": total - done,
            "coverage": rate(done, total),
            "confirmed": confirmed is not None,
            "confirmed_by": str(confirmed.confirmed_by) if confirmed and confirmed.confirmed_by else None,
            "confirmed_at": confirmed.confirmed_at if confirmed else None,
        }

    return Coverage(row(unit), [row(c) for c in children])


def unreached(campaign: SurveyCampaign, unit: Unit) -> QuerySet[SurveyEntry]:
    """The entries under ``unit`` the survey has not reached (pending or unreachable)."""
    return (
        SurveyEntry.objects.filter(path_prefix_q(unit.path, "unit_path"), campaign=campaign)
        .exclude(status__in=REACHED_STATUSES)
        .select_related("member__household")
    )


@dataclass(frozen=True)
class PersonPath:
    wish: Wish | None
    survey: list[SurveyEntry]
    enrolments: list[dict[str, Any]]
    referrals: list[Referral]
    transport: list[dict[str, Any]]
    placements: list[Placement]
    follow_ups: list[dict[str, Any]]
    stable: bool
    stable_since: date | None


def person_path(member: Member, today: date) -> PersonPath:
    """Everything the six steps know about one worker, in order."""
    placements = list(Placement.objects.filter(member=member).order_by("started_on"))
    current = next((p for p in placements if p.ended_on is None), None)
    since = current.continuous_since if current else None
    return PersonPath(
        wish=Wish.objects.filter(member=member).first(),
        survey=list(
            SurveyEntry.objects.filter(member=member).select_related("member__household").order_by("pk")
        ),
        enrolments=[
            {
                "course_id": e.course_id,
                "course": e.course.name,
                "enterprise": e.course.enterprise.name,
                "starts_on": e.course.starts_on,
                "ends_on": e.course.ends_on,
                "status": e.status,
                "attended": e.attended,
                "sessions": e.course.sessions,
                "certificate_no": e.certificate_no,
            }
            for e in Enrolment.objects.filter(member=member).select_related("course__enterprise")
        ],
        referrals=list(
            Referral.objects.filter(member=member)
            .select_related("posting__enterprise")
            .order_by("referred_on", "pk")
        ),
        transport=[
            {
                "batch_id": p.batch_id,
                "departs_on": p.batch.departs_on,
                "vehicle": p.batch.vehicle,
                "enterprise": p.batch.enterprise.name,
                "arrived": p.arrived,
                "arrived_on": p.batch.arrived_on,
            }
            for p in Passenger.objects.filter(member=member).select_related("batch__enterprise")
        ],
        placements=placements,
        follow_ups=[
            {"due_on": f.due_on, "done_on": f.done_on, "method": f.method, "still_employed": f.still_employed}
            for f in FollowUp.objects.filter(placement__member=member).order_by("due_on")
        ],
        stable=since is not None and since <= stable_cutoff(today),
        stable_since=since,
    )
