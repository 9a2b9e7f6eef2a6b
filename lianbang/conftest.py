"""Shared fixtures: a small hierarchy with one building and one micro-grid."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import unit_create

pytest_plugins = ["lianbang.testing.browser", "lianbang.testing.diagnostics"]

# CI replays the same examples every run (a failure there is reproducible); local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

SAMPLE_DOCUMENT: dict[str, Any] = {
    "household_no": "530113-000001",
    "category": "脱贫户",
    "monitoring_type": None,
    "housing_safe": True,
    "water_safe": True,
    "address": {"building": "7", "unit": "2", "floor": 3, "room": "302"},
    "members": [
        {
            "id_number": "530113198001010014",
            "name": "张三",
            "relation": "户主",
            "health": "健康",
            "labor_skill": "普通劳动力",
            "education": "初中",
            "schooling": None,
            "medical_insurance": True,
            "status": "active",
            "employment": {
                "location": "县外省内",
                "employer": "某电子厂",
                "since": "2025-03-01",
                "monthly_wage": 3500,
            },
        },
        {
            "id_number": "530113198503150025",
            "name": "李梅",
            "relation": "配偶",
            "health": "健康",
            "labor_skill": "普通劳动力",
            "education": "小学",
            "medical_insurance": True,
        },
        {
            "id_number": "530113201006010034",
            "name": "张小明",
            "relation": "之子",
            "health": "健康",
            "labor_skill": "无劳动力",
            "schooling": "初中",
            "medical_insurance": True,
        },
    ],
    "incomes": [
        {
            "year": 2025,
            "wage": 42000,
            "business": 0,
            "property": 300,
            "transfer": 1800,
            "business_expense": 0,
            "medical_self_paid": 0,
            "education_expense": 0,
            "household_size": 3,
        }
    ],
    "events": [{"type": "job_loss", "id_number": "530113198001010014", "date": "2026-10-20"}],
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with empty request counters (the API throttle keeps them in the cache)."""
    cache.clear()


@dataclass
class Tree:
    district: Unit
    street: Unit
    community: Unit
    area: Unit
    branch: Unit
    floor_group: Unit
    building: Building
    grid: MicroGrid


@pytest.fixture
def tree(db: None) -> Tree:
    district = unit_create(level=1, name="东川区", code="530113", party_org_name="区级搬迁安置区党委")
    street = unit_create(level=2, name="铜都街道", parent=district, code="530113001000")
    community = unit_create(level=3, name="和谐社区", parent=street, code="530113001001")
    area = unit_create(level=4, name="第一片区", parent=community)
    branch = unit_create(level=5, name="7栋党支部", parent=area)
    floor_group = unit_create(level=6, name="7栋1-6层党小组", parent=branch)
    building = Building.objects.create(
        branch=branch,
        number="7",
        name="7栋",
        entrance_count=2,
        floor_count=12,
        rooms_per_floor=4,
        region_code="530113",
    )
    grid = MicroGrid.objects.create(
        unit=floor_group, building=building, code="G-0001", name="7栋第1网格", region_code="530113"
    )
    return Tree(district, street, community, area, branch, floor_group, building, grid)


@pytest.fixture
def document() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE_DOCUMENT)
