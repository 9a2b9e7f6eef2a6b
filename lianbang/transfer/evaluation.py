"""Saving many households without judging each one, then judging them in one set-based pass.

The registry re-judges a household inside every write (``monitoring.receivers``). A large
import instead turns that off *for its own thread only* and runs the set-based bulk
evaluation once at the end: other requests served by the same process at the same time are
still judged as they write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lianbang.monitoring import bulk
from lianbang.monitoring.engine import make_plan
from lianbang.monitoring.models import EvaluationRun
from lianbang.monitoring.receivers import reevaluate_household
from lianbang.monitoring.selectors import active_rule_set, computed_label_specs, rule_specs
from lianbang.monitoring.signals import lights_changed_in_bulk
from lianbang.registry.signals import household_changed

_local = threading.local()
_lock = threading.Lock()
_users = 0
_UID = "transfer.reevaluate_unless_deferred"


def _reevaluate_unless_deferred(sender: Any, **kwargs: Any) -> None:
    if not getattr(_local, "deferred", False):
        reevaluate_household(sender, **kwargs)


@contextmanager
def deferred_evaluation() -> Iterator[None]:
    """Within the block, this thread's registry writes are not re-judged one by one."""
    global _users
    with _lock:
        if _users == 0:
            household_changed.connect(_reevaluate_unless_deferred, dispatch_uid=_UID)
            household_changed.disconnect(reevaluate_household)
        _users += 1
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = False
        with _lock:
            _users -= 1
            if _users == 0:
                household_changed.connect(reevaluate_household)
                household_changed.disconnect(dispatch_uid=_UID)


# The households judged per statement: each id is bound three times (households, members,
# events), well under PostgreSQL's 65,535 parameters.
JUDGE_CHUNK = 5000


@transaction.atomic
def households_judge(*, household_ids: list[int], as_of: date, cause: str) -> int:
    """Judge these households with the monitoring engine's set-based bulk evaluation and keep
    the changes (lights, light history, computed labels); alerts are raised as after a bulk
    run (``lights_changed_in_bulk``, once for all). Returns the number of lights changed.

    ``monitoring.bulk`` judges every household at once; an import judges only the households
    its file names, so it runs the same statements with the plan restricted to them."""
    rule_set = active_rule_set()
    if rule_set is None or not household_ids:
        return 0
    now = timezone.now()
    changed = 0
    ids = sorted(household_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), JUDGE_CHUNK):
            chunk = ids[start : start + JUDGE_CHUNK]
            plan = make_plan(
                as_of=as_of,
                rules=rule_specs(rule_set),
                labels=computed_label_specs(),
                household_ids=chunk,
                recent_days=rule_set.recent_days,
            )
            bulk._create_judgements(cursor, plan)
            changed += bulk._write_lights(cursor, rule_set.version, as_of, cause, now)
            bulk._write_labels(cursor, plan)
            bulk._drop_temporaries(cursor)
    lights_changed_in_bulk.send(sender=EvaluationRun, changed_at=now, cause=cause)
    return changed
