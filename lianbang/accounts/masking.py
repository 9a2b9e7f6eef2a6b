"""Masking of personal information (个人信息保护法, DOMAIN §9), the same in pages, JSON and Excel.

Sensitive by default: ID numbers, phone numbers, health and disability details, and the data
of minors (under 14). A value is revealed only one at a time, with a permission and a reason
(``sensitive.py``), and every reveal and export is in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from lianbang.common.validators import InvalidValue, identity_facts, mask_id_number, mask_phone

MASK = "***"
MINOR_AGE = 14
# Events whose type alone tells a health fact.
HEALTH_EVENT_TYPES = frozenset({"serious_illness", "chronic_illness", "disability"})
HEALTH_FIELDS = frozenset({"health", "disability_type", "disability_grade"})
MINOR_FIELDS = frozenset({"name", "birth_date", "schooling", "unattended_child"})
# Every field the masking rules know; the reveal form offers these.
SENSITIVE_FIELDS = frozenset({"id_number", "phone"}) | HEALTH_FIELDS | MINOR_FIELDS


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - int((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: date | None, today: date) -> bool:
    return birth_date is not None and age_on(birth_date, today) < MINOR_AGE


def mask_name(name: str) -> str:
    """张** — the surname stays, the given name is hidden."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_value(field: str, value: Any, *, minor: bool = False) -> Any:
    """The masked form of one value of ``field``; fields that are not sensitive pass through."""
    if value is None or value == "":
        return value
    if field == "id_number":
        return mask_id_number(str(value))
    if field == "phone":
        return mask_phone(str(value))
    if field in HEALTH_FIELDS:
        return MASK
    if minor and field in MINOR_FIELDS:
        return _mask_minor_field(field, value)
    return value


def _mask_minor_field(field: str, value: Any) -> Any:
    if field == "name":
        return mask_name(str(value))
    if field == "birth_date":
        return f"{str(value)[:4]}-**-**"
    return MASK


def mask_row(row: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """A flat record (a member, a household, a spreadsheet row) with every sensitive key masked.

    Whether the person is a minor comes from ``birth_date``, else from ``id_number``."""
    minor = is_minor(_birth_date_of(row), today)
    masked = dict(row)
    # Only sensitive keys can change (every other key passes through mask_value as it is):
    # touching just those keeps a sync download of thousands of members cheap.
    for key in SENSITIVE_FIELDS & row.keys():
        masked[key] = mask_value(key, row[key], minor=minor)
    return masked


def mask_household_document(document: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The interchange document (DOMAIN §10) as an unprivileged reader may see it."""
    masked = mask_row(document, today=today)
    masked["members"] = [_mask_member(m, today) for m in document.get("members", [])]
    masked["events"] = [mask_event_document(e) for e in document.get("events", [])]
    return masked


def _mask_member(member: Mapping[str, Any], today: date) -> dict[str, Any]:
    masked = mask_row(member, today=today)
    if is_minor(_birth_date_of(member), today) and masked.get("employment"):
        masked["employment"] = MASK
    return masked


def mask_event_document(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event of the document: the member's ID masked, and health events without the illness."""
    masked = {key: mask_value(key, value) for key, value in event.items()}
    if event.get("type") in HEALTH_EVENT_TYPES:
        masked["type"] = MASK
        masked["note"] = MASK if event.get("note") else event.get("note")
    return masked


def _birth_date_of(row: Mapping[str, Any]) -> date | None:
    value = row.get("birth_date")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    id_number = row.get("id_number")
    if isinstance(id_number, str) and len(id_number) == 18:
        try:
            return identity_facts(id_number).birth_date
        except (InvalidValue, ValueError):
            return None
    return None
