"""Resident ID numbers (居民身份证号码, GB 11643) that are valid and unique within one run."""

from __future__ import annotations

import random
from datetime import date

from lianbang.common.validators import id_check_char
from lianbang.demo.draws import Weighted

# Where the residents' IDs were issued: mostly Dongchuan, some from other Kunming counties
# (people who married in).
ISSUING_REGIONS = Weighted(
    [
        ("530113", 88.0),
        ("530128", 3.0),
        ("530129", 3.0),
        ("530102", 1.0),
        ("530103", 1.0),
        ("530111", 1.0),
        ("530112", 1.0),
        ("530114", 0.5),
        ("530124", 0.5),
        ("530125", 0.5),
        ("530127", 0.3),
        ("530181", 0.2),
    ]
)
# Other Yunnan prefixes, never picked above: used only when a (birth date, sex) has more
# people than one region's 499 sequence numbers, so that numbers stay unique at any scale.
_OVERFLOW_REGIONS = (
    "530302",
    "530402",
    "532301",
    "532901",
    "530502",
    "530602",
    "532501",
    "530802",
    "530902",
    "532801",
    "533102",
    "533301",
)
_SLOTS = 499  # sequence numbers 1…499 per sex: 2k+1 (odd) for men, 2k for women


class IdNumberAllocator:
    """Hands out IDs: a counter per (birth date, sex) keeps them unique across the run."""

    def __init__(self) -> None:
        self._counters: dict[int, int] = {}

    def allocate(self, rng: random.Random, birth_date: date, sex: str) -> str:
        key = birth_date.toordinal() * 2 + (sex == "F")
        count = self._counters.get(key, 0)
        self._counters[key] = count + 1
        lap, slot = divmod(count, _SLOTS)
        region = ISSUING_REGIONS.pick(rng) if lap == 0 else _overflow_region(lap)
        # 97 is coprime with 499: a per-day permutation, so numbers do not all start at 001.
        half = (slot * 97 + key) % _SLOTS + 1
        sequence = 2 * half + 1 if sex == "M" else 2 * half
        first17 = f"{region}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{sequence:03d}"
        return first17 + id_check_char(first17)


def _overflow_region(lap: int) -> str:
    if lap > len(_OVERFLOW_REGIONS):
        raise OverflowError("too many people share one birth date and sex for unique IDs")
    return _OVERFLOW_REGIONS[lap - 1]
