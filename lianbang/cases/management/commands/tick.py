"""``lianbang tick``: mark overdue steps, escalate, open cases for pending alerts, deliver the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.cases.services.deadlines import cases_tick


class Command(BaseCommand):
    help = "Run the assistance chain's periodic job once (Celery beat runs it in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="act as if it were this ISO time (tests, replays)")
        parser.add_argument("--no-deliver", action="store_true", help="leave the outbox alone")

    def handle(self, *args: Any, **options: Any) -> None:
        report = cases_tick(now=_moment(options["now"]), deliver=not options["no_deliver"])
        self.stdout.write(report.summary())


def _moment(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--now {raw!r}: 不是ISO时间 (not an ISO time)") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
