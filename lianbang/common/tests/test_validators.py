from __future__ import annotations

from datetime import date

import pytest

from lianbang.common.validators import (
    InvalidValue,
    id_check_char,
    identity_facts,
    mask_id_number,
    mask_phone,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
)

VALID_ID = "530113198001010014"


def test_it_accepts_a_valid_id_number() -> None:
    assert normalize_id_number(VALID_ID) == VALID_ID


@pytest.mark.parametrize(
    "raw", [" 530113198001010014 ", "５３０１１３１９８００１０１００１４", "530113 19800101 0014"]
)
def test_it_normalises_spaces_and_full_width_digits(raw: str) -> None:
    assert normalize_id_number(raw) == VALID_ID


def test_it_accepts_a_lower_case_x_check_character() -> None:
    first17 = next(f"5301131990010100{n}" for n in range(10) if id_check_char(f"5301131990010100{n}") == "X")
    assert normalize_id_number(first17 + "x") == first17 + "X"


def test_it_rejects_a_wrong_check_character_and_says_which_is_right() -> None:
    with pytest.raises(InvalidValue) as caught:
        normalize_id_number("530113198001010015")
    assert "应为 4" in caught.value.reason.zh
    assert "expected 4" in caught.value.reason.en


@pytest.mark.parametrize(
    "raw",
    ["53011319800101001", "5301131980010100144", "53011319801301001X", "ABCDEF198001010014", "5.30113E+17"],
)
def test_it_rejects_malformed_id_numbers(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalize_id_number(raw)


def test_it_upgrades_a_15_digit_legacy_number() -> None:
    upgraded = normalize_id_number("530113800101001")
    assert upgraded[:17] == "53011319800101001"
    assert upgraded == "53011319800101001" + id_check_char("53011319800101001")


def test_it_reads_birth_date_and_sex_from_the_id() -> None:
    facts = identity_facts(VALID_ID)
    assert (facts.region_code, facts.birth_date, facts.sex) == ("530113", date(1980, 1, 1), "M")
    assert identity_facts("530113198503150025").sex == "F"


def test_it_masks_the_id_number_keeping_region_and_last_four() -> None:
    assert mask_id_number(VALID_ID) == "530113********0014"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_it_normalises_mobile_numbers(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "0871-1234567"])
def test_it_rejects_bad_mobile_numbers(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalize_phone(raw)


def test_it_masks_a_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_it_accepts_a_valid_credit_code_in_lower_case() -> None:
    assert normalize_credit_code("91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize("raw", ["91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43"])
def test_it_rejects_bad_credit_codes(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalize_credit_code(raw)
