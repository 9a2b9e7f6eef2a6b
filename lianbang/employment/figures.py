"""The employment figures of a unit (DOMAIN §6), computed from the data.

Now: from the registry (the member's current job, as monitoring sees it).
Employment rate = employed labour members / labour members; stable employment rate = labour
members employed continuously since at least ``months`` months ago (务工时间 ≤ the cut-off) /
labour members. Over time: from the employment records (``Placement``), month by month.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from lianbang.employment.labour import labour_members, labour_q, months_before, stable_cutoff, stable_months
from lianbang.employment.models import FairAttendee, FairEnterprise, JobFair, JobPosting, Placement
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Member
from lianbang.registry.vocab import WorkLocation


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with two decimals (91.60), exact; None without a denominator."""
    if whole == 0:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    as_of: date
    stable_months: int
    labour: int
    employed: int
    stable: int

    @property
    def employment_rate(self) -> Decimal | None:
        return rate(self.employed, self.labour)

    @property
    def stable_rate(self) -> Decimal | None:
        return rate(self.stable, self.labour)


def rates_of(labour: QuerySet[Member], as_of: date, months: int | None = None) -> Rates:
    months = stable_months() if months is None else months
    cutoff = stable_cutoff(as_of, months)
    counts = labour.aggregate(
        labour=Count("pk"),
        employed=Count("pk", filter=~Q(work_location="")),
        stable=Count("pk", filter=~Q(work_location="") & Q(employed_since__lte=cutoff)),
    )
    return Rates(as_of, months, counts["labour"], counts["employed"], counts["stable"])


def unit_rates(unit: Unit, as_of: date, months: int | None = None) -> Rates:
    return rates_of(labour_members(unit, as_of), as_of, months)


@dataclass
class Breakdown:
    by_destination: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_station: dict[str, int] = field(default_factory=dict)


def breakdown(unit: Unit, as_of: date) -> Breakdown:
    """Employed labour members by 务工所在地, by channel (五个一批 …) and by service station."""
    employed = labour_members(unit, as_of).exclude(work_location="")
    destinations = Counter(dict(employed.values_list("work_location").annotate(n=Count("pk"))))
    channels = Counter(dict(employed.values_list("employment_channel").annotate(n=Count("pk"))))
    stations = Counter(
        dict(
            Placement.objects.filter(member__in=employed, ended_on__isnull=True)
            .exclude(station="")
            .values_list("station")
            .annotate(n=Count("pk"))
        )
    )
    return Breakdown(
        {code: destinations.get(code, 0) for code in WorkLocation.values if code},
        {str(k or "未填"): v for k, v in sorted(channels.items(), key=lambda kv: -kv[1])},
        dict(stations),
    )


def zero_employment_households(unit: Unit, as_of: date) -> int:
    """零就业家庭: at least one labour member and none of them employed."""
    return (
        labour_members(unit, as_of)
        .values("household_id")
        .annotate(employed=Count("pk", filter=~Q(work_location="")))
        .filter(employed=0)
        .count()
    )


@dataclass(frozen=True)
class FairFigures:
    fairs: int
    enterprises: int
    posts: int
    attendees: int
    hired_at_fairs: int
    open_postings: int
    open_places: int


def fair_figures(unit: Unit, start: date, end: date) -> FairFigures:
    """Job fairs held in [start, end] by units under ``unit``, and the jobs open on ``end``."""
    fairs = JobFair.objects.filter(path_prefix_q(unit.path, "unit__path"), held_on__range=(start, end))
    taking_part = FairEnterprise.objects.filter(fair__in=fairs)
    attendees = FairAttendee.objects.filter(fair__in=fairs)
    postings = JobPosting.objects.filter(
        Q(path_prefix_q(unit.path, "unit__path")) | Q(unit__pk__in=_ancestors(unit)),
        status=JobPosting.Status.OPEN,
        deadline__gte=end,
    )
    places = postings.aggregate(total=Sum("headcount"), hired=Sum("hired"))
    return FairFigures(
        fairs=fairs.count(),
        enterprises=taking_part.values("enterprise_id").distinct().count(),
        posts=taking_part.aggregate(n=Sum("posts"))["n"] or 0,
        attendees=attendees.count() + (fairs.aggregate(n=Sum("walk_in_attendees"))["n"] or 0),
        hired_at_fairs=attendees.filter(outcome="hired").count(),
        open_postings=postings.count(),
        open_places=(places["total"] or 0) - (places["hired"] or 0),
    )


def _ancestors(unit: Unit) -> list[int]:
    return [int(pk) for pk in unit.path.strip("/").split("/")]


def month_ends(as_of: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months up to ``as_of`` (``as_of`` itself last)."""
    points = [as_of]
    day = as_of.replace(day=1) - timedelta(days=1)
    while len(points) < months:
        points.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(points)


def series(unit: Unit, as_of: date, months: int, stable: int | None = None) -> list[Rates]:
    """Rates month by month from the employment records: employed on day t = a record covering
    t; stable = its unbroken run of work began at least ``stable`` months before t."""
    stable = stable_months() if stable is None else stable
    return [_rates_on(unit, day, stable) for day in month_ends(as_of, months)]


def _rates_on(unit: Unit, day: date, stable: int) -> Rates:
    labour = Member.objects.filter(
        labour_q(day, active_then=True), path_prefix_q(unit.path, "household__unit__path")
    )
    covering = Placement.objects.filter(member=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    counts = labour.annotate(
        working=Exists(covering),
        steady=Exists(covering.filter(continuous_since__lte=months_before(day, stable))),
    ).aggregate(
        labour=Count("pk"),
        employed=Count("pk", filter=Q(working=True)),
        stable=Count("pk", filter=Q(steady=True)),
    )
    return Rates(day, stable, counts["labour"], counts["employed"], counts["stable"])
