"""``lianbang demo_employment``: the six steps of employment on the generated district.

Run after ``lianbang generate`` (and ``evaluate``/``demo_cases``); a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianbang.employment.demo import demo_employment


class Command(BaseCommand):
    help = (
        "Fill the six steps of employment (enterprises, jobs, fairs, courses, transport …) from the district."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=20261129, help="same seed, same choices")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_employment(seed=options["seed"]).text())
