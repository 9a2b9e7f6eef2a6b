"""Who counts (DOMAIN §4, §6): labour members, employed and stably employed.

The labour definition is the monitoring engine's (``facts.labour``): the same skill and
schooling sets from the registry vocabulary and the same age cut-offs, here as a Django
``Q`` for querysets. A test checks both agree on the same data.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from lianbang.monitoring.facts import age_cutoff
from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Member
from lianbang.registry.vocab import LABOUR_SKILLS, NOT_IN_SCHOOL, HouseholdStatus, MemberStatus

DEFAULT_STABLE_MONTHS = 6


def labour_q(day: date, prefix: str = "", *, active_then: bool = False) -> Q:
    """劳动力 on ``day``: active, aged 16–64, 普通/技能/弱 labour, not in school.

    With ``active_then`` (a past day), someone who died or moved out after ``day`` counts."""
    active = Q(**{f"{prefix}status": MemberStatus.ACTIVE})
    if active_then:
        active |= Q(**{f"{prefix}status_date__gt": day})
    return active & Q(
        **{
            f"{prefix}birth_date__lte": age_cutoff(day, 16),
            f"{prefix}birth_date__gt": age_cutoff(day, 65),
            f"{prefix}labor_skill__in": sorted(LABOUR_SKILLS),
            f"{prefix}schooling__in": sorted(NOT_IN_SCHOOL),
        }
    )


def labour_members(unit: Unit, day: date) -> QuerySet[Member]:
    """The labour members of the active households under ``unit``."""
    return Member.objects.filter(
        labour_q(day),
        path_prefix_q(unit.path, "household__unit__path"),
        household__status=HouseholdStatus.ACTIVE,
    )


def stable_months() -> int:
    """稳定就业 = employed continuously at least this many months (*configurable*:
    ``LIANBANG_STABLE_EMPLOYMENT_MONTHS``, default 6)."""
    return int(getattr(settings, "LIANBANG_STABLE_EMPLOYMENT_MONTHS", DEFAULT_STABLE_MONTHS))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def stable_cutoff(day: date, months: int | None = None) -> date:
    """Employed since this day or earlier (and still) = stably employed on ``day``.

    Exactly ``months`` months counts: work since 2026-05-29 is stable on 2026-11-29."""
    return months_before(day, stable_months() if months is None else months)
