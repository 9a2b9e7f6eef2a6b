"""`lianbang evaluate`: the bulk run and the what-if run from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from lianbang.conftest import Tree
from lianbang.monitoring.models import HouseholdLight
from lianbang.monitoring.tests.builders import green_family
from lianbang.registry.models import Household, Member
from lianbang.registry.services import household_save_document


def run(capsys: Any, *args: str) -> list[str]:
    call_command("evaluate", *args)
    return capsys.readouterr().out.strip().splitlines()


def test_what_if_prints_one_judgement_per_document_and_stores_nothing(
    tree: Tree, tmp_path: Path, capsys: Any
) -> None:
    poor = green_family()
    poor["incomes"] = [{"year": 2026, "wage": "20000", "household_size": 3}]
    broken = green_family()
    broken["household_no"] = "530113-900009"
    broken["members"][0]["id_number"] = "530113198001010015"
    path = tmp_path / "what-if.json"
    path.write_text(json.dumps([green_family(), poor, broken], ensure_ascii=False), encoding="utf-8")
    lines = [json.loads(line) for line in run(capsys, "--as-of", "2026-11-29", str(path))]
    assert (lines[0]["light"], lines[0]["rules"]) == ("green", [])
    assert (lines[1]["household_no"], lines[1]["light"], lines[1]["rules"]) == (
        "530113-900001",
        "red",
        ["R_BELOW_LINE"],
    )
    assert "members[0].id_number" in lines[2]["error"]["fields"]
    assert not Household.objects.exists() and not HouseholdLight.objects.exists()


def test_what_if_judges_a_document_alone_even_if_its_people_are_stored(
    tree: Tree, tmp_path: Path, capsys: Any
) -> None:
    stored = household_save_document(data=green_family()).household
    unsafe = green_family()
    unsafe["housing_safe"] = False
    path = tmp_path / "one.json"
    path.write_text(json.dumps([unsafe], ensure_ascii=False), encoding="utf-8")
    result = json.loads(run(capsys, "--as-of", "2026-11-29", str(path))[0])
    assert result["rules"] == ["R_BOTTOM_LINE"]
    stored.refresh_from_db()
    assert stored.housing_safe and Member.objects.filter(status="active").count() == 3


def test_evaluate_all_reports_what_it_did(tree: Tree, capsys: Any) -> None:
    household_save_document(data=green_family())
    HouseholdLight.objects.all().delete()
    assert (
        "judged 1 households as of 2026-11-29 (0 of them by the rules alone, their labels still "
        "holding): 1 lights changed" in run(capsys, "--all", "--as-of", "2026-11-29")[0]
    )


def test_a_bad_date_or_no_mode_is_refused(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("evaluate")
    with pytest.raises(CommandError):
        call_command("evaluate", "--all", "--as-of", "2026-02-30")
