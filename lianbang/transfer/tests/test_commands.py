"""``lianbang import``, ``lianbang department`` and ``lianbang export`` for operators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lianbang.conftest import Tree
from lianbang.registry.models import Household
from lianbang.transfer.tests import messy
from lianbang.transfer.tests.files import write_csv, write_xlsx


def test_import_prints_one_json_object_per_row_and_a_summary(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges())
    call_command("import", str(path), "--json", "--year", "2025")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["row"], o["status"]) for o in lines[:-1]] == [
        (5, "created"), (6, "created"), (7, "created"), (8, "error"), (9, "error"), (11, "created"),
        (12, "error"), (13, "error"),
    ]  # fmt: skip
    assert set(lines[0]) == {"row", "status", "household_no", "errors", "warnings"}
    assert lines[4]["errors"][0]["column"] == "身份证号"
    assert lines[-1]["summary"] is True and lines[-1]["households"]["created"] == 2


def test_a_dry_run_from_the_command_line_saves_nothing(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges())
    call_command("import", str(path), "--dry-run", "--errors", str(tmp_path / "e.xlsx"))
    assert "households would be created 2" in capsys.readouterr().out
    assert not Household.objects.exists() and (tmp_path / "e.xlsx").is_file()


def test_import_fails_only_when_the_file_cannot_be_read(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import", str(tmp_path / "missing.xlsx"))
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError):
        call_command("import", str(broken))


def test_department_lists_run_from_the_command_line(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "h.csv", [["证件号码", "确诊日期"], ["530113198001010014", "2026-10-01"]])
    call_command(
        "department", str(path), "--department", "health", "--json", "--report", str(tmp_path / "r.xlsx")
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["status"] == "unmatched" and lines[-1]["rows"]["unmatched"] == 1
    assert (tmp_path / "r.xlsx").is_file()


def test_exports_run_from_the_command_line(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export", "members", str(tmp_path / "m.xlsx"))
    call_command("export", "employment", str(tmp_path / "e.xlsx"), "--unit", str(tree.district.pk))
    assert "成员名单: 0 rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--unit is required"):
        call_command("export", "monthly", str(tmp_path / "x.xlsx"))
