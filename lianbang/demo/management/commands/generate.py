"""``lianbang generate``: the synthetic demo district (演示数据)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.common.errors import ApplicationError
from lianbang.demo.generator import DEFAULT_SEED
from lianbang.demo.services import GenerationReport, demo_data_present, district_generate
from lianbang.demo.shape import DEFAULT_HOUSEHOLDS


class Command(BaseCommand):
    help = "Generate the synthetic district: units, buildings, grids, accounts and households."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed (default {DEFAULT_SEED}); same seed, same data",
        )
        parser.add_argument(
            "--households",
            type=int,
            default=DEFAULT_HOUSEHOLDS,
            help=f"number of households (default {DEFAULT_HOUSEHOLDS})",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds households"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_data_present():
            self.stdout.write("已有户数据，未生成 (households exist; nothing generated).")
            return
        try:
            report = district_generate(seed=options["seed"], households=options["households"])
        except ApplicationError as error:
            raise CommandError(f"{error.message} ({error.message_en})") from error
        self.stdout.write(format_report(report))


def format_report(report: GenerationReport) -> str:
    lines = [f"seed {report.seed}, {report.households:,} households, {report.method}"]
    lines += [f"  {label:<22} {rows:>10,}" for label, rows in report.counts.items()]
    lines.append(f"  {'total':<22} {sum(report.counts.values()):>10,}")
    lines.append(f"{report.lights.summary()}")
    lines.append(f"elapsed {report.seconds:.1f} s (generating {report.generate_seconds:.1f} s)")
    return "\n".join(lines)
