"""就业补贴 (跨省务工稳岗就业补贴): a 脱贫 household with a labour member working 省外 whose
current employment began at least 3 full months before the evaluation date qualifies."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps

from lianbang.accounts.tests.cast import Cast
from lianbang.care.tests.people import household, person
from lianbang.policies import eligibility
from lianbang.policies.models import Policy

D = date(2026, 11, 29)
MIGRATION = importlib.import_module("lianbang.policies.migrations.0003_employment_subsidy_months")


def _worker(employment: dict[str, Any] | None) -> dict[str, Any]:
    return person(
        "53011319880808001", "李国强", labor_skill="普通劳动力", education="初中", employment=employment
    )


def _qualifies(employment: dict[str, Any] | None, as_of: date = D) -> bool:
    saved = household("530113-000401", "G-0001", "501", [_worker(employment)], category="脱贫户")
    found = {s.policy.code: s for s in eligibility.household_standings(saved, as_of)}
    return found["employment_subsidy"].eligible


def _job(location: str, since: str) -> dict[str, Any]:
    return {"location": location, "employer": "东莞某电子厂", "since": since, "monthly_wage": 4800}


@pytest.mark.parametrize(
    ("employment", "expected"),
    [
        pytest.param(_job("省外", "2026-08-29"), True, id="exactly 3 months"),
        pytest.param(_job("省外", "2025-03-01"), True, id="20 months"),
        pytest.param(_job("省外", "2026-08-30"), False, id="2 months 30 days"),
        pytest.param(None, False, id="no employment"),
        pytest.param(_job("县外省内", "2025-03-01"), False, id="employed in the province"),
    ],
)
def test_three_full_months_of_work_outside_the_province_qualify(
    cast: Cast, employment: dict[str, Any] | None, expected: bool
) -> None:
    assert _qualifies(employment) is expected


def test_a_start_at_the_end_of_a_longer_month_counts_to_the_end_of_a_shorter_one(cast: Cast) -> None:
    # 31 May 2026 − 3 months falls back to 28 February (as a 29 February birthday does for ages).
    assert _qualifies(_job("省外", "2026-02-28"), as_of=date(2026, 5, 31))


def test_a_start_one_day_later_in_the_short_month_does_not(cast: Cast) -> None:
    assert not _qualifies(_job("省外", "2026-03-01"), as_of=date(2026, 5, 31))


def test_the_migration_changes_the_policy_as_shipped_and_leaves_an_edited_one(cast: Cast) -> None:
    policy = Policy.objects.get(code="employment_subsidy")
    assert policy.eligibility == MIGRATION.NEW["eligibility"]
    MIGRATION.backwards(apps, None)
    policy.refresh_from_db()
    assert (policy.eligibility, policy.note) == (MIGRATION.OLD["eligibility"], MIGRATION.OLD["note"])
    edited = {
        "all": [*MIGRATION.OLD["eligibility"]["all"], {"fact": "active_members", "op": ">=", "value": 2}]
    }
    Policy.objects.filter(pk=policy.pk).update(eligibility=edited)
    MIGRATION.forwards(apps, None)
    policy.refresh_from_db()
    assert policy.eligibility == edited
