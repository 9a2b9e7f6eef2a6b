"""Validators for the national data standards of DOMAIN §9.

Each ``normalize_*`` function returns the canonical form or raises ``ValueError`` whose
message is a :class:`Reason` (zh-CN and English) so callers can name the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lianbang.common.text import compact

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
_ID18_PATTERN = re.compile(r"^\d{17}[\dX]$")
_ID15_PATTERN = re.compile(r"^\d{15}$")


@dataclass(frozen=True)
class Reason:
    zh: str
    en: str


class InvalidValue(ValueError):
    """A value that breaks a data standard; ``reason`` says why in both languages."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True)
class IdentityFacts:
    """What a resident ID number says about its holder."""

    region_code: str
    birth_date: date
    sex: str  # "M" or "F"


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalize_id_number(raw: str) -> str:
    """Canonical 18-character resident ID (GB 11643); 15-digit legacy numbers are upgraded."""
    value = compact(str(raw)).upper()
    if _ID15_PATTERN.match(value):
        value = _upgrade_legacy_id(value)
    if not _ID18_PATTERN.match(value):
        raise InvalidValue(
            Reason(
                "应为18位（末位可为X）或15位旧号码",
                "must be 18 characters (last may be X) or a 15-digit legacy number",
            )
        )
    _birth_date_of(value)
    if id_check_char(value[:17]) != value[17]:
        raise InvalidValue(
            Reason(
                f"校验位错误，应为 {id_check_char(value[:17])}",
                f"wrong check character, expected {id_check_char(value[:17])}",
            )
        )
    return value


def _upgrade_legacy_id(value: str) -> str:
    first17 = value[:6] + "19" + value[6:]
    return first17 + id_check_char(first17)


def _birth_date_of(value: str) -> date:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidValue(
            Reason("出生日期部分不是有效日期", "the birth-date part is not a valid date")
        ) from exc


def identity_facts(id_number: str) -> IdentityFacts:
    """Region, birth date and sex encoded in a canonical ID number."""
    sex = "M" if int(id_number[16]) % 2 == 1 else "F"
    return IdentityFacts(id_number[:6], _birth_date_of(id_number), sex)


def mask_id_number(id_number: str) -> str:
    """530113********1234: region kept, birth date and sequence hidden."""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:] if id_number else ""


def normalize_phone(raw: str) -> str:
    value = compact(str(raw))
    if value.startswith("+86"):
        value = value[3:]
    value = value.replace("-", "")
    if not PHONE_PATTERN.match(value):
        raise InvalidValue(
            Reason(
                "不是有效的手机号码（11位，以13–19开头）",
                "is not a valid mobile number (11 digits starting 13–19)",
            )
        )
    return value


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else phone


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * weight
        for ch, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Canonical unified social credit code (GB 32100)."""
    value = compact(str(raw)).upper()
    if len(value) != 18 or any(ch not in CREDIT_CODE_ALPHABET for ch in value):
        raise InvalidValue(
            Reason(
                "应为18位，只含数字和除 I O Z S V 外的大写字母",
                "must be 18 characters of digits and capitals except I O Z S V",
            )
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise InvalidValue(
            Reason(f"校验位错误，应为 {expected}", f"wrong check character, expected {expected}")
        )
    return value
