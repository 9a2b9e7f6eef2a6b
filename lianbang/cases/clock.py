"""The time services act at: injectable (``now=``) so that deadlines can be tested."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def current(now: datetime | None = None) -> datetime:
    """``now`` when a caller (a test, the demo) supplies it, else the real time."""
    return now if now is not None else timezone.now()


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def month_start(moment: datetime) -> datetime:
    """Midnight of the first day of ``moment``'s month, local time."""
    day = local_day(moment).replace(day=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def months_before(moment: datetime, months: int) -> datetime:
    """The same local day and time ``months`` calendar months earlier (clamped to the month's end)."""
    local = timezone.localtime(moment)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    day = min(local.day, _days_in(year, month + 1))
    return local.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime, months: int) -> datetime:
    return months_before(moment, -months)


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
