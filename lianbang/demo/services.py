"""Writing the demo district (演示数据) into the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError
from lianbang.demo.generator import DEFAULT_SEED, DistrictSpec, generate_district
from lianbang.demo.lights import LightEstimate
from lianbang.demo.shape import DEFAULT_HOUSEHOLDS
from lianbang.demo.writer import DistrictWriter, Method, WriteStats
from lianbang.registry.models import Household

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class GenerationReport:
    seed: int
    households: int
    method: str
    seconds: float
    generate_seconds: float  # spent in the pure generator (part of ``seconds``)
    stats: WriteStats
    lights: LightEstimate = field(repr=False)

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.stats.rows)


def demo_data_present() -> bool:
    """True when the database already holds households (the demo is generated only once)."""
    return Household.objects.exists()


def district_generate(
    *,
    seed: int = DEFAULT_SEED,
    households: int = DEFAULT_HOUSEHOLDS,
    method: Method = "auto",
    chunk_size: int = 2000,
) -> GenerationReport:
    """Generates the synthetic district and inserts it in one transaction."""
    if households < 1:
        raise ApplicationError("invalid", "户数至少为 1", "households must be at least 1")
    _refuse_existing_accounts()
    started = perf_counter()
    spec = DistrictSpec(
        seed=seed, households=households, chunk_size=chunk_size, region_code=settings.LIANBANG_REGION_CODE
    )
    district = generate_district(spec)
    clock = _Stopwatch(perf_counter() - started)
    lights = LightEstimate()
    with transaction.atomic():
        # Hashed once: PBKDF2 per account would cost minutes for a large district.
        password_hash = make_password(settings.LIANBANG_DEMO_PASSWORD)
        writer = DistrictWriter(region_code=spec.region_code, method=method, password_hash=password_hash)
        writer.write_structure(district.structure)
        for chunk in clock.timed(district.chunks()):
            writer.write_chunk(chunk)
            lights.add(chunk)
        writer.finish()
    return GenerationReport(
        seed, households, writer.method, perf_counter() - started, clock.seconds, writer.stats, lights
    )


@dataclass(slots=True)
class _Stopwatch:
    """Adds up the time spent producing the items of an iterator (the pure generator)."""

    seconds: float = 0.0

    def timed(self, items: Iterator[T]) -> Iterator[T]:
        while True:
            started = perf_counter()
            item = next(items, None)
            self.seconds += perf_counter() - started
            if item is None:
                return
            yield item


def _refuse_existing_accounts() -> None:
    if User.objects.filter(username="district").exists() or demo_data_present():
        raise ApplicationError(
            "conflict",
            "数据库中已有户或演示账号，请在空数据库中生成",
            "the database already holds households or demo accounts; generate into an empty one",
            status=409,
        )
