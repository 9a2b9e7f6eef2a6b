"""Employment and stable employment rates (DOMAIN §6) at their edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lianbang.conftest import Tree
from lianbang.employment.figures import rate, unit_rates, zero_employment_households
from lianbang.employment.labour import labour_members, months_before, stable_cutoff
from lianbang.employment.tests.conftest import D, Family
from lianbang.registry.models import Member


def test_exactly_six_months_of_work_is_stable_and_one_day_less_is_not(tree: Tree, family: Family) -> None:
    Member.objects.filter(pk=family.head.pk).update(employed_since=date(2026, 5, 29))
    rates = unit_rates(tree.district, D)
    assert (rates.labour, rates.employed, rates.stable) == (3, 1, 1)
    Member.objects.filter(pk=family.head.pk).update(employed_since=date(2026, 5, 30))
    assert unit_rates(tree.district, D).stable == 0


def test_the_stability_period_is_configurable(tree: Tree, family: Family, settings: object) -> None:
    Member.objects.filter(pk=family.head.pk).update(employed_since=date(2026, 8, 29))
    assert unit_rates(tree.district, D).stable == 0
    assert unit_rates(tree.district, D, months=3).stable == 1
    settings.LIANBANG_STABLE_EMPLOYMENT_MONTHS = 3  # type: ignore[attr-defined]
    assert unit_rates(tree.district, D).stable == 1


def test_rates_are_exact_percentages_and_none_without_labour() -> None:
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(916, 1000) == Decimal("91.60")
    assert rate(0, 0) is None


def test_month_arithmetic_clamps_to_the_end_of_shorter_months() -> None:
    assert stable_cutoff(D) == date(2026, 5, 29)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), -1) == date(2026, 2, 15)


def test_labour_members_follow_the_domain_definition_at_the_age_edges(tree: Tree, family: Family) -> None:
    son = family.son  # born 2008-03-01
    assert son in labour_members(tree.district, date(2024, 3, 1))  # 16 that day
    assert son not in labour_members(tree.district, date(2024, 2, 29))  # 15
    Member.objects.filter(pk=family.head.pk).update(birth_date=date(1961, 11, 30))
    assert family.head in labour_members(tree.district, D)  # 64
    Member.objects.filter(pk=family.head.pk).update(birth_date=date(1961, 11, 29))
    assert family.head not in labour_members(tree.district, D)  # 65 today


@pytest.mark.parametrize(("schooling", "counts"), [("", True), ("辍学", True), ("普通高中", False)])
def test_pupils_are_not_labour_but_dropouts_are(
    tree: Tree, family: Family, schooling: str, counts: bool
) -> None:
    code = {"": "", "辍学": "dropout", "普通高中": "senior"}[schooling]
    Member.objects.filter(pk=family.son.pk).update(schooling=code, education="" if code else "senior")
    assert (family.son in labour_members(tree.district, D)) is counts


def test_a_household_whose_labour_members_all_lost_work_is_a_zero_employment_family(
    tree: Tree, family: Family
) -> None:
    assert zero_employment_households(tree.district, D) == 0
    Member.objects.filter(pk=family.head.pk).update(work_location="", employed_since=None)
    assert zero_employment_households(tree.district, D) == 1
