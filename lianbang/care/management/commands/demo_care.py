"""``lianbang demo_care``: care, ratings and policy receipts on an already generated district.

Run after ``lianbang generate``; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianbang.care.demo import demo_care


class Command(BaseCommand):
    help = "Fill elderly schedules, volunteers, children and aid, activities, ratings and policy receipts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=20261129, help="same seed, same choices")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_care(seed=options["seed"]).text())
