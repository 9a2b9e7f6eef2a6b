"""The dates the demo district is built around."""

from __future__ import annotations

from datetime import date, timedelta

#: Ages, "recent" and stable employment are judged on this day (DOMAIN §4 example D).
EVALUATION_DATE = date(2026, 11, 29)
#: Events of the last year (事件) fall in this window.
EVENT_WINDOW_START = date(2025, 12, 1)
#: "Recent" = after D − 90 days (DOMAIN §4): events from this day on light a household.
RECENT_START = EVALUATION_DATE - timedelta(days=89)
#: Employed on or before this day = employed continuously ≥ 6 months (稳定就业).
STABLE_SINCE = date(2026, 5, 29)
CURRENT_YEAR = 2026
PREVIOUS_YEAR = 2025
