"""``lianbang labels_doc [--output docs/labels.md]``: the label taxonomy as Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianbang.monitoring.labels import labels_markdown


class Command(BaseCommand):
    help = "Write the label taxonomy (categories, subcategories, labels and conditions) as Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="write to this file instead of standard output")

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        text = labels_markdown()
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {output}")
