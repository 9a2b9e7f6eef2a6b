"""Benchmark: the missed-entitlement list (issue 11), set-based against a per-household loop.

Run on a generated district with demo care data, e.g.

    .venv/bin/lianbang generate --if-empty && .venv/bin/lianbang demo_care
    .venv/bin/python bench/policies_missed.py [--sample 200]

It prints, in one process:
  (s) ``eligibility.missed`` over every active household: the policies' conditions compiled by
      the monitoring engine into one statement, plus one query for open receipts;
  (h) one household's standing (``household_standings``), the household page's cost;
  (b) the same answer computed household by household (one statement per household) on a
      sample, extrapolated to all households; the sample's answers must equal (s)'s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")

import django

django.setup()

from django.db import connection
from django.utils import timezone

from lianbang.policies import eligibility
from lianbang.registry.models import Household


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    today = timezone.localdate()
    households = Household.objects.filter(status="active")
    total = households.count()
    policies = eligibility.active_policies()
    print(f"{connection.vendor}: {total:,} households, {len(policies)} policies, as of {today}")

    started = time.perf_counter()
    pairs = eligibility.missed(households, today)
    set_based = time.perf_counter() - started
    print(f"(s) set-based missed list: {len(pairs):,} missed pairs in {set_based:.2f} s")

    ids = list(households.values_list("pk", flat=True))
    sample = random.Random(11).sample(ids, min(args.sample, len(ids)))
    started = time.perf_counter()
    one = eligibility.household_standings(Household.objects.get(pk=sample[0]), today)
    took = (time.perf_counter() - started) * 1000
    print(f"(h) one household's standing: {took:.1f} ms ({len(one)} policies)")

    expected = {(hid, p.code) for hid, p in pairs if hid in set(sample)}
    started = time.perf_counter()
    looped = set()
    for hid in sample:
        for standing in eligibility.household_standings(Household.objects.get(pk=hid), today):
            if standing.missed:
                looped.add((hid, standing.policy.code))
    per = (time.perf_counter() - started) / len(sample)
    print(
        f"(b) per-household loop: {per * 1000:.1f} ms each, ≈ {per * total:.1f} s for all "
        f"({per * total / set_based:.0f}× the set-based run)"
    )
    print("sample agrees with the set-based list:", looped == expected)


if __name__ == "__main__":
    main()
