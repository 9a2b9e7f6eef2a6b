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
from typing import Any

from lianbang.monitoring.receivers import reevaluate_household
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
