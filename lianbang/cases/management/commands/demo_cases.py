"""``lianbang demo_cases``: cases in every state, with backdated timelines, on the demo district.

Run after ``lianbang generate`` and ``lianbang evaluate --all``; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianbang.cases.demo import demo_cases_shape


class Command(BaseCommand):
    help = "Put demo cases in every state, with realistic timelines, on an already generated district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=20261129, help="same seed, same choices")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_cases_shape(seed=options["seed"]).summary())
