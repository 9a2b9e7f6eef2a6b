"""Figures the standard reports take from the cases app (issue 4), behind named hooks.

``case_figures_for`` gives, per unit and month, the risks eliminated, open cases by state and
overdue cases; ``publicity_entries_for`` gives the households on the unit's 公示 list. While
nothing is registered, the cases app is asked directly when it is installed; without it the
report leaves those columns empty and the 公示 list falls back to the monitored households.
The cases app may register its own providers (``register_case_figures`` /
``register_publicity``) in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps

from lianbang.org.models import Unit, path_prefix_q
from lianbang.registry import vocab
from lianbang.registry.models import Household


@dataclass(frozen=True)
class CaseFigures:
    eliminated: int
    open_by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


@dataclass(frozen=True)
class PublicityEntry:
    household: Household
    matter: str = ""
    started: datetime | None = None


CaseFiguresProvider = Callable[[Unit, datetime, datetime], CaseFigures | None]
PublicityProvider = Callable[[Unit], list[PublicityEntry]]
_providers: dict[str, object] = {}


def register_case_figures(provider: CaseFiguresProvider) -> None:
    _providers["case_figures"] = provider


def register_publicity(provider: PublicityProvider) -> None:
    _providers["publicity"] = provider


def case_figures_for(unit: Unit, start: datetime, end: datetime) -> CaseFigures | None:
    provider = _providers.get("case_figures")
    if callable(provider):
        result: CaseFigures | None = provider(unit, start, end)
        return result
    return _from_cases_app(unit, start, end) if apps.is_installed("lianbang.cases") else None


def publicity_entries_for(unit: Unit) -> list[PublicityEntry]:
    provider = _providers.get("publicity")
    if callable(provider):
        entries: list[PublicityEntry] = provider(unit)
        return entries
    if apps.is_installed("lianbang.cases"):
        return _publicity_from_cases_app(unit)
    return _monitored_households(unit)


def _from_cases_app(unit: Unit, start: datetime, end: datetime) -> CaseFigures:
    from lianbang.cases.figures import case_figures, eliminated_between, open_by_state_and_level
    from lianbang.cases.selectors import cases_in_unit

    cases = cases_in_unit(unit)
    by_state: dict[str, int] = {}
    for (_kind, state, _level), count in open_by_state_and_level(cases).items():
        by_state[state] = by_state.get(state, 0) + count
    return CaseFigures(
        eliminated=eliminated_between(cases, start, end),
        open_by_state=by_state,
        overdue=case_figures(unit=unit).overdue_cases,
    )


def _publicity_from_cases_app(unit: Unit) -> list[PublicityEntry]:
    from lianbang.cases.selectors import cases_in_publicity

    return [
        PublicityEntry(case.household, case.title, case.publicity_started_at)
        for case in cases_in_publicity(unit)
        if case.household is not None
    ]


def _monitored_households(unit: Unit) -> list[PublicityEntry]:
    households = Household.objects.filter(
        path_prefix_q(unit.path, "unit__path"), status=vocab.HouseholdStatus.ACTIVE
    ).exclude(monitoring_type="")
    return [PublicityEntry(h, "监测对象") for h in households.order_by("household_no")]
