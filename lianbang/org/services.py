"""Writes to the hierarchy. Paths are kept by these functions only."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from lianbang.common.errors import invalid
from lianbang.org.models import PATH_SEPARATOR, Unit, path_prefix_q


def child_path(parent_path: str, pk: int) -> str:
    """The materialized path of unit ``pk`` under a parent path ("" for a root)."""
    return f"{parent_path or PATH_SEPARATOR}{pk}{PATH_SEPARATOR}"


@transaction.atomic
def unit_create(
    *,
    level: int,
    name: str,
    parent: Unit | None = None,
    code: str = "",
    party_org_name: str = "",
    region_code: str = "",
) -> Unit:
    _check_parent_level(level, parent)
    unit = Unit.objects.create(
        level=level,
        name=name,
        parent=parent,
        code=code,
        party_org_name=party_org_name,
        region_code=region_code or (parent.region_code if parent else code[:6]),
        path="",
    )
    unit.path = child_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit) -> Unit:
    """Re-parent ``unit``; its whole subtree follows in one set-based update."""
    _check_parent_level(unit.level, new_parent)
    if new_parent.path.startswith(unit.path):
        raise invalid(
            "parent",
            new_parent.name,
            "不能移动到自身或其下级之下",
            "a unit cannot move under itself or its own descendant",
        )
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path, unit.pk)
    Unit.objects.filter(path_prefix_q(old_prefix)).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    return unit


def _check_parent_level(level: int, parent: Unit | None) -> None:
    if level == Unit.Level.DISTRICT and parent is None:
        return
    if parent is None or parent.level != level - 1:
        expected = Unit.Level(level - 1).label if level > 1 else "—"
        raise invalid(
            "parent",
            parent.name if parent else None,
            f"上级单位层级应为「{expected}」",
            f"the parent must be a unit of level {level - 1}",
        )
