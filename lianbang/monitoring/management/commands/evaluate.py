"""``lianbang evaluate``: re-judge stored households, or judge documents without storing them.

lianbang evaluate --all [--as-of 2026-11-29]     every household, set-based (those whose
                                                 judgement still holds are left; --full
                                                 judges every one again)
lianbang evaluate --queued                       run queued re-judgements (the worker)
lianbang evaluate --as-of 2026-11-29 FILE.json   what-if: one JSON object per line
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.common.errors import ApplicationError
from lianbang.monitoring.bulk import households_evaluate_all, run_queued_evaluations
from lianbang.monitoring.whatif import documents_evaluate
from lianbang.registry.management.commands.load import read_documents
from lianbang.registry.parsing import parse_day


class Command(BaseCommand):
    help = "Judge households: --all (stored, set-based), --queued, or FILE.json (what-if)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="interchange documents to judge")
        parser.add_argument("--all", action="store_true", help="re-judge every stored household")
        parser.add_argument("--full", action="store_true", help="with --all: judge every household again")
        parser.add_argument("--queued", action="store_true", help="run queued re-judgements")
        parser.add_argument("--as-of", type=_day, default=None, help="evaluation date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        if options["file"]:
            self._what_if(options["file"], as_of)
        elif options["all"]:
            report = households_evaluate_all(as_of=as_of, cause="command", full=options["full"])
            self.stdout.write(
                f"judged {report.households} households as of {as_of} "
                f"({report.households_rules_only} of them by the rules alone, their labels still "
                f"holding): {report.lights_changed} lights changed "
                f"({report.seconds_judging:.2f} s judging, "
                f"{report.seconds_writing:.2f} s writing); "
                f"{report.households_current} other households' judgements still hold"
            )
        elif options["queued"]:
            self.stdout.write(f"ran {len(run_queued_evaluations())} queued re-judgements")
        else:
            raise CommandError("give FILE.json, --all or --queued")

    def _what_if(self, path: Path, as_of: date) -> None:
        try:
            results = documents_evaluate(documents=read_documents(path), as_of=as_of)
        except ApplicationError as error:
            raise CommandError(error.message_en) from error
        for result in results:
            self.stdout.write(json.dumps(result, ensure_ascii=False))


def _day(raw: str) -> date:
    day = parse_day(raw)
    if day is None:
        raise ValueError(raw)
    return day
