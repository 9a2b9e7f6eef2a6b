"""Households for rule tests: a green family, changed one fact at a time."""

from __future__ import annotations

import copy
import itertools
from datetime import date
from typing import Any

from lianbang.common.validators import id_check_char
from lianbang.monitoring.engine import household_evaluate
from lianbang.monitoring.models import HouseholdLight
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document

D = date(2026, 11, 29)
_sequence = itertools.count()


def person_id(birth: date, male: bool) -> str:
    # Odd sequence numbers are men's; 500 of each per birth date before one repeats.
    seq = (next(_sequence) % 500) * 2 + (1 if male else 0)
    first17 = f"530113{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def member(birth: date, *, male: bool = True, relation: str = "之子", **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id_number": person_id(birth, male),
        "name": f"成员{birth:%Y%m%d}",
        "relation": relation,
        "health": "健康",
        "labor_skill": "普通劳动力",
        "education": "初中",
        "medical_insurance": True,
    }
    data.update(fields)
    return data


def job(since: str = "2024-01-01") -> dict[str, Any]:
    return {"location": "县外省内", "employer": "昆明某厂", "since": since, "monthly_wage": 4000}


def green_family() -> dict[str, Any]:
    """Two employed adults and a pupil; 20,000 元 per head in both years; all secure."""
    return {
        "household_no": "530113-900001",
        "category": "脱贫户",
        "address": {"building": "7", "unit": "1", "floor": 2, "room": "201"},
        "members": [
            member(date(1980, 5, 1), relation="户主", employment=job()),
            member(date(1982, 6, 1), male=False, relation="配偶", employment=job()),
            member(
                date(2012, 9, 1),
                male=False,
                relation="之女",
                labor_skill="无劳动力",
                education=None,
                schooling="初中",
            ),
        ],
        "incomes": [income(2025, 60000), income(2026, 60000)],
        "events": [],
    }


def income(year: int, net: float | str, size: int = 3, **amounts: Any) -> dict[str, Any]:
    return {"year": year, "wage": net, "household_size": size, **amounts}


def judged(document: dict[str, Any], as_of: date = D) -> HouseholdLight:
    """Save the household and judge it on ``as_of``."""
    saved = household_save_document(data=copy.deepcopy(document), today=D)
    light = household_evaluate(household_id=saved.household.pk, cause="test", as_of=as_of)
    assert light is not None
    return light


def light_of(document: dict[str, Any], as_of: date = D) -> tuple[str, list[str]]:
    light = judged(document, as_of)
    return light.color, list(light.rules)


def household() -> Household:
    return Household.objects.get(household_no="530113-900001")
