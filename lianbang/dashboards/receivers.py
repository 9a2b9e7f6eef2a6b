"""After a bulk evaluation commits, the roll-ups are rebuilt (monitoring never imports us).

``LIANBANG_DASHBOARDS_REFRESH_ON_BULK = False`` leaves it to the periodic job instead (e.g. when
bulk runs come in bursts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from lianbang.monitoring.signals import lights_changed_in_bulk


@receiver(lights_changed_in_bulk)
def refresh_after_bulk_run(sender: Any, *, changed_at: datetime, cause: str, **kwargs: Any) -> None:
    if getattr(settings, "LIANBANG_DASHBOARDS_REFRESH_ON_BULK", True):
        transaction.on_commit(_refresh, robust=True)


def _refresh() -> None:
    from lianbang.dashboards.services import rollup_refresh

    rollup_refresh()
