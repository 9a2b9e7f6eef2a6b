"""``lianbang dashboards refresh``: rebuild the dashboard roll-ups and monthly light snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.dashboards.services import TREND_MONTHS, rollup_refresh


class Command(BaseCommand):
    help = "Rebuild the dashboard roll-ups (run after bulk evaluation and periodically)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute every unit's, building's and grid's figures")
        refresh.add_argument("--now", help="take the figures as of this ISO time (tests, replays)")
        refresh.add_argument(
            "--months", type=int, default=TREND_MONTHS, help="past months of the trend to keep stored"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = rollup_refresh(now=_moment(options.get("now")), trend_months=options["months"])
        self.stdout.write(report.summary())


def _moment(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--now {raw!r}: 不是ISO时间 (not an ISO time)") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
