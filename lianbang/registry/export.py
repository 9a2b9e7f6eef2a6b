"""A stored household written back as the interchange document (DOMAIN §10).

Values come out as the Chinese labels the document uses on input, so a document read out
and saved again changes nothing. Masking for display is the caller's job (access issue).
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from lianbang.registry import vocab
from lianbang.registry.document import INCOME_AMOUNTS, MEMBER_BENEFITS
from lianbang.registry.models import Event, Household, Income, Member


def household_to_document(household: Household) -> dict[str, Any]:
    return _document(_with_everything().get(pk=household.pk))


def households_to_documents(household_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Several households' documents by primary key, in a fixed number of queries."""
    return {h.pk: _document(h) for h in _with_everything().filter(pk__in=household_ids)}


def _with_everything() -> models.QuerySet[Household]:
    return Household.objects.select_related("building", "grid").prefetch_related(
        "members", "incomes", "events__member"
    )


def _document(household: Household) -> dict[str, Any]:
    return {
        **household_fields_to_document(household),
        "members": [member_to_document(m) for m in household.members.all()],
        "incomes": [income_to_document(i) for i in sorted(household.incomes.all(), key=lambda i: i.year)],
        "events": [event_to_document(e) for e in sorted(household.events.all(), key=_event_order)],
    }


def _event_order(event: Event) -> tuple[date, int]:
    return event.date, event.pk


def household_fields_to_document(household: Household) -> dict[str, Any]:
    """The household's own fields (no members, incomes or events) as document keys."""
    return {
        "household_no": household.household_no,
        "category": _label(vocab.HouseholdCategory, household.category),
        "monitoring_type": _label(vocab.MonitoringType, household.monitoring_type) or None,
        "housing_safe": household.housing_safe,
        "water_safe": household.water_safe,
        "military_family": household.military_family,
        "no_labor_support": household.no_labor_support,
        "origin_village": household.origin_village,
        "move_in_date": _day(household.move_in_date),
        "phone": household.phone or None,
        "grid": household.grid.code if household.grid else None,
        "address": {
            "building": household.building.number if household.building else None,
            "unit": household.entrance,
            "floor": household.floor,
            "room": household.room,
        },
    }


def member_to_document(member: Member) -> dict[str, Any]:
    job = None
    if member.work_location:
        job = {
            "location": _label(vocab.WorkLocation, member.work_location),
            "employer": member.employer,
            "since": _day(member.employed_since),
            "monthly_wage": _money(member.monthly_wage),
            "channel": member.employment_channel,
        }
    return {
        "id_number": member.id_number,
        "name": member.name,
        "sex": _label(vocab.Sex, member.sex),
        "birth_date": _day(member.birth_date),
        "ethnicity": member.ethnicity,
        "relation": _label(vocab.Relation, member.relation),
        "political_status": _label(vocab.PoliticalStatus, member.political_status),
        "education": _label(vocab.Education, member.education) or None,
        "schooling": _label(vocab.Schooling, member.schooling) or None,
        "health": _label(vocab.Health, member.health),
        "disability_type": _label(vocab.DisabilityType, member.disability_type) or None,
        "disability_grade": member.disability_grade,
        "labor_skill": _label(vocab.LaborSkill, member.labor_skill),
        "medical_insurance": _label(vocab.MedicalInsurance, member.medical_insurance) or False,
        "serious_illness_insurance": member.serious_illness_insurance,
        "pension_insurance": member.pension_insurance,
        "unattended_child": member.unattended_child,
        "status": member.status,
        **{key: getattr(member, key) for key in MEMBER_BENEFITS},
        "employment": job,
    }


def income_to_document(income: Income) -> dict[str, Any]:
    amounts = {
        key: _money(getattr(income, "property_income" if key == "property" else key))
        for key in INCOME_AMOUNTS
    }
    return {"year": income.year, **amounts, "household_size": income.household_size}


def event_to_document(event: Event) -> dict[str, Any]:
    return {
        "type": event.type,
        "id_number": event.member.id_number if event.member else None,
        "date": _day(event.date),
        "severity": event.severity or None,
        "loss": _money(event.loss),
        "house_damaged": event.house_damaged,
        "note": event.note,
    }


def _label(choices: type[models.TextChoices], code: str) -> str:
    if not code:
        return ""
    label = _labels_of(choices).get(code)
    return label if label is not None else str(choices(code).label)


@functools.cache
def _labels_of(choices: type[models.TextChoices]) -> dict[str, str]:
    """code → label, built once per vocabulary (a sync download reads out tens of thousands)."""
    return {str(member.value): str(member.label) for member in choices}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
