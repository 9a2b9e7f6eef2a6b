"""Writes to the hierarchy. Paths are kept by these functions only."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from lianbang.accounts.models import Assignment, Role, User
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem, invalid
from lianbang.org.models import PATH_SEPARATOR, Building, MicroGrid, Unit, path_prefix_q
from lianbang.org.signals import grid_worker_changed
from lianbang.registry.models import Household
from lianbang.sync.scope import scope_exits_record


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


# ---------------------------------------------------------------- administration of units and buildings

UNIT_CODE_PATTERN = re.compile(r"^\d{6,12}$")
BUILDING_NUMBER_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,19}$")
# (field, zh-CN, English, least, most) of a building's counts: sizes a resettlement block can have.
BUILDING_COUNTS = (
    ("entrance_count", "单元数", "entrances", 1, 20),
    ("floor_count", "层数", "floors", 1, 60),
    ("rooms_per_floor", "每层户数", "rooms per floor", 1, 30),
)


@transaction.atomic
def unit_add(*, actor: User, parent: Unit, name: str, code: str = "", party_org_name: str = "") -> Unit:
    """A new unit one level below ``parent`` (a 楼层党小组 has none below it), its name unique
    among the parent's children. Its path is set here (``unit_create``), so scope checks and the
    dashboards (live until the next roll-up refresh) know it at once. Moving a unit to another
    parent is not offered to administrators: it re-paths the subtree and the roll-ups."""
    name, code, party_org_name = name.strip(), code.strip(), party_org_name.strip()
    problems = [
        *_unit_level_problems(parent),
        *_unit_name_problems(name, parent, None),
        *_unit_code_problems(code),
        *_party_org_problems(party_org_name),
    ]
    _refuse("invalid_unit", "单位信息有误，未创建", "the unit was not created", problems)
    try:
        with transaction.atomic():  # a savepoint: a sibling of the same name may win the race
            unit = unit_create(
                level=parent.level + 1, name=name, parent=parent, code=code, party_org_name=party_org_name
            )
    except IntegrityError:
        raise ApplicationError(
            "invalid_unit", "单位信息有误，未创建", "the unit was not created", [_name_taken(name)]
        ) from None
    changes: dict[str, list[Any]] = {
        "parent": [None, parent.name],
        "level": [None, unit.level],
        "name": [None, name],
    }
    changes |= {
        key: [None, value] for key, value in (("code", code), ("party_org_name", party_org_name)) if value
    }
    audit_record(
        actor=actor, action="unit_create", object_type="org.unit", object_id=unit.pk, changes=changes
    )
    return unit


@transaction.atomic
def unit_update(
    *, actor: User, unit: Unit, name: str, code: str | None = None, party_org_name: str | None = None
) -> Unit:
    """Rename a unit and change its plain fields (code, party organisation); ``None`` keeps a
    field. The level, parent and path do not change here."""
    values = {
        "name": name.strip(),
        "code": unit.code if code is None else code.strip(),
        "party_org_name": unit.party_org_name if party_org_name is None else party_org_name.strip(),
    }
    # A stored value kept as it is is not judged again (units loaded before these rules).
    problems = [
        *_unit_name_problems(values["name"], unit.parent, unit),
        *(_unit_code_problems(values["code"]) if values["code"] != unit.code else []),
        *(
            _party_org_problems(values["party_org_name"])
            if values["party_org_name"] != unit.party_org_name
            else []
        ),
    ]
    _refuse("invalid_unit", "单位信息有误，未修改", "the unit was not changed", problems)
    changes = {
        key: [getattr(unit, key), value] for key, value in values.items() if getattr(unit, key) != value
    }
    if not changes:
        return unit
    for key, value in values.items():
        setattr(unit, key, value)
    try:
        with transaction.atomic():
            unit.save(update_fields=list(changes))
    except IntegrityError:
        unit.refresh_from_db()
        raise ApplicationError(
            "invalid_unit", "单位信息有误，未修改", "the unit was not changed", [_name_taken(values["name"])]
        ) from None
    audit_record(
        actor=actor, action="unit_update", object_type="org.unit", object_id=unit.pk, changes=changes
    )
    return unit


@transaction.atomic
def building_create(*, actor: User, branch: Unit, number: str, name: str, counts: dict[str, int]) -> Building:
    """A new building (楼栋) under a 楼栋党支部; its number is unique in the branch's region
    (as households are addressed), its counts within ``BUILDING_COUNTS``."""
    number, name = number.strip(), name.strip()
    problems = [*_building_number_problems(number, branch), *_building_name_problems(name)]
    problems += _building_count_problems(counts)
    if branch.level != Unit.Level.BRANCH:
        problems.append(
            FieldProblem(
                "branch_id",
                branch.pk,
                "楼栋须建在楼栋党支部之下",
                "a building belongs to a building party branch (楼栋党支部)",
            )
        )
    _refuse("invalid_building", "楼栋信息有误，未创建", "the building was not created", problems)
    try:
        with transaction.atomic():
            building = Building.objects.create(
                branch=branch,
                number=number,
                name=name,
                region_code=branch.region_code,
                **{key: counts[key] for key, *_ in BUILDING_COUNTS},
            )
    except IntegrityError:
        raise ApplicationError(
            "invalid_building",
            "楼栋信息有误，未创建",
            "the building was not created",
            [_number_taken(number)],
        ) from None
    changes: dict[str, list[Any]] = {
        "branch": [None, branch.name],
        "number": [None, number],
        "name": [None, name],
    }
    changes |= {key: [None, counts[key]] for key, *_ in BUILDING_COUNTS}
    audit_record(
        actor=actor,
        action="building_create",
        object_type="org.building",
        object_id=building.pk,
        changes=changes,
    )
    return building


@transaction.atomic
def building_rename(*, actor: User, building: Building, name: str) -> Building:
    """A building's new name. Its number and counts stay: households are addressed by them."""
    name = name.strip()
    _refuse(
        "invalid_building",
        "楼栋信息有误，未修改",
        "the building was not changed",
        _building_name_problems(name),
    )
    if name != building.name:
        audit_record(
            actor=actor,
            action="building_rename",
            object_type="org.building",
            object_id=building.pk,
            changes={"name": [building.name, name]},
        )
        building.name = name
        building.save(update_fields=["name"])
    return building


def _refuse(code: str, message: str, message_en: str, problems: list[FieldProblem]) -> None:
    if problems:
        raise ApplicationError(code, message, message_en, problems)


def _unit_level_problems(parent: Unit) -> list[FieldProblem]:
    if parent.level >= Unit.Level.FLOOR_GROUP:
        return [
            FieldProblem(
                "parent_id",
                parent.pk,
                "楼层党小组之下不能再设下级单位",
                "a floor group (楼层党小组) has no units below it",
            )
        ]
    return []


def _unit_name_problems(name: str, parent: Unit | None, unit: Unit | None) -> list[FieldProblem]:
    if not name or len(name) > 100:
        return [FieldProblem("name", name, "单位名称应为1到100个字", "a unit name has 1 to 100 characters")]
    siblings = Unit.objects.filter(parent=parent, name=name)
    if unit is not None:
        siblings = siblings.exclude(pk=unit.pk)
    return [_name_taken(name)] if siblings.exists() else []


def _name_taken(name: str) -> FieldProblem:
    return FieldProblem(
        "name", name, "同一上级下已有同名单位", "a unit of this name exists under the same parent"
    )


def _unit_code_problems(code: str) -> list[FieldProblem]:
    if code and not UNIT_CODE_PATTERN.match(code):
        return [
            FieldProblem(
                "code", code, "区划/统计代码应为6到12位数字（可不填）", "a code has 6 to 12 digits (or none)"
            )
        ]
    return []


def _party_org_problems(party_org_name: str) -> list[FieldProblem]:
    if len(party_org_name) > 150:
        return [
            FieldProblem(
                "party_org_name",
                party_org_name,
                "党组织名称不超过150个字",
                "a party organisation name has at most 150 characters",
            )
        ]
    return []


def _building_number_problems(number: str, branch: Unit) -> list[FieldProblem]:
    if not BUILDING_NUMBER_PATTERN.match(number):
        return [
            FieldProblem(
                "number",
                number,
                "楼栋号应为1到20位字母、数字、- 或 _",
                "a building number has 1 to 20 letters, digits, - or _",
            )
        ]
    if Building.objects.filter(region_code=branch.region_code, number__iexact=number).exists():
        return [_number_taken(number)]
    return []


def _number_taken(number: str) -> FieldProblem:
    return FieldProblem(
        "number", number, "本区划内已有该楼栋号", "this building number is taken in the region"
    )


def _building_name_problems(name: str) -> list[FieldProblem]:
    if not name or len(name) > 100:
        return [
            FieldProblem("name", name, "楼栋名称应为1到100个字", "a building name has 1 to 100 characters")
        ]
    return []


def _building_count_problems(counts: dict[str, int]) -> list[FieldProblem]:
    problems = []
    for key, label, label_en, least, most in BUILDING_COUNTS:
        value = counts.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            problems.append(
                FieldProblem(
                    key,
                    value,
                    f"{label}应为{least}到{most}之间的整数",
                    f"{label_en}: a whole number from {least} to {most}",
                )
            )
    return problems


# ---------------------------------------------------------------- micro-grids (微网格)

GRID_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")


@transaction.atomic
def grid_create(*, actor: User, building: Building, unit: Unit, code: str, name: str) -> MicroGrid:
    """A new micro-grid in a building, under one of its branch's floor groups (楼层党小组)."""
    code, name = code.strip(), name.strip()
    problems = [*_grid_code_problems(code), *_grid_name_problems(name)]
    if unit.level != Unit.Level.FLOOR_GROUP or unit.parent_id != building.branch_id:
        problems.append(
            FieldProblem(
                "unit_id",
                unit.pk,
                "网格须归属该楼栋党支部下的楼层党小组",
                "a grid belongs to a floor group of the building's party branch",
            )
        )
    if problems:
        raise ApplicationError("invalid_grid", "网格信息有误，未创建", "the grid was not created", problems)
    try:
        with transaction.atomic():  # a savepoint: another creation of the code may win the race
            grid = MicroGrid.objects.create(
                unit=unit, building=building, code=code, name=name, region_code=building.region_code
            )
    except IntegrityError:
        raise ApplicationError(
            "invalid_grid", "网格信息有误，未创建", "the grid was not created", [_code_taken(code)]
        ) from None
    _audit_grid(actor, grid, "grid_create", {"code": [None, code], "name": [None, name]})
    return grid


@transaction.atomic
def grid_rename(*, actor: User, grid: MicroGrid, name: str) -> MicroGrid:
    name = name.strip()
    problems = _grid_name_problems(name)
    if problems:
        raise ApplicationError("invalid_grid", problems[0].message, problems[0].message_en, problems)
    if name != grid.name:
        _audit_grid(actor, grid, "grid_rename", {"name": [grid.name, name]})
        grid.name = name
        grid.save(update_fields=["name"])
    return grid


@transaction.atomic
def grid_assign_worker(*, actor: User, grid: MicroGrid, worker: User | None) -> MicroGrid:
    """Make ``worker`` (an active account holding the grid worker role at or above the grid's
    unit) the grid's worker, or leave the grid without one. The scope follows at once: the
    worker sees exactly the households of their grids (``accounts.scope``). The grid's
    households are marked changed, so that they reach the new worker's phone at its next
    incremental pull (``sync.pull`` selects by ``updated_at``); the previous worker's next pull
    lists them as removed. Listeners hear ``grid_worker_changed`` (cases: the grid's open
    matters follow the new worker)."""
    if worker is not None:
        _check_worker(grid, worker)
    old = grid.worker
    if (old.pk if old else None) == (worker.pk if worker else None):
        return grid
    grid.worker = worker
    grid.save(update_fields=["worker"])
    households = Household.objects.filter(grid=grid)
    if old is not None:
        scope_exits_record(user_id=old.pk, household_ids=households.values_list("pk", flat=True))
    # Only the timestamp: the version is about the household's own fields (conflict checks).
    households.update(updated_at=timezone.now())
    _audit_grid(
        actor,
        grid,
        "grid_worker",
        {"worker": [old.username if old else None, worker.username if worker else None]},
    )
    grid_worker_changed.send(
        sender=MicroGrid,
        grid_id=grid.pk,
        old_worker_id=old.pk if old else None,
        new_worker_id=worker.pk if worker else None,
        actor=actor,
    )
    return grid


def _check_worker(grid: MicroGrid, worker: User) -> None:
    roles = Assignment.objects.filter(user=worker, role=Role.GRID_WORKER).select_related("unit")
    # The role held in the grid's unit or above it, or in another unit of the same branch.
    branch = grid.building.branch.path
    if not worker.is_active or not any(
        grid.unit.path.startswith(a.unit.path) or a.unit.path.startswith(branch) for a in roles
    ):
        raise invalid(
            "username",
            worker.username,
            "该账号不是此楼栋的在职网格员（须在本楼栋党支部或其上级有「网格员」任职）",
            "not an active grid worker here (needs the grid worker role in this branch or above)",
        )


def _grid_code_problems(code: str) -> list[FieldProblem]:
    if not GRID_CODE_PATTERN.match(code):
        return [
            FieldProblem(
                "code",
                code,
                "网格编号应为1到30位字母、数字、- 或 _",
                "a grid code has 1 to 30 letters, digits, - or _",
            )
        ]
    if MicroGrid.objects.filter(code__iexact=code).exists():
        return [_code_taken(code)]
    return []


def _code_taken(code: str) -> FieldProblem:
    return FieldProblem("code", code, "该网格编号已存在", "this grid code is already taken")


def _grid_name_problems(name: str) -> list[FieldProblem]:
    if not name or len(name) > 100:
        return [FieldProblem("name", name, "网格名称应为1到100个字", "a grid name has 1 to 100 characters")]
    return []


def _audit_grid(actor: User, grid: MicroGrid, action: str, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type="org.microgrid", object_id=grid.pk, changes=changes)
