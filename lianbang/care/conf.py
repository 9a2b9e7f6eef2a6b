"""Care defaults (*configurable*): visit intervals by reason, in days.

``settings.LIANBANG_CARE_VISIT_DAYS`` (e.g. ``{"alone": 5}``) overrides any of them; a schedule
may also carry its own interval.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_VISIT_DAYS = {"alone": 7, "disabled": 7, "empty_nest": 14, "old_age": 14}


def visit_days(reason: str) -> int:
    overrides = getattr(settings, "LIANBANG_CARE_VISIT_DAYS", {}) or {}
    return int(overrides.get(reason, DEFAULT_VISIT_DAYS.get(reason, 7)))
