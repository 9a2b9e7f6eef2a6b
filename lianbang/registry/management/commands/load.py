"""``lianbang load FILE.json``: load an array of household documents (DOMAIN §10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.registry.loading import LoadReport, households_load


class Command(BaseCommand):
    help = "Load households from a JSON array of interchange documents (upsert by household_no)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--english", action="store_true", help="report problems in English")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = read_documents(options["file"])
        report = households_load(documents=documents)
        self._print(report, english=options["english"])
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} household(s) rejected")

    def _print(self, report: LoadReport, *, english: bool) -> None:
        for rejection in report.rejected:
            error = rejection.error
            self.stderr.write(
                f"#{rejection.index} {rejection.household_no}: "
                f"{error.message_en if english else error.message}"
            )
            for problem in error.problems:
                text = problem.message_en if english else problem.message
                self.stderr.write(f"    {problem.path}: {text}")
        for number, warning in report.warnings:
            self.stdout.write(
                f"warning {number} {warning.path}: {warning.message_en if english else warning.message}"
            )
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
        )


def read_documents(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    if isinstance(data, dict):
        return [data]
    if not isinstance(data, list):
        raise CommandError(f"{path}: expected a JSON array of household documents")
    return data
