"""The Celery application (production background jobs; Redis broker).

Start a worker: ``DJANGO_SETTINGS_MODULE=lianbang.settings celery -A lianbang.celery worker -l info``.
Settings come from Django's ``CELERY_*`` settings (``CELERY_BROKER_URL``). The periodic jobs
(``CELERY_BEAT_SCHEDULE``: the cases tick and the outbox) run under beat:
``celery -A lianbang.celery beat -l info`` (one beat per deployment)."""

from __future__ import annotations

import os

from celery import Celery  # type: ignore[import-untyped]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

app = Celery("lianbang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["lianbang.jobs", "lianbang.cases"])
