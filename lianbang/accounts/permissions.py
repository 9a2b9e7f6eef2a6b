"""The permission matrix: which role may do what. Scope (where) is in ``scope.py``.

``DEFAULT_MATRIX`` is the documented default (docs/permissions.md prints it); administrators
adjust it with :class:`RolePermissionOverride` rows, which win over the default.
"""

from __future__ import annotations

from collections.abc import Iterable

from lianbang.accounts.models import Permission, Role, RolePermissionOverride

P = Permission

_OFFICIAL = frozenset({P.UNIT_VIEW, P.HOUSEHOLD_VIEW, P.HOUSEHOLD_EDIT, P.SENSITIVE_REVEAL})

DEFAULT_MATRIX: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: _OFFICIAL | {P.BREAK_GLASS, P.EXPORT, P.AUDIT_VIEW, P.USERS_MANAGE},
    Role.STREET_OFFICIAL: _OFFICIAL | {P.BREAK_GLASS, P.EXPORT},
    Role.COMMUNITY_OFFICIAL: _OFFICIAL | {P.BREAK_GLASS, P.EXPORT},
    Role.AREA_LEADER: _OFFICIAL | {P.BREAK_GLASS, P.EXPORT},
    Role.BRANCH_SECRETARY: _OFFICIAL | {P.BREAK_GLASS},
    Role.FLOOR_LEADER: frozenset({P.UNIT_VIEW, P.HOUSEHOLD_VIEW, P.HOUSEHOLD_EDIT, P.BREAK_GLASS}),
    Role.GRID_WORKER: frozenset({P.HOUSEHOLD_VIEW, P.HOUSEHOLD_EDIT, P.SENSITIVE_REVEAL, P.BREAK_GLASS}),
    Role.DEPARTMENT: frozenset({P.HOUSEHOLD_VIEW, P.DEPARTMENT_UPLOAD}),
    Role.HELPER: frozenset({P.HOUSEHOLD_VIEW, P.SENSITIVE_REVEAL}),
    Role.LEADER: frozenset({P.UNIT_VIEW, P.HOUSEHOLD_VIEW, P.EXPORT}),
    Role.SYSTEM_ADMIN: frozenset({P.UNIT_VIEW, P.CONFIG_MANAGE, P.USERS_MANAGE, P.AUDIT_VIEW}),
}

# 六步就业: everyone who works with residents records; streets and up run the programmes.
_JOBS_SEE = frozenset({P.EMPLOYMENT_VIEW})
_JOBS_RECORD = _JOBS_SEE | {P.EMPLOYMENT_RECORD}
_JOBS_RUN = _JOBS_RECORD | {P.EMPLOYMENT_MANAGE}
for _role, _extra in {
    Role.DISTRICT_ADMIN: _JOBS_RUN,
    Role.STREET_OFFICIAL: _JOBS_RUN,
    Role.COMMUNITY_OFFICIAL: _JOBS_RUN,
    Role.AREA_LEADER: _JOBS_RECORD,
    Role.BRANCH_SECRETARY: _JOBS_RECORD,
    Role.FLOOR_LEADER: _JOBS_RECORD,
    Role.GRID_WORKER: _JOBS_RECORD,
    Role.LEADER: _JOBS_SEE,
}.items():
    DEFAULT_MATRIX[_role] = DEFAULT_MATRIX[_role] | _extra

# Roles whose second factor is required at every login (DOMAIN §9: administrators).
SECOND_FACTOR_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN})


def effective_matrix() -> dict[str, frozenset[str]]:
    """The default matrix with the administrators' overrides applied (one small query)."""
    matrix = {role: set(perms) for role, perms in DEFAULT_MATRIX.items()}
    for role, permission, granted in RolePermissionOverride.objects.values_list(
        "role", "permission", "granted"
    ):
        if role in matrix:
            (matrix[role].add if granted else matrix[role].discard)(permission)
    return {role: frozenset(perms) for role, perms in matrix.items()}


def roles_with(permission: str) -> frozenset[str]:
    return frozenset(role for role, perms in effective_matrix().items() if permission in perms)


def permissions_of(roles: Iterable[str]) -> frozenset[str]:
    matrix = effective_matrix()
    return frozenset(p for role in roles for p in matrix.get(role, ()))


def matrix_markdown() -> str:
    """The default matrix as the Markdown table printed in docs/permissions.md."""
    header = "| permission | " + " | ".join(str(Role(role).label) for role in Role.values) + " |"
    rule = "|---|" + "---|" * len(Role.values)
    rows = [
        f"| `{perm.value}` {perm.label} | "
        + " | ".join("✔" if perm.value in DEFAULT_MATRIX[role] else "" for role in Role.values)
        + " |"
        for perm in Permission
    ]
    return "\n".join([header, rule, *rows])
