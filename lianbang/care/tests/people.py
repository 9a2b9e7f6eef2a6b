"""Households for the care and policy tests, built through the registry's own services."""

from __future__ import annotations

import copy
from typing import Any

from lianbang.accounts.tests.cast import valid_id
from lianbang.conftest import SAMPLE_DOCUMENT
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document


def person(id17: str, name: str, relation: str = "户主", **extra: Any) -> dict[str, Any]:
    return {
        "id_number": valid_id(id17),
        "name": name,
        "relation": relation,
        "health": "健康",
        "labor_skill": "无劳动力",
        "education": "小学",
        "medical_insurance": True,
        **extra,
    }


def household(number: str, grid: str, room: str, members: list[dict[str, Any]], **extra: Any) -> Household:
    document = copy.deepcopy(SAMPLE_DOCUMENT)
    document.update(household_no=number, grid=grid, members=members, events=[], **extra)
    document["address"] = {**document["address"], "room": room}
    return household_save_document(data=document).household


def elder_alone(number: str = "530113-000101", grid: str = "G-0001", room: str = "401") -> Household:
    """独居: one woman aged 86, alone in her flat."""
    return household(number, grid, room, [person("53011319400312002", "王秀英", labor_skill="丧失劳动力")])
