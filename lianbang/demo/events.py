"""What happened in the last year (事件, 2025-12-01 … 2026-11-29), applied to the members.

A job loss leaves the member unemployed (unless a later job start); a death marks the member
deceased. Only the last 90 days count for the light, so about a quarter of these events do.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from lianbang.demo.calendar import EVALUATION_DATE, EVENT_WINDOW_START
from lianbang.demo.draws import Weighted, chance, integer, one_of, random_date, yuan
from lianbang.demo.people import age_on, employ, unemploy
from lianbang.demo.records import EventRow, MemberRow
from lianbang.registry.vocab import EventType, Health, MemberStatus, Relation, Schooling, Severity

_JOB_LOSS = 0.05
_REHIRED = 0.35
_ACCIDENT = 0.012
_SERIOUS_ACCIDENT = 0.35
_DISASTER = 0.006
_DEATH = 0.009
_DISASTERS = Weighted(
    [
        ("暴雨洪涝，承包地农作物受损", 4.0),
        ("山体滑坡（地质灾害）", 2.0),
        ("冰雹灾害", 2.0),
        ("干旱，农作物减产", 2.0),
        ("地震，老家房屋受损", 0.5),
    ]
)
_ACCIDENTS = Weighted([("务工期间受伤", 4.0), ("交通事故", 3.0), ("摔伤", 2.0), ("烧烫伤", 1.0)])


def household_events(rng: random.Random, household_key: int, members: list[MemberRow]) -> list[EventRow]:
    events = [*_births(household_key, members), *_health_events(rng, household_key, members)]
    for happen in (_job_loss, _accident, _disaster):
        events += happen(rng, household_key, members)
    return events + _death(rng, household_key, members, events)


def _date(rng: random.Random, member: MemberRow | None = None, after: date = EVENT_WINDOW_START) -> date:
    """A day of the window, not before ``after`` nor before the member was born."""
    first = max(after, member.birth_date) if member is not None else after
    return random_date(rng, first, EVALUATION_DATE)


def _births(household_key: int, members: list[MemberRow]) -> list[EventRow]:
    return [
        EventRow(household_key, m.key, EventType.BIRTH.value, m.birth_date)
        for m in members
        if m.birth_date >= EVENT_WINDOW_START
    ]


def _health_events(rng: random.Random, household_key: int, members: list[MemberRow]) -> list[EventRow]:
    """Diagnoses of the year for some of the members who carry that condition now."""
    events = []
    for member in members:
        kind = _HEALTH_EVENT.get(member.health)
        if kind is not None and chance(rng, kind[1]):
            events.append(EventRow(household_key, member.key, kind[0], _date(rng, member)))
        if member.schooling == Schooling.DROPOUT and chance(rng, 0.6):
            events.append(EventRow(household_key, member.key, EventType.DROPOUT.value, _date(rng, member)))
    return events


_HEALTH_EVENT = {
    Health.SERIOUS.value: (EventType.SERIOUS_ILLNESS.value, 0.3),
    Health.CHRONIC.value: (EventType.CHRONIC_ILLNESS.value, 0.04),
    Health.DISABLED.value: (EventType.DISABILITY.value, 0.03),
}


def _job_loss(rng: random.Random, household_key: int, members: list[MemberRow]) -> list[EventRow]:
    employed = [m for m in members if m.work_location]
    if not employed or not chance(rng, _JOB_LOSS):
        return []
    member = one_of(rng, employed)
    lost = _date(rng, member)
    unemploy(member)
    events = [EventRow(household_key, member.key, EventType.JOB_LOSS.value, lost, note="企业减员，待业")]
    rehired = lost + timedelta(days=integer(rng, 15, 120))
    if rehired <= EVALUATION_DATE and chance(rng, _REHIRED):
        employ(rng, member, since=rehired)
        events.append(EventRow(household_key, member.key, EventType.JOB_START.value, rehired))
    return events


def _accident(rng: random.Random, household_key: int, members: list[MemberRow]) -> list[EventRow]:
    candidates = [m for m in members if age_on(m.birth_date) >= 6]
    if not candidates or not chance(rng, _ACCIDENT):
        return []
    member = one_of(rng, candidates)
    severity = Severity.SERIOUS if chance(rng, _SERIOUS_ACCIDENT) else Severity.MINOR
    return [
        EventRow(
            household_key,
            member.key,
            EventType.ACCIDENT.value,
            _date(rng, member),
            severity=severity.value,
            note=_ACCIDENTS.pick(rng),
        )
    ]


def _disaster(rng: random.Random, household_key: int, members: list[MemberRow]) -> list[EventRow]:
    if not chance(rng, _DISASTER):
        return []
    loss = yuan(integer(rng, 10, 400) * 10_000)  # 1,000 – 40,000 元
    return [
        EventRow(
            household_key,
            None,
            EventType.DISASTER.value,
            _date(rng),
            loss=loss,
            house_damaged=chance(rng, 0.25),
            note=_DISASTERS.pick(rng),
        )
    ]


def _death(
    rng: random.Random, household_key: int, members: list[MemberRow], events: list[EventRow]
) -> list[EventRow]:
    """Mostly an elderly member; never the head, who stays the household's one 户主."""
    others = [m for m in members if m.relation != Relation.HEAD]
    if not others or not chance(rng, _DEATH):
        return []
    elderly = [m for m in others if age_on(m.birth_date) >= 60]
    member = one_of(rng, elderly if elderly and chance(rng, 0.8) else others)
    last_seen = max((e.date for e in events if e.member_key == member.key), default=EVENT_WINDOW_START)
    died = _date(rng, member, after=last_seen)
    unemploy(member)
    member.status, member.status_date = MemberStatus.DECEASED.value, died
    return [EventRow(household_key, member.key, EventType.DEATH.value, died)]
