"""The batch path gives what the one-by-one path gives: the same per-row outcomes and messages,
and the same households, members, incomes, lights, labels, Change rows and audit entries.

The same files are imported both ways in sequence on the same database, the first run rolled
back to a savepoint after its state is read, so both start from the same registry and chain.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from lianbang.audit.models import AuditEntry
from lianbang.audit.verify import audit_verify
from lianbang.conftest import Tree
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, LightChange
from lianbang.registry.models import Change, Household, Income, Member
from lianbang.transfer import importing
from lianbang.transfer.importing import households_import
from lianbang.transfer.tests import messy
from lianbang.transfer.tests.files import HEADER, household_rows, valid_id, write_xlsx

TODAY = date(2026, 11, 29)


def second_file(tmp_path: Path) -> Path:
    """Updates and new households after the messy file, with errors only the registry finds."""
    rows = household_rows()
    rows[0][12] = rows[0][13] = rows[0][14] = ""  # 张三 no longer works
    rows[0][16] = rows[1][16] = rows[2][16] = 39000  # a lower wage
    new = household_rows("530113-000005", "305", _family(5))
    taken = household_rows("530113-000006", "306", _family(6))
    taken[2][3] = messy.H3_HEAD  # active in 530113-000003 already: refused by the registry
    taken[2][5], taken[2][6] = "男", "1990-01-01"
    two_heads = household_rows("530113-000007", "307", _family(7))
    two_heads[1][4] = "户主"  # two heads: the registry's household rule refuses it
    return write_xlsx(tmp_path / "second.xlsx", [HEADER, *rows, *new, *taken, *two_heads])


def _family(index: int) -> list[str]:
    return [
        valid_id(f"53011319750101{index:02d}1"),
        valid_id(f"53011319760202{index:02d}2"),
        valid_id(f"53011320120303{index:02d}1"),
    ]


def import_all(files: list[Path], *, one_by_one: bool) -> list[Any]:
    reports = [
        households_import(
            path=path, today=TODAY, income_year=2025, one_by_one=one_by_one, bulk_evaluation=True
        )
        for path in files
    ]
    return [[_row(r) for r in report.rows] for report in reports] + [snapshot()]


def _row(result: Any) -> tuple[Any, ...]:
    return (
        result.row,
        result.status,
        result.household_no,
        [e.as_dict() for e in result.errors],
        [w.as_dict() for w in result.warnings],
    )


def snapshot() -> dict[str, Any]:
    numbers = dict(Household.objects.values_list("pk", "household_no"))
    ids = dict(Member.objects.values_list("pk", "id_number"))
    changes = list(Change.objects.order_by("pk"))
    change_index = {c.pk: i for i, c in enumerate(changes)}
    return {
        "households": _rows(Household, "household_no", numbers, ids),
        "members": _rows(Member, "id_number", numbers, ids),
        "incomes": _rows(Income, "year", numbers, ids),
        "lights": sorted(
            (numbers[h], c, r, m)
            for h, c, r, m in HouseholdLight.objects.values_list(
                "household_id", "color", "rules", "income_missing"
            )
        ),
        "light_changes": sorted(
            (numbers[h], f, t, r, c)
            for h, f, t, r, c in LightChange.objects.values_list(
                "household_id", "from_color", "to_color", "rules", "cause"
            )
        ),
        "labels": sorted(
            (numbers[h], code)
            for h, code in HouseholdLabel.objects.values_list("household_id", "label__code")
        ),
        "changes": [
            (
                numbers[c.household_id],
                ids.get(c.member_id),
                c.entity,
                c.action,
                c.changes,
                c.version,
                c.reason,
            )
            for c in changes
        ],
        "audit": [_audit(e, numbers, ids, change_index) for e in AuditEntry.objects.order_by("seq")],
    }


def _rows(model: Any, key: str, numbers: dict[int, str], ids: dict[int, str]) -> list[dict[str, Any]]:
    skip = {"id", "created_at", "updated_at"}
    rows = []
    for values in model.objects.values():
        row = {k: v for k, v in values.items() if k not in skip}
        if "household_id" in row:
            row["household_id"] = numbers[row["household_id"]]
        rows.append(row)
    return sorted(rows, key=lambda r: (r.get("household_id", ""), r[key]))


def _audit(
    entry: AuditEntry, numbers: dict[int, str], ids: dict[int, str], change_index: dict[int, int]
) -> Any:
    """An entry's content with the database's own ids replaced by what they stand for (the
    registry's entries in full; the alerts' by what they are)."""
    if not entry.object_type.startswith("registry."):
        return (entry.action, entry.object_type)
    changes = dict(entry.changes)
    changes["household"] = numbers[changes["household"]]
    changes["change"] = change_index[changes["change"]]
    on_member = entry.object_type == "registry.member"
    target = ids[int(entry.object_id)] if on_member else numbers[int(entry.object_id)]
    return (entry.action, entry.object_type, target, changes, entry.actor_id, entry.reason)


@pytest.mark.parametrize("batch_size", [200, 2])
def test_the_batch_path_writes_what_the_one_by_one_path_writes(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(importing, "BATCH", batch_size)  # 2: households of one file in several batches
    files = [
        write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges()),
        second_file(tmp_path),
    ]
    with transaction.atomic():
        reference = import_all(files, one_by_one=True)
        transaction.set_rollback(True)
    assert (
        not Household.objects.exists()
        and not AuditEntry.objects.filter(object_type__startswith="registry").exists()
    )
    batched = import_all(files, one_by_one=False)
    assert batched[0] == reference[0]  # the messy file's rows
    assert batched[1] == reference[1]  # the second file's rows
    assert [r[1] for r in batched[1]] == ["updated"] * 3 + ["created"] * 3 + ["error"] * 6
    state, expected = batched[2], reference[2]
    for part in expected:
        assert state[part] == expected[part], part
    assert expected["changes"] and expected["audit"] and expected["lights"]
    assert audit_verify().ok


def test_reimporting_the_same_file_writes_no_audit_entry(tree: Tree, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", messy.sheet_rows(), merges=messy.merges())
    households_import(path=path, today=TODAY, income_year=2025)
    before = snapshot()
    again = households_import(path=path, today=TODAY, income_year=2025)
    assert again.households["unchanged"] == 2 and again.households["created"] == 0
    assert snapshot() == before  # no Change row, no audit entry, no light change
    assert audit_verify().ok
