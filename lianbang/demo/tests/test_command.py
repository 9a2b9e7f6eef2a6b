"""``lianbang generate``: a small district, --if-empty, and no second district on top."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lianbang.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def _generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out)
    return out.getvalue()


def test_it_generates_the_requested_number_of_households_and_prints_counts() -> None:
    output = _generate("--households", "500", "--seed", "5")
    assert Household.objects.count() == 500
    assert Member.objects.count() == 1872
    assert "registry.Household" in output and "500" in output
    assert "elapsed" in output and "三色预警估计" in output


def test_it_does_nothing_with_if_empty_when_households_exist() -> None:
    _generate("--households", "50")
    output = _generate("--households", "50", "--if-empty")
    assert "nothing generated" in output
    assert Household.objects.count() == 50


def test_it_refuses_to_put_a_second_district_on_top_of_the_first() -> None:
    _generate("--households", "50")
    with pytest.raises(CommandError, match="empty"):
        _generate("--households", "50")
