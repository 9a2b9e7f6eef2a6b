"""Administration without the Django admin (issue 8 §8): accounts and their grants, units and
buildings, rule sets and rules, the facts the rule editor offers, monitoring lines and the
workflow deadlines.

Thin over the existing models and services (``monitoring.rulesets`` for drafts, validation and
activation). Accounts, grants, units and buildings need ``users.manage`` and stay inside the
caller's units (``org.services`` writes units and buildings and audits them); rules,
lines and deadlines need ``config.manage``. Every write is in the audit log, in the same
transaction; a refused write changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from lianbang.accounts.models import Assignment, Department, Permission, Role, User
from lianbang.accounts.permissions import effective_matrix, permissions_of
from lianbang.accounts.scope import grants_of, grants_with, unit_for, units_for
from lianbang.accounts.services import (
    GrantSpec,
    account_locked_until,
    user_create,
    user_password_reset,
    user_set_active,
    user_unlock,
)
from lianbang.api.households import actor_of, require
from lianbang.api.org import BuildingOut, UnitOut, unit_out
from lianbang.api.schemas import ErrorOut, StrictIn
from lianbang.audit.services import audit_record
from lianbang.cases.conf import APPROVAL_LEVELS, approval_levels_check, workflow_settings
from lianbang.cases.models import WorkflowSettings
from lianbang.common.errors import ApplicationError, invalid
from lianbang.common.validators import mask_phone
from lianbang.monitoring.facts import FACTS
from lianbang.monitoring.labels import label_update
from lianbang.monitoring.models import Label, MonitoringLine, Rule, RuleSet
from lianbang.monitoring.rulesets import (
    rule_save,
    rule_set_activate,
    rule_set_draft,
    schedule_bulk_evaluation,
)
from lianbang.monitoring.selectors import active_rule_set
from lianbang.org.models import Building, Unit
from lianbang.org.services import building_create, building_rename, unit_add, unit_update
from lianbang.sync.scope import scope_exits_for_worker

router = Router(tags=["administration"])

P = Permission


ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
MAX_USERS = 200
MAX_ID = 2**63
# The deadlines an administrator may change here (hours and days of DOMAIN §5).
WORKFLOW_NUMBERS = (
    "red_visit_hours",
    "red_measures_hours",
    "yellow_visit_hours",
    "identification_days",
    "publicity_days",
    "follow_up_days",
    "elimination_review_days",
    "request_reply_days",
    "dispute_days",
    "enterprise_days",
    "escalation_hours",
    "due_soon_hours",
    "relapse_months",
)
LIMITS = {"publicity_days": (5, 60)}  # DOMAIN §5: 公示 at least 5 days


# ---------------------------------------------------------------- schemas


class AdminGrantOut(Schema):
    id: int
    role: str
    role_label: str
    unit_id: int
    unit_name: str
    department: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str
    is_active: bool
    last_login: datetime | None
    must_change_password: bool
    locked_until: datetime | None
    grants: list[AdminGrantOut]


class RoleOut(Schema):
    code: str
    label: str
    permissions: list[str]


class UsersOut(Schema):
    items: list[UserOut]
    truncated: bool
    roles: list[RoleOut]
    departments: list[dict[str, str]]


class GrantIn(StrictIn):
    username: str
    unit_id: int
    role: str
    department: str = ""


class RevokeIn(StrictIn):
    grant_id: int


class AccountGrantIn(StrictIn):
    unit_id: int
    role: str
    department: str = ""


class AccountIn(StrictIn):
    username: str
    full_name: str
    phone: str = ""
    password: str
    grants: list[AccountGrantIn]


class AccountRefIn(StrictIn):
    username: str


class AccountActiveIn(StrictIn):
    username: str
    active: bool


class AccountPasswordIn(StrictIn):
    username: str
    password: str


class AdminRuleOut(Schema):
    code: str
    color: str
    risk_type: str
    name: str
    reason: str
    reason_en: str
    condition: dict[str, Any]
    position: int


class AdminRuleSetOut(Schema):
    version: int
    name: str
    status: str
    status_label: str
    parameters: dict[str, Any]
    created_by: str | None
    created_at: datetime
    activated_at: datetime | None
    rules: list[AdminRuleOut]


class DraftIn(StrictIn):
    name: str = ""


class RuleIn(StrictIn):
    version: int
    code: str
    color: str
    risk_type: str = ""
    name: str
    reason: str = ""
    reason_en: str = ""
    condition: Any = None
    position: int = 99


class LabelEditIn(StrictIn):
    code: str
    name: str | None = None
    description: str | None = None
    condition: Any = None


class AdminLabelOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    condition: dict[str, Any] | None


class ActivateIn(StrictIn):
    version: int


class ActivatedOut(Schema):
    version: int
    evaluation_run: int


class FactOut(Schema):
    name: str
    scope: str
    type: str
    label: str
    choices: list[dict[str, str]]


class LineOut(Schema):
    region_prefix: str
    year: int
    amount: str


class SettingOut(Schema):
    name: str
    label: str
    value: int


class SettingsOut(Schema):
    deadlines: list[SettingOut]
    approval_levels: list[str]
    approval_levels_available: list[dict[str, str]]
    lines: list[LineOut]


class LineIn(StrictIn):
    region_prefix: str
    year: int
    amount: Decimal


class WorkflowIn(StrictIn):
    changes: dict[str, Any]


class UnitCreateIn(StrictIn):
    parent_id: int
    name: str
    code: str = ""
    party_org_name: str = ""


class UnitUpdateIn(StrictIn):
    unit_id: int
    name: str
    code: str | None = None
    party_org_name: str | None = None


class BuildingCreateIn(StrictIn):
    branch_id: int
    number: str
    name: str
    entrance_count: int = 1
    floor_count: int
    rooms_per_floor: int


class BuildingRenameIn(StrictIn):
    building_id: int
    name: str


# ---------------------------------------------------------------- accounts and grants


def _user_out(user: User, locks: dict[str, Any] | None = None) -> dict[str, Any]:
    locks = account_locked_until([user.username]) if locks is None else locks
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "phone": mask_phone(user.phone) if user.phone else "",
        "is_active": user.is_active,
        "last_login": user.last_login,
        "must_change_password": user.password_changed_at is None,
        "locked_until": locks.get(user.username),
        "grants": [
            {
                "id": a.pk,
                "role": a.role,
                "role_label": Role(a.role).label,
                "unit_id": a.unit_id,
                "unit_name": a.unit.name,
                "department": a.department,
            }
            for a in user.visible_grants  # type: ignore[attr-defined]
        ],
    }


@router.get("/admin/users", response={200: UsersOut, **ERRORS})
def user_list(request: HttpRequest, q: str = "", unit_id: int | None = None) -> dict[str, Any]:
    """Accounts holding a grant in the caller's units (``users.manage``), with those grants;
    ``q`` matches the user name or full name, ``unit_id`` narrows to a unit's subtree."""
    require(request, P.USERS_MANAGE)
    units = units_for(request.user, P.USERS_MANAGE)
    if unit_id is not None:
        unit = unit_for(request.user, unit_id, P.USERS_MANAGE)
        if unit is None:
            raise invalid("unit_id", unit_id, "不是您管理范围内的单位", "not a unit you manage")
        units = units.filter(path__startswith=unit.path)
    grants = Assignment.objects.filter(unit__in=units).select_related("unit").order_by("unit__path", "role")
    users = User.objects.filter(assignments__in=grants).distinct().order_by("username")
    if q.strip():
        users = users.filter(Q(username__icontains=q.strip()) | Q(full_name__icontains=q.strip()))
    users = users.prefetch_related(Prefetch("assignments", queryset=grants, to_attr="visible_grants"))
    rows = list(users[: MAX_USERS + 1])
    matrix = effective_matrix()
    locks = account_locked_until([u.username for u in rows])
    return {
        "items": [_user_out(u, locks) for u in rows[:MAX_USERS]],
        "truncated": len(rows) > MAX_USERS,
        "roles": [
            {"code": code, "label": str(label), "permissions": sorted(matrix.get(code, ()))}
            for code, label in Role.choices
        ],
        "departments": [{"code": code, "label": str(label)} for code, label in Department.choices],
    }


@router.post("/admin/grants", response={201: UserOut, **ERRORS})
def grant_create(request: HttpRequest, body: GrantIn) -> tuple[int, dict[str, Any]]:
    """Give an account a role in a unit. The unit must be one the caller manages, and the role
    may not carry a permission the caller does not hold in that unit or above."""
    require(request, P.USERS_MANAGE)
    unit = _grantable(request, body.role, body.unit_id, body.department)
    user = User.objects.filter(username=body.username.strip()).first()
    if user is None:
        raise invalid("username", body.username, "无此账号", "no such account")
    with transaction.atomic():
        grant, created = Assignment.objects.get_or_create(
            user=user, unit=unit, role=body.role, defaults={"department": body.department}
        )
        if not created:
            raise invalid(
                "role", body.role, "该账号在此单位已有此角色", "the account already holds this role here"
            )
        audit_record(
            actor=actor_of(request),
            action="grant_create",
            object_type="accounts.assignment",
            object_id=grant.pk,
            changes={"user": [None, user.username], "unit": [None, unit.name], "role": [None, body.role]},
            request=request,
        )
    return 201, _user_with_grants(request, user)


def _grantable(request: HttpRequest, role: str, unit_id: int, department: str) -> Unit:
    """The unit, if the caller may give ``role`` there: a unit they manage, and a role all of
    whose permissions the caller holds in that unit or above (nobody hands out, and then logs in
    as, rights they lack: reading, revealing or exporting households included)."""
    if role not in Role.values:
        raise invalid("role", role, f"无此角色：{role}", f"no such role: {role}")
    unit = unit_for(request.user, unit_id, P.USERS_MANAGE)
    if unit is None:
        raise invalid("unit_id", unit_id, "不是您管理范围内的单位", "not a unit you manage")
    _check_department(role, department)
    _refuse_beyond_caller(request, "role", role, role, unit)
    return unit


def beyond_caller(request: HttpRequest, role: str, unit: Unit) -> set[str]:
    """The permissions of ``role`` the caller does not hold in ``unit`` or a unit above it
    (a superuser, the root of the hierarchy's trust, holds them all)."""
    if request.user.is_superuser:
        return set()
    held = permissions_of(
        g.role for g in grants_of(request.user) if g.unit is None or unit.path.startswith(g.unit.path)
    )
    return set(permissions_of([role])) - set(held)


def _refuse_beyond_caller(request: HttpRequest, field: str, value: object, role: str, unit: Unit) -> None:
    missing = sorted(beyond_caller(request, role, unit))
    if missing:
        raise invalid(
            field,
            value,
            f"不能授予超出本人在该单位权限的角色（缺少：{'、'.join(missing)}）",
            f"you may not grant a role with rights you lack in this unit (missing: {', '.join(missing)})",
        )


def _check_department(role: str, department: str) -> None:
    if role == Role.DEPARTMENT and department not in Department.values:
        raise invalid(
            "department", department, "部门用户须选择部门", "a department account needs its department"
        )
    if role != Role.DEPARTMENT and department:
        raise invalid(
            "department", department, "只有部门用户填写部门", "only department accounts have a department"
        )


@router.post("/admin/grants/revoke", response={200: UserOut, **ERRORS})
def grant_revoke(request: HttpRequest, body: RevokeIn) -> dict[str, Any]:
    """Withdraw one grant in a unit the caller manages (not the caller's own last grant)."""
    require(request, P.USERS_MANAGE)
    units = units_for(request.user, P.USERS_MANAGE)
    grant = None
    if 0 < body.grant_id < MAX_ID:
        grant = (
            Assignment.objects.filter(pk=body.grant_id, unit__in=units).select_related("user", "unit").first()
        )
    if grant is None:
        raise invalid(
            "grant_id", body.grant_id, "无此任职或不在您的管理范围", "no such grant in the units you manage"
        )
    if grant.user_id == request.user.pk and not any(
        g.unit != grant.unit for g in grants_with(request.user, P.USERS_MANAGE)
    ):
        raise invalid(
            "grant_id",
            body.grant_id,
            "不能收回本人唯一的管理任职",
            "you may not revoke your own last managing grant",
        )
    with transaction.atomic():
        audit_record(
            actor=actor_of(request),
            action="grant_revoke",
            object_type="accounts.assignment",
            object_id=grant.pk,
            changes={
                "user": [grant.user.username, None],
                "unit": [grant.unit.name, None],
                "role": [grant.role, None],
            },
            request=request,
        )
        grant.delete()
        if (
            grant.role == Role.GRID_WORKER
            and not grant.user.assignments.filter(role=Role.GRID_WORKER).exists()
        ):
            # Their grids' households leave their scope (accounts.scope): the phone drops them.
            scope_exits_for_worker(user_id=grant.user_id)
    return _user_with_grants(request, grant.user)


@router.post("/admin/users", response={201: UserOut, **ERRORS})
def account_create(request: HttpRequest, body: AccountIn) -> tuple[int, dict[str, Any]]:
    """A new account with its roles in units the caller manages and an initial password that
    its owner must change at the first login. Nothing is created when any part is refused."""
    require(request, P.USERS_MANAGE)
    specs = [
        GrantSpec(_grantable(request, g.role, g.unit_id, g.department), g.role, g.department)
        for g in body.grants
    ]
    user = user_create(
        actor=actor_of(request),
        username=body.username,
        full_name=body.full_name,
        phone=body.phone,
        password=body.password,
        grants=specs,
    )
    return 201, _user_with_grants(request, user)


@router.post("/admin/users/active", response={200: UserOut, **ERRORS})
def account_active(request: HttpRequest, body: AccountActiveIn) -> dict[str, Any]:
    """Deactivate an account (no login, no token) or reactivate it."""
    require(request, P.USERS_MANAGE)
    user = user_set_active(
        actor=actor_of(request), user=managed_account(request, body.username), active=body.active
    )
    return _user_with_grants(request, user)


@router.post("/admin/users/password", response={200: UserOut, **ERRORS})
def account_password(request: HttpRequest, body: AccountPasswordIn) -> dict[str, Any]:
    """Issue a new password (the project's rules apply); the owner changes it at the next login."""
    require(request, P.USERS_MANAGE)
    user = user_password_reset(
        actor=actor_of(request), user=managed_account(request, body.username), password=body.password
    )
    return _user_with_grants(request, user)


@router.post("/admin/users/unlock", response={200: UserOut, **ERRORS})
def account_unlock(request: HttpRequest, body: AccountRefIn) -> dict[str, Any]:
    """Lift the lock that failed logins put on the account before it ends."""
    require(request, P.USERS_MANAGE)
    user = managed_account(request, body.username)
    if not user_unlock(actor=actor_of(request), user=user):
        raise invalid("username", body.username, "该账号未被锁定", "the account is not locked")
    return _user_with_grants(request, user)


def managed_account(request: HttpRequest, username: str) -> User:
    """An account the caller may manage: every grant it holds lies in the caller's units, and it
    holds no permission the caller lacks there (nobody acts on, or logs in as, a bigger
    account)."""
    units = units_for(request.user, P.USERS_MANAGE)
    user = User.objects.filter(username=username.strip()).first() if username.strip() else None
    grants = list(user.assignments.select_related("unit")) if user else []
    inside = set(units.filter(pk__in=[a.unit_id for a in grants]).values_list("pk", flat=True))
    if (
        user is None
        or not grants
        or any(a.unit_id not in inside for a in grants)
        or (user.is_superuser and not request.user.is_superuser)
        or any(beyond_caller(request, a.role, a.unit) for a in grants)
    ):
        raise invalid(
            "username", username, "无此账号或不在您的管理范围", "no such account among those you manage"
        )
    return user


def _user_with_grants(request: HttpRequest, user: User) -> dict[str, Any]:
    units = units_for(request.user, P.USERS_MANAGE)
    grants = (
        Assignment.objects.filter(unit__in=units, user=user).select_related("unit").order_by("unit__path")
    )
    user.visible_grants = list(grants)  # type: ignore[attr-defined]
    return _user_out(user)


# ---------------------------------------------------------------- units and buildings


@router.post("/admin/units", response={201: UnitOut, **ERRORS})
def unit_add_below(request: HttpRequest, body: UnitCreateIn) -> tuple[int, dict[str, Any]]:
    """A new unit one level below a unit the caller manages (名称 unique among its siblings,
    代码 6 to 12 digits or none). Moving a unit to another parent is not offered."""
    require(request, P.USERS_MANAGE)
    parent = _managed_unit(request, body.parent_id)
    unit = unit_add(
        actor=actor_of(request),
        parent=parent,
        name=body.name,
        code=body.code,
        party_org_name=body.party_org_name,
    )
    return 201, unit_out(unit)


@router.post("/admin/units/rename", response={200: UnitOut, **ERRORS})
def unit_rename(request: HttpRequest, body: UnitUpdateIn) -> dict[str, Any]:
    """Rename a unit the caller manages; ``code`` and ``party_org_name`` change when given."""
    require(request, P.USERS_MANAGE)
    unit = _managed_unit(request, body.unit_id)
    unit = unit_update(
        actor=actor_of(request),
        unit=unit,
        name=body.name,
        code=body.code,
        party_org_name=body.party_org_name,
    )
    return unit_out(unit)


@router.post("/admin/buildings", response={201: BuildingOut, **ERRORS})
def building_add(request: HttpRequest, body: BuildingCreateIn) -> tuple[int, Building]:
    """A new building under a 楼栋党支部 the caller manages."""
    require(request, P.USERS_MANAGE)
    branch = _managed_unit(request, body.branch_id)
    counts = body.dict(include={"entrance_count", "floor_count", "rooms_per_floor"})
    return 201, building_create(
        actor=actor_of(request), branch=branch, number=body.number, name=body.name, counts=counts
    )


@router.post("/admin/buildings/rename", response={200: BuildingOut, **ERRORS})
def building_name(request: HttpRequest, body: BuildingRenameIn) -> Building:
    """A building's new name; its number and counts stay (households are addressed by them)."""
    require(request, P.USERS_MANAGE)
    building = None
    if 0 < body.building_id < MAX_ID:
        units = units_for(request.user, P.USERS_MANAGE)
        building = Building.objects.filter(pk=body.building_id, branch__in=units).first()
    if building is None:
        raise ApplicationError(
            "not_found", "找不到该楼栋或无权访问", "no such building in your scope", status=404
        )
    return building_rename(actor=actor_of(request), building=building, name=body.name)


def _managed_unit(request: HttpRequest, unit_id: int) -> Unit:
    """A unit in the caller's ``users.manage`` subtrees; any other is not found (404)."""
    unit = unit_for(request.user, unit_id, P.USERS_MANAGE)
    if unit is None:
        raise ApplicationError(
            "not_found", "找不到该单位或不在您的管理范围", "no such unit among those you manage", status=404
        )
    return unit


# ---------------------------------------------------------------- rule sets and rules


def _rule_set_out(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "version": rule_set.version,
        "name": rule_set.name,
        "status": rule_set.status,
        "status_label": rule_set.get_status_display(),
        "parameters": rule_set.parameters,
        "created_by": str(rule_set.created_by) if rule_set.created_by else None,
        "created_at": rule_set.created_at,
        "activated_at": rule_set.activated_at,
        "rules": list(rule_set.rules.order_by("position", "code")),
    }


def _rule_set(version: int) -> RuleSet:
    found = RuleSet.objects.filter(version=version).first() if 0 < version < 2**31 else None
    if found is None:
        raise invalid("version", version, f"无此规则集版本：{version}", f"no rule set version {version}")
    return found


@router.get("/admin/rule-sets", response={200: list[AdminRuleSetOut], **ERRORS})
def rule_set_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every rule set, newest first: drafts, the active one and retired ones, with their rules."""
    require(request, P.CONFIG_MANAGE)
    rows = RuleSet.objects.select_related("created_by").prefetch_related("rules").order_by("-version")
    return [_rule_set_out(r) for r in rows]


@router.post("/admin/rule-sets", response={201: AdminRuleSetOut, **ERRORS})
def rule_set_create(request: HttpRequest, body: DraftIn) -> tuple[int, dict[str, Any]]:
    """A new draft, copied from the active rule set."""
    require(request, P.CONFIG_MANAGE)
    with transaction.atomic():
        draft = rule_set_draft(actor=actor_of(request), name=body.name.strip()[:100])
        audit_record(
            actor=actor_of(request),
            action="rule_set_draft",
            object_type="monitoring.ruleset",
            object_id=draft.version,
            changes={"name": [None, draft.name]},
            request=request,
        )
    return 201, _rule_set_out(draft)


@router.post("/admin/rules", response={200: AdminRuleSetOut, **ERRORS})
def rule_put(request: HttpRequest, body: RuleIn) -> dict[str, Any]:
    """Create or change one rule of a draft; the condition is validated (400 naming each
    problem by its path in the condition) before anything is kept."""
    require(request, P.CONFIG_MANAGE)
    rule_set = _rule_set(body.version)
    code = body.code.strip()
    if not code or len(code) > 30:
        raise invalid(
            "code", body.code, "规则代码须为1到30个字符", "the rule code must be 1 to 30 characters"
        )
    values = body.dict(exclude={"version", "code"})
    for key, size in (("name", 100), ("reason", 200), ("reason_en", 200), ("risk_type", 30)):
        if len(values[key]) > size:
            raise invalid(key, values[key], f"不超过{size}个字符", f"at most {size} characters")
    with transaction.atomic():
        before = Rule.objects.filter(rule_set=rule_set, code=code).values("condition", "color").first()
        rule_save(rule_set=rule_set, code=code, values=values)
        audit_record(
            actor=actor_of(request),
            action="rule_save",
            object_type="monitoring.rule",
            object_id=f"v{rule_set.version}:{code}",
            changes={
                "condition": [before and before["condition"], body.condition],
                "color": [before and before["color"], body.color],
            },
            request=request,
        )
    return _rule_set_out(rule_set)


@router.post("/admin/rule-sets/activate", response={200: ActivatedOut, **ERRORS})
def rule_set_switch(request: HttpRequest, body: ActivateIn) -> dict[str, Any]:
    """Check every rule of a draft, prove the set runs, make it the active one and queue the
    re-judgement of every household."""
    require(request, P.CONFIG_MANAGE)
    rule_set = _rule_set(body.version)
    with transaction.atomic():
        previous = active_rule_set()
        run = rule_set_activate(rule_set=rule_set, actor=actor_of(request))
        audit_record(
            actor=actor_of(request),
            action="rule_set_activate",
            object_type="monitoring.ruleset",
            object_id=rule_set.version,
            changes={"active": [previous.version if previous else None, rule_set.version]},
            request=request,
        )
    return {"version": rule_set.version, "evaluation_run": run.pk}


@router.get("/admin/facts", response={200: list[FactOut], **ERRORS})
def fact_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The facts conditions are written in, by scope (household, member, event), with their
    type and, for coded text, the values allowed: what the rule editor offers."""
    require(request, P.CONFIG_MANAGE)
    return [
        {
            "name": fact.name,
            "scope": str(fact.scope),
            "type": str(fact.kind),
            "label": fact.label,
            "choices": [{"value": str(v), "label": str(lb)} for v, lb in fact.choices.choices]
            if fact.choices
            else [],
        }
        for fact in FACTS.values()
    ]


# ---------------------------------------------------------------- labels


@router.put("/admin/labels", response={200: AdminLabelOut, **ERRORS})
def label_edit(request: HttpRequest, body: LabelEditIn) -> Label:
    """Change a label's name, description and (computed labels) condition; the condition is
    validated with the path of each problem. Labels are not versioned with the rule sets: a
    new condition of a computed label queues a full re-judgement, as activating a rule set
    does (``schedule_bulk_evaluation``)."""
    require(request, P.CONFIG_MANAGE)
    label = Label.objects.filter(code=body.code).first()
    if label is None:
        raise invalid("code", body.code, f"没有标签「{body.code}」", f"no label {body.code!r}")
    before = {"name": label.name, "description": label.description, "condition": label.condition}
    with transaction.atomic():
        label_update(label=label, name=body.name, description=body.description, condition=body.condition)
        changes = {
            key: [old, getattr(label, key)] for key, old in before.items() if getattr(label, key) != old
        }
        if changes:
            audit_record(
                actor=actor_of(request),
                action="label_update",
                object_type="monitoring.label",
                object_id=label.code,
                changes=changes,
                request=request,
            )
        active = active_rule_set()
        if "condition" in changes and label.kind == Label.Kind.COMPUTED and active is not None:
            # Every household is judged again, as when a rule set is activated.
            schedule_bulk_evaluation(as_of=timezone.localdate(), rule_set=active, cause="label_update")
    return label


# ---------------------------------------------------------------- lines and deadlines


def _settings_out() -> dict[str, Any]:
    config = workflow_settings()
    return {
        "deadlines": [
            {
                "name": name,
                "label": _verbose(name),
                "value": getattr(config, name),
            }
            for name in WORKFLOW_NUMBERS
        ],
        "approval_levels": list(config.approval_levels),
        "approval_levels_available": [
            {"code": code, "name": level.name, "name_en": level.name_en}
            for code, level in APPROVAL_LEVELS.items()
        ],
        "lines": [
            {"region_prefix": line.region_prefix, "year": line.year, "amount": str(line.amount)}
            for line in MonitoringLine.objects.order_by("-year", "region_prefix")
        ],
    }


def _verbose(name: str) -> str:
    field = WorkflowSettings._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


@router.get("/admin/settings", response={200: SettingsOut, **ERRORS})
def settings_get(request: HttpRequest) -> dict[str, Any]:
    """The workflow deadlines (DOMAIN §5 defaults), the approval levels and the monitoring lines."""
    require(request, P.CONFIG_MANAGE)
    return _settings_out()


@router.put("/admin/settings/workflow", response={200: SettingsOut, **ERRORS})
def settings_workflow(request: HttpRequest, body: WorkflowIn) -> dict[str, Any]:
    """Change deadlines (whole hours or days, 1 to 720; 公示 at least 5 days) and the approval
    levels; applies to steps opened from now on."""
    require(request, P.CONFIG_MANAGE)
    updates = {name: _setting_value(name, value) for name, value in body.changes.items()}
    with transaction.atomic():
        config = WorkflowSettings.objects.select_for_update().get(pk=workflow_settings().pk)
        changes = {name: [getattr(config, name), value] for name, value in updates.items()}
        for name, value in updates.items():
            setattr(config, name, value)
        config.save(update_fields=list(updates) or None)
        audit_record(
            actor=actor_of(request),
            action="workflow_settings",
            object_type="cases.workflowsettings",
            object_id=config.pk,
            changes=changes,
            request=request,
        )
    return _settings_out()


def _setting_value(name: str, value: Any) -> Any:
    if name == "approval_levels":
        return approval_levels_check(value)
    if name not in WORKFLOW_NUMBERS:
        raise invalid(f"changes.{name}", value, "不能在此修改该设置", "this setting cannot be changed here")
    low, high = LIMITS.get(name, (1, 720))
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(
            f"changes.{name}",
            value,
            f"应为{low}到{high}之间的整数",
            f"must be a whole number from {low} to {high}",
        )
    return value


@router.put("/admin/lines", response={200: SettingsOut, **ERRORS})
def line_put(request: HttpRequest, body: LineIn) -> dict[str, Any]:
    """Set the monitoring line (元/人·年) of a region prefix and year; every household is then
    re-judged against it."""
    require(request, P.CONFIG_MANAGE)
    prefix = body.region_prefix.strip()
    if not prefix.isdigit() or not 2 <= len(prefix) <= 6:
        raise invalid(
            "region_prefix",
            body.region_prefix,
            "区划代码前缀应为2到6位数字",
            "the region prefix must be 2 to 6 digits",
        )
    if not 2000 <= body.year <= 2100:
        raise invalid("year", body.year, "年度应在2000到2100之间", "the year must be from 2000 to 2100")
    if not body.amount.is_finite() or not Decimal(0) < body.amount < Decimal(1_000_000):
        raise invalid(
            "amount",
            str(body.amount),
            "监测线应为正数且小于100万",
            "the line must be positive and under 1,000,000",
        )
    amount = body.amount.quantize(Decimal("0.01"))
    with transaction.atomic():
        before = (
            MonitoringLine.objects.filter(region_prefix=prefix, year=body.year)
            .values_list("amount", flat=True)
            .first()
        )
        MonitoringLine.objects.update_or_create(
            region_prefix=prefix, year=body.year, defaults={"amount": amount}
        )
        audit_record(
            actor=actor_of(request),
            action="monitoring_line",
            object_type="monitoring.monitoringline",
            object_id=f"{prefix}:{body.year}",
            changes={"amount": [str(before) if before is not None else None, str(amount)]},
            request=request,
        )
        active = active_rule_set()
        if active is not None:
            schedule_bulk_evaluation(as_of=timezone.localdate(), rule_set=active, cause="monitoring_line")
    return _settings_out()
