"""The periodic jobs of the assistance chain as Celery tasks (beat runs them in production).

``lianbang.cases.tick`` is ``lianbang tick`` without the delivery (cases for pending alerts,
reminders, overdue steps, escalation); ``lianbang.cases.deliver_outbox`` sends the outbox on
its own, more frequent schedule. ``CELERY_BEAT_SCHEDULE`` in the settings names both; their
periods are ``LIANBANG_TICK_SECONDS`` and ``LIANBANG_OUTBOX_SECONDS``.
"""

from __future__ import annotations

from lianbang.cases.services.deadlines import cases_tick
from lianbang.cases.services.delivery import outbox_deliver
from lianbang.celery import app

TICK_TASK = "lianbang.cases.tick"
OUTBOX_TASK = "lianbang.cases.deliver_outbox"


@app.task(name=TICK_TASK, ignore_result=True)
def tick() -> str:
    """One run of the periodic job; several at once are safe (steps are claimed one by one)."""
    return cases_tick(deliver=False).summary()


@app.task(name=OUTBOX_TASK, ignore_result=True)
def deliver_outbox() -> str:
    report = outbox_deliver()
    return f"sent {report.sent}, retrying {report.failed}, dead {report.dead}"
