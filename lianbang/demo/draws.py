"""Small helpers for seeded random draws. Every draw goes through a ``random.Random``."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar

from lianbang.demo.calendar import EVALUATION_DATE

T = TypeVar("T")


def seeded(seed: int, topic: str) -> random.Random:
    """An independent stream per topic, so that changing one part leaves the others alone."""
    return random.Random(f"lianbang-demo:{seed}:{topic}")


class Weighted(Generic[T]):
    """A fixed weighted choice; bisection over cumulative weights is fast in a hot loop."""

    __slots__ = ("_cumulative", "_last", "_total", "values")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items = list(pairs)
        self.values: list[T] = [value for value, _ in items]
        self._cumulative = list(accumulate(weight for _, weight in items))
        self._total = self._cumulative[-1]
        self._last = len(self.values) - 1

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect(self._cumulative, rng.random() * self._total, hi=self._last)]


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


# ``randint`` and ``choice`` go through ``_randbelow`` and cost ~1 µs a call; the generator
# makes tens of millions of draws at full scale, so these scale one float instead.
def integer(rng: random.Random, low: int, high: int) -> int:
    """A whole number in ``low`` … ``high`` inclusive."""
    return low + int(rng.random() * (high - low + 1))


def one_of(rng: random.Random, values: Sequence[T]) -> T:
    return values[int(rng.random() * len(values))]


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A day in ``first`` … ``last`` inclusive."""
    return first + timedelta(days=integer(rng, 0, (last - first).days))


def _age_bounds(age: int, on: date) -> tuple[int, int]:
    latest = on.replace(year=on.year - age)
    earliest = on.replace(year=on.year - age - 1) + timedelta(days=1)
    return earliest.toordinal(), latest.toordinal()


_AGE_BOUNDS = [_age_bounds(age, EVALUATION_DATE) for age in range(121)]


def birth_date_for_age(rng: random.Random, age: int) -> date:
    """A birth date that gives exactly ``age`` full years (周岁) on the evaluation date."""
    earliest, latest = _AGE_BOUNDS[age]
    return date.fromordinal(integer(rng, earliest, latest))


def yuan(cents: int) -> Decimal:
    """An amount in yuan with two decimal places, from whole cents (no float on the way)."""
    return Decimal(cents).scaleb(-2)


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal integers, the larger ones first."""
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


def spread_by_weight(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder (at least 1 each)."""
    whole = sum(weights)
    shares = [max(1, total * weight // whole) for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    missing = total - sum(shares)
    for index in by_remainder[: max(0, missing)]:
        shares[index] += 1
    while sum(shares) > total:  # only when the floor of 1 each overshoots a tiny total
        shares[shares.index(max(shares))] -= 1
    return shares
