"""``lianbang export WHAT OUT.xlsx``: the console's exports for operators (always masked).

lianbang export members OUT.xlsx [--unit ID] [--color red] [--monitoring-only]
lianbang export households OUT.xlsx [--unit ID] ...
lianbang export monthly OUT.xlsx --unit ID [--month 2026-11-01]
lianbang export employment OUT.xlsx --unit ID [--as-of 2026-11-29]
lianbang export publicity OUT.xlsx --unit ID
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry.models import Household
from lianbang.transfer.exports import ListFilter, households_export, members_export
from lianbang.transfer.reports import employment_report, monthly_report, publicity_list
from lianbang.transfer.tasks import CONSOLE_LIST_EXPORTS, EXPORTS


class Command(BaseCommand):
    help = "Export a list or a standard report to .xlsx (sensitive fields masked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(set(EXPORTS) - CONSOLE_LIST_EXPORTS))
        parser.add_argument("output", type=Path)
        parser.add_argument("--unit", type=int, default=None)
        parser.add_argument("--color", default="")
        parser.add_argument("--monitoring-only", action="store_true")
        parser.add_argument("--month", type=date.fromisoformat, default=None)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(pk=options["unit"]).first() if options["unit"] else None
        if options["unit"] and unit is None:
            raise CommandError(f"no unit {options['unit']}")
        rows = self._export(options, unit)
        self.stdout.write(f"{EXPORTS[options['what']]}: {rows} rows → {options['output']}")

    def _export(self, options: dict[str, Any], unit: Unit | None) -> int:
        what, output = options["what"], options["output"]
        if what in ("members", "households"):
            households = Household.objects.all()
            if unit is not None:
                households = households.filter(path_prefix_q(unit.path, "unit__path"))
            list_filter = ListFilter(color=options["color"], monitoring_only=options["monitoring_only"])
            writer = members_export if what == "members" else households_export
            return writer(output, households=households, list_filter=list_filter)
        if unit is None:
            raise CommandError("--unit is required for reports")
        today = timezone.localdate()
        if what == "monthly":
            return monthly_report(output, unit=unit, month=options["month"] or today)
        if what == "employment":
            return employment_report(output, unit=unit, as_of=options["as_of"] or today)
        return publicity_list(output, unit=unit)
