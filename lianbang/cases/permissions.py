"""May this user do this action on this case? Decided here, in one place, from Assignment rows.

Scope comes from the access layer (``accounts.scope``: the user's grants, narrowed to one by
an API token): a unit role covers the subtree of its unit (the case's unit path starts with the
role's unit path); a grid worker covers the households of the micro-grids they serve
(MicroGrid.worker); a helper (帮扶责任人) the households paired with them; a department user the
households its lists matched inside its unit's subtree. Role: the transition's roles
(``workflow.py``), the roles of the approval level awaited, or ``ACTION_ROLES`` for actions that
are not transitions. Outside the scope a case does not exist for the user (404); inside it, a
role that may not act is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from lianbang.accounts.models import DepartmentMatch, HelperPairing, Role
from lianbang.accounts.scope import Grant, grants_of
from lianbang.cases.conf import APPROVAL_LEVELS
from lianbang.cases.models import Case
from lianbang.cases.workflow import DECIDERS, STREET, VISITORS, workflow_of
from lianbang.common.errors import ApplicationError
from lianbang.org.models import Unit
from lianbang.registry.models import Household

R = Role

# Actions that are not transitions, and who may take them (inside their scope).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": VISITORS | {R.LEADER, R.DEPARTMENT, R.HELPER},
    "raise_alert": VISITORS | {R.DEPARTMENT},
    "visit": VISITORS,
    "set_risk_types": VISITORS,
    "add_measure": DECIDERS | {R.BRANCH_SECRETARY},
    "comment": VISITORS | {R.LEADER, R.DEPARTMENT, R.HELPER},
    "mediate": VISITORS,
    "open_matter": VISITORS,
    "open_enterprise_issue": STREET,
    # The 公示 list is posted publicly; leaders (who may export) read it too.
    "export_publicity": DECIDERS | {R.LEADER},
}

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "view": ("查看", "view"),
    "raise_alert": ("上报预警", "raise an alert"),
    "visit": ("登记走访", "record a visit"),
    "set_risk_types": ("修改风险类型", "change the risk types"),
    "add_measure": ("登记帮扶措施", "add a measure"),
    "comment": ("备注", "comment"),
    "mediate": ("登记调解", "record a mediation session"),
    "open_matter": ("登记事项", "register a matter"),
    "open_enterprise_issue": ("交办企业诉求", "assign an enterprise issue"),
    "export_publicity": ("导出公示名单", "export the public notice list"),
}


class Verdict(Enum):
    ALLOWED = "allowed"
    OUT_OF_SCOPE = "out_of_scope"
    WRONG_ROLE = "wrong_role"


@dataclass(frozen=True)
class Subject:
    """Where a thing sits: its unit's path and the grid worker of its household, if any."""

    unit_path: str
    grid_worker_id: int | None = None
    household_id: int | None = None


def subject_of_case(case: Case) -> Subject:
    household = case.household
    if household is None:
        return Subject(case.unit.path)
    return Subject(case.unit.path, _worker_of(household), household.pk)


def subject_of_household(household: Household) -> Subject:
    return Subject(household.unit.path, _worker_of(household), household.pk)


def subject_of_unit(unit: Unit) -> Subject:
    return Subject(unit.path)


def _worker_of(household: Household) -> int | None:
    return household.grid.worker_id if household.grid_id and household.grid else None


def roles_for(case: Case, action: str) -> frozenset[str]:
    if action in ACTION_ROLES:
        return ACTION_ROLES[action]
    transition = workflow_of(case.kind).transition(action)
    if transition.roles:
        return transition.roles
    return _awaited_level_roles(case)


def _awaited_level_roles(case: Case) -> frozenset[str]:
    if case.approval_stage >= len(case.approval_levels):
        return frozenset()
    return APPROVAL_LEVELS[case.approval_levels[case.approval_stage]].roles


def verdict(user: Any, subject: Subject, roles: frozenset[str]) -> Verdict:
    """The one decision: None is the system (signals, ``lianbang tick``) and may do anything."""
    if user is None or user.is_superuser:
        return Verdict.ALLOWED
    covering = [g for g in _grants(user) if _covers(user, g, subject)]
    if not covering:
        return Verdict.OUT_OF_SCOPE
    return Verdict.ALLOWED if any(g.role in roles for g in covering) else Verdict.WRONG_ROLE


def _grants(user: Any) -> list[Grant]:
    """The user's grants (``accounts.scope``; an API token narrows them to its own), kept on the
    user object for its lifetime (one request), as Django's ModelBackend keeps permissions."""
    cached: list[Grant] | None = getattr(user, _GRANTS_CACHE, None)
    if cached is None:
        cached = grants_of(user)
        setattr(user, _GRANTS_CACHE, cached)
    return cached


_GRANTS_CACHE = "_lianbang_case_grants"


def _covers(user: Any, grant: Grant, subject: Subject) -> bool:
    if grant.unit is None:
        return True
    if grant.role == R.GRID_WORKER:
        return subject.grid_worker_id is not None and subject.grid_worker_id == user.pk
    household_id = subject.household_id
    if grant.role == R.HELPER:
        return household_id is not None and _paired(user, household_id)
    inside = subject.unit_path.startswith(grant.unit.path)
    if grant.role == R.DEPARTMENT:
        return inside and household_id is not None and _matched(grant.department, household_id)
    return inside


def _paired(user: Any, household_id: int) -> bool:
    return HelperPairing.objects.filter(helper=user, household_id=household_id).exists()


def _matched(department: str, household_id: int) -> bool:
    return DepartmentMatch.objects.filter(department=department, household_id=household_id).exists()


def may_act(user: Any, case: Case, action: str) -> bool:
    return verdict(user, subject_of_case(case), roles_for(case, action)) is Verdict.ALLOWED


def check_may_act(user: Any, case: Case, action: str) -> None:
    check(user, subject_of_case(case), roles_for(case, action), action_name(action, case.kind))


def check(user: Any, subject: Subject, roles: frozenset[str], name: tuple[str, str]) -> None:
    """Raise 404 outside the user's scope, 403 for a role that may not take the action ``name``."""
    found = verdict(user, subject, roles)
    if found is Verdict.OUT_OF_SCOPE:
        raise ApplicationError(
            "not_found", "事项不存在或不在您的辖区", "no such matter in your area", status=404
        )
    if found is Verdict.WRONG_ROLE:
        raise ApplicationError(
            "forbidden", f"您的角色不能「{name[0]}」", f"your role may not {name[1]}", status=403
        )


def action_name(action: str, kind: str) -> tuple[str, str]:
    if action in ACTION_NAMES:
        return ACTION_NAMES[action]
    transition = workflow_of(kind).transition(action)
    return transition.name, transition.name_en
