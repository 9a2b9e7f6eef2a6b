"""Registry writes re-judge the household they touched, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lianbang.monitoring.engine import household_evaluate
from lianbang.registry.signals import household_changed


@receiver(household_changed)
def reevaluate_household(sender: Any, *, household_id: int, cause: str, **kwargs: Any) -> None:
    household_evaluate(household_id=household_id, cause=cause)
