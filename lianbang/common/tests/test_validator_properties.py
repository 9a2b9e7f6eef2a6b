from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lianbang.common.validators import (
    InvalidValue,
    id_check_char,
    identity_facts,
    normalize_id_number,
)

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 29))
sequences = st.integers(min_value=0, max_value=999)


def make_id(birth: date, sequence: int) -> str:
    first17 = f"530113{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


@given(birth_dates, sequences)
def test_every_well_formed_id_round_trips_with_its_birth_date_and_sex(birth: date, seq: int) -> None:
    id_number = make_id(birth, seq)
    assert normalize_id_number(id_number.lower()) == id_number
    facts = identity_facts(id_number)
    assert facts.birth_date == birth
    assert facts.sex == ("M" if seq % 2 else "F")


@given(birth_dates, sequences, st.integers(min_value=0, max_value=16), st.integers(1, 9))
def test_changing_any_one_digit_is_caught(birth: date, seq: int, position: int, shift: int) -> None:
    id_number = make_id(birth, seq)
    digit = (int(id_number[position]) + shift) % 10
    corrupted = id_number[:position] + str(digit) + id_number[position + 1 :]
    try:
        normalize_id_number(corrupted)
    except InvalidValue:
        return
    raise AssertionError(f"{corrupted} accepted")
