"""The access rule of every URL and API operation of the project.

Each route (Django URL pattern, or ninja operation = method + path) needs a rule here: who
may call it (public, any logged-in user, a permission, staff) and which URL parameter names
an object whose scope is checked. ``tests/test_route_access.py`` enumerates every route,
fails on one without a rule, and calls each one as every role in and out of scope.

Keys: ``"namespace:name"`` for named Django routes (``"namespace:*"`` covers a namespace),
``"/route"`` for unnamed ones, ``"METHOD /api/v1/path/{param}"`` for API operations.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView

from lianbang.accounts.models import Permission


class Access(StrEnum):
    PUBLIC = "public"  # anyone, logged in or not
    LOGIN = "login"  # any logged-in user
    PERMISSION = "permission"  # a grant holding ``permission``
    STAFF = "staff"  # the admin site: staff only (Django's own checks)


class Scope(StrEnum):
    NONE = "none"
    LIST = "list"  # lists only what lies in the caller's scope
    UNIT = "unit"  # the ``unit_id`` parameter must be in scope, else 404
    HOUSEHOLD = "household"  # the ``household_id`` parameter must be in scope, else 404
    OWN = "own"  # the ``job_id`` parameter must be the caller's own background job, else 404
    # (``notification_id``: the caller's own notification)
    CASE = "case"  # the ``case_id`` / ``matter_id`` parameter must be a matter in scope, else 404
    BUILDING = "building"  # the ``building_id`` parameter must be in scope, else 404
    # 六步就业: the employment object a parameter names (enterprise, job, fair, course, batch,
    # survey) must belong to a unit above or below the caller's, a member_id to a household in
    # their scope, a unit_id to their units (``lianbang.employment.access``), else 404.
    EMPLOYMENT = "employment"


@dataclass(frozen=True)
class RouteRule:
    access: Access
    permission: str = ""
    scope: Scope = Scope.NONE
    method: str = "GET"  # how the route test calls a Django route (API operations carry theirs)


P = Permission
PUBLIC = RouteRule(Access.PUBLIC)

_household_view = RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.HOUSEHOLD)
_household_edit = RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT, Scope.HOUSEHOLD)
_unit_view = RouteRule(Access.PERMISSION, P.UNIT_VIEW, Scope.UNIT)
# Cases and matters: seen with the households (view), worked on by those who edit households;
# which role may take which step is the cases app's finer table (docs/cases.md), a 403 inside.
_case_view = RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.CASE)
_case_edit = RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT, Scope.CASE)
_case_list = RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.LIST)
_case_create = RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT)

_jobs_view = RouteRule(Access.PERMISSION, P.EMPLOYMENT_VIEW, Scope.EMPLOYMENT)
_jobs_record = RouteRule(Access.PERMISSION, P.EMPLOYMENT_RECORD, Scope.EMPLOYMENT)
_jobs_manage = RouteRule(Access.PERMISSION, P.EMPLOYMENT_MANAGE, Scope.EMPLOYMENT)
_EMPLOYMENT: list[tuple[str, str, RouteRule]] = [
    ("GET", "vocabularies", RouteRule(Access.LOGIN)),
    ("GET", "surveys", _jobs_view),
    ("POST", "units/{unit_id}/surveys", _jobs_manage),
    ("GET", "surveys/{campaign_id}", _jobs_view),
    ("GET", "surveys/{campaign_id}/units/{unit_id}", _jobs_view),
    ("GET", "surveys/{campaign_id}/units/{unit_id}/unreached", _jobs_view),
    ("POST", "surveys/{campaign_id}/members/{member_id}", _jobs_record),
    ("POST", "surveys/{campaign_id}/units/{unit_id}/confirm", _jobs_record),
    ("GET", "members/{member_id}/wish", _jobs_view),
    ("PUT", "members/{member_id}/wish", _jobs_record),
    ("GET", "members/{member_id}/matches", _jobs_view),
    ("GET", "members/{member_id}/path", _jobs_view),
    ("POST", "members/{member_id}/job-change", _jobs_record),
    ("POST", "members/{member_id}/job-loss", _jobs_record),
    ("POST", "members/{member_id}/rights-cases", _jobs_record),
    ("POST", "members/{member_id}/referrals/{posting_id}", _jobs_record),
    ("POST", "members/{member_id}/referrals/{posting_id}/outcome", _jobs_record),
    ("POST", "members/{member_id}/follow-ups/{follow_up_id}", _jobs_record),
    ("GET", "enterprises", _jobs_view),
    ("POST", "units/{unit_id}/enterprises", _jobs_manage),
    ("GET", "enterprises/{enterprise_id}", _jobs_view),
    ("POST", "enterprises/{enterprise_id}/postings", _jobs_manage),
    ("POST", "enterprises/{enterprise_id}/courses", _jobs_manage),
    ("GET", "postings", _jobs_view),
    ("GET", "postings/{posting_id}", _jobs_view),
    ("POST", "postings/{posting_id}/close", _jobs_manage),
    ("GET", "postings/{posting_id}/candidates", _jobs_view),
    ("GET", "fairs", _jobs_view),
    ("POST", "units/{unit_id}/fairs", _jobs_manage),
    ("GET", "fairs/{fair_id}", _jobs_view),
    ("POST", "fairs/{fair_id}/enterprises/{enterprise_id}", _jobs_manage),
    ("POST", "fairs/{fair_id}/attendees/{member_id}", _jobs_record),
    ("GET", "courses", _jobs_view),
    ("GET", "courses/{course_id}", _jobs_view),
    ("POST", "courses/{course_id}/enrolments/{member_id}", _jobs_record),
    ("POST", "courses/{course_id}/attendance", _jobs_record),
    ("POST", "courses/{course_id}/enrolments/{member_id}/complete", _jobs_record),
    ("POST", "courses/{course_id}/enrolments/{member_id}/hire", _jobs_record),
    ("GET", "transport", _jobs_view),
    ("POST", "units/{unit_id}/transport/{enterprise_id}", _jobs_manage),
    ("GET", "transport/{batch_id}", _jobs_view),
    ("POST", "transport/{batch_id}/passengers", _jobs_record),
    ("POST", "transport/{batch_id}/arrival", _jobs_manage),
    ("GET", "follow-ups", _jobs_view),
    ("GET", "units/{unit_id}/figures", _jobs_view),
    ("GET", "units/{unit_id}/figures/children", _jobs_view),
    ("GET", "units/{unit_id}/figures/series", _jobs_view),
    ("POST", "units/{unit_id}/exports", RouteRule(Access.PERMISSION, P.EXPORT, Scope.EMPLOYMENT)),
]

RULES: dict[str, RouteRule] = {
    # The one login for the site; the password and TOTP steps serve a pending login only.
    "web:login": PUBLIC,
    "web:login_password": PUBLIC,
    "web:login_otp": PUBLIC,
    "web:login_otp_qr": PUBLIC,
    "web:logout": RouteRule(Access.PUBLIC, method="POST"),
    "set_language": RouteRule(Access.PUBLIC, method="POST"),
    "/admin/login/": PUBLIC,
    "web:home": RouteRule(Access.LOGIN),
    "web:overview": RouteRule(Access.LOGIN),
    "web:account_password": RouteRule(Access.LOGIN),
    "web:unit": RouteRule(Access.PERMISSION, P.UNIT_VIEW, Scope.UNIT),
    "web:household": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.HOUSEHOLD),
    "web:household_reveal": RouteRule(Access.PERMISSION, P.SENSITIVE_REVEAL, Scope.HOUSEHOLD, "POST"),
    "web:break_glass": RouteRule(Access.PERMISSION, P.BREAK_GLASS),
    "web:audit": RouteRule(Access.PERMISSION, P.AUDIT_VIEW),
    "web:audit_export": RouteRule(Access.PERMISSION, P.AUDIT_VIEW),
    # The Vue apps' pages: the console needs a session; the phone app's shell opens offline and
    # logs in itself (its data comes from the API, which checks every call).
    "web:console": RouteRule(Access.LOGIN),
    "web:console_path": RouteRule(Access.LOGIN),
    "web:mobile": PUBLIC,
    "web:mobile_sw": PUBLIC,
    "web:mobile_manifest": PUBLIC,
    "web:mobile_path": PUBLIC,
    "admin:*": RouteRule(Access.STAFF),
    # Imports, department lists and exports (lianbang.transfer); a job is its owner's only.
    "transfer:index": RouteRule(Access.LOGIN),
    "transfer:import": RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT),
    "transfer:department": RouteRule(Access.PERMISSION, P.DEPARTMENT_UPLOAD),
    "transfer:department_template": RouteRule(Access.PERMISSION, P.DEPARTMENT_UPLOAD),
    "transfer:export": RouteRule(Access.PERMISSION, P.EXPORT),
    "transfer:job": RouteRule(Access.LOGIN, scope=Scope.OWN),
    "transfer:job_status": RouteRule(Access.LOGIN, scope=Scope.OWN),
    "transfer:job_commit": RouteRule(Access.LOGIN, scope=Scope.OWN, method="POST"),
    "transfer:job_rerun": RouteRule(Access.LOGIN, scope=Scope.OWN, method="POST"),
    "transfer:job_errors": RouteRule(Access.LOGIN, scope=Scope.OWN),
    "transfer:job_result": RouteRule(Access.LOGIN, scope=Scope.OWN),
    # The OpenAPI description is public (no data); operations are not.
    "api-v1:openapi-json": PUBLIC,
    "api-v1:openapi-view": PUBLIC,
    "api-v1:api-root": PUBLIC,
    "GET /api/v1/health": PUBLIC,
    "GET /api/v1/me": RouteRule(Access.LOGIN),
    "GET /api/v1/households": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.LIST),
    "POST /api/v1/households/export": RouteRule(Access.PERMISSION, P.EXPORT),
    "GET /api/v1/members/{member_id}": _household_view,
    "GET /api/v1/cases/{case_id}/situation": _case_view,
    "GET /api/v1/households/{household_id}": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.HOUSEHOLD),
    "POST /api/v1/households/{household_id}/reveal": RouteRule(
        Access.PERMISSION, P.SENSITIVE_REVEAL, Scope.HOUSEHOLD
    ),
    "POST /api/v1/households": RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT),
    "GET /api/v1/households/{household_id}/document": _household_view,
    "PUT /api/v1/households/{household_id}/document": _household_edit,
    "PATCH /api/v1/households/{household_id}": _household_edit,
    "PATCH /api/v1/households/{household_id}/members/{member_id}": _household_edit,
    "GET /api/v1/households/{household_id}/events": _household_view,
    "POST /api/v1/households/{household_id}/events": _household_edit,
    "GET /api/v1/households/{household_id}/visits": _household_view,
    "POST /api/v1/households/{household_id}/visits": _household_edit,
    "GET /api/v1/households/{household_id}/incomes": _household_view,
    "GET /api/v1/households/{household_id}/light": _household_view,
    "GET /api/v1/households/{household_id}/light-history": _household_view,
    "GET /api/v1/households/{household_id}/labels": _household_view,
    "POST /api/v1/households/{household_id}/labels/{code}": _household_edit,
    "DELETE /api/v1/households/{household_id}/labels/{code}": _household_edit,
    "GET /api/v1/units": RouteRule(Access.LOGIN),
    "GET /api/v1/units/{unit_id}": _unit_view,
    "GET /api/v1/units/{unit_id}/children": _unit_view,
    "GET /api/v1/units/{unit_id}/buildings": _unit_view,
    "GET /api/v1/units/{unit_id}/grids": _unit_view,
    "GET /api/v1/sync/pull": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.LIST),
    "POST /api/v1/sync/push": RouteRule(Access.PERMISSION, P.HOUSEHOLD_EDIT),
    "GET /api/v1/mobile/tasks": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW),
    "GET /api/v1/mobile/employment": RouteRule(Access.PERMISSION, P.EMPLOYMENT_VIEW),
    "GET /api/v1/households/{household_id}/visit-photos": _household_view,
    "GET /api/v1/labels": RouteRule(Access.LOGIN),
    "GET /api/v1/rule-sets/active": RouteRule(Access.LOGIN),
    "POST /api/v1/rules/preview": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "POST /api/v1/evaluate": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW),
    # Administration screens (lianbang/api/admin.py): accounts within the caller's units;
    # rules, monitoring lines and deadlines for configuration managers.
    "GET /api/v1/admin/users": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/grants": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/grants/revoke": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/users": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/users/active": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/users/password": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/users/unlock": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "GET /api/v1/admin/buildings/{building_id}/grids": RouteRule(
        Access.PERMISSION, P.USERS_MANAGE, Scope.BUILDING
    ),
    "POST /api/v1/admin/grids": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/grids/rename": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/grids/worker": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/grids/move": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/units": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/units/rename": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/buildings": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "POST /api/v1/admin/buildings/rename": RouteRule(Access.PERMISSION, P.USERS_MANAGE),
    "PUT /api/v1/admin/labels": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "GET /api/v1/admin/rule-sets": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "POST /api/v1/admin/rule-sets": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "POST /api/v1/admin/rules": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "POST /api/v1/admin/rule-sets/activate": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "GET /api/v1/admin/facts": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "GET /api/v1/admin/settings": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "PUT /api/v1/admin/settings/workflow": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "PUT /api/v1/admin/lines": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    # Alerts, cases, other matters, the inbox and the 公示 list (lianbang.api.cases).
    "GET /api/v1/alerts": _case_list,
    "POST /api/v1/alerts": _case_create,
    "GET /api/v1/cases": _case_list,
    "POST /api/v1/cases": _case_create,
    "POST /api/v1/cases/export": RouteRule(Access.PERMISSION, P.EXPORT),
    "GET /api/v1/cases/figures": RouteRule(Access.PERMISSION, P.UNIT_VIEW),
    "GET /api/v1/cases/{case_id}": _case_view,
    "POST /api/v1/cases/{case_id}/transitions": _case_edit,
    "POST /api/v1/cases/{case_id}/visits": _case_edit,
    "PUT /api/v1/cases/{case_id}/risk-types": _case_edit,
    "POST /api/v1/cases/{case_id}/measures": _case_edit,
    "POST /api/v1/cases/{case_id}/comments": _case_view,
    "GET /api/v1/households/{household_id}/cases": _household_view,
    "GET /api/v1/matters": _case_list,
    "POST /api/v1/matters": _case_create,
    "POST /api/v1/matters/export": RouteRule(Access.PERMISSION, P.EXPORT),
    "GET /api/v1/matters/{matter_id}": _case_view,
    "POST /api/v1/matters/{matter_id}/transitions": _case_edit,
    "POST /api/v1/matters/{matter_id}/mediation-sessions": _case_edit,
    "POST /api/v1/matters/{matter_id}/comments": _case_view,
    "GET /api/v1/inbox": RouteRule(Access.LOGIN),
    "POST /api/v1/inbox/{notification_id}/read": RouteRule(Access.LOGIN, scope=Scope.OWN),
    "GET /api/v1/publicity": RouteRule(Access.PERMISSION, P.EXPORT),
    "GET /api/v1/publicity/export": RouteRule(Access.PERMISSION, P.EXPORT),
    # The officials' console (lianbang.dashboards): ``?unit=`` is checked like ``unit_id``.
    "GET /api/v1/dashboard": RouteRule(Access.PERMISSION, P.UNIT_VIEW),
    "GET /api/v1/dashboard/children": RouteRule(Access.PERMISSION, P.UNIT_VIEW),
    "GET /api/v1/dashboard/trend": RouteRule(Access.PERMISSION, P.UNIT_VIEW),
    "GET /api/v1/buildings/{building_id}/light-map": RouteRule(
        Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.BUILDING
    ),
    "GET /api/v1/units/{unit_id}/light-map": _unit_view,
    "GET /api/v1/people": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW, Scope.LIST),
    "POST /api/v1/people/export": RouteRule(Access.PERMISSION, P.EXPORT),
    **{f"{method} /api/v1/employment/{path}": rule for method, path, rule in _EMPLOYMENT},
    # Care for every age and family ratings (lianbang.care, docs/care.md). A grid worker's tasks
    # are their own; a rating is decided by an official of a unit over it.
    "GET /api/v1/care/tasks": RouteRule(Access.LOGIN),
    "GET /api/v1/households/{household_id}/care": _household_view,
    "POST /api/v1/households/{household_id}/care/schedules": _household_edit,
    "POST /api/v1/households/{household_id}/care/visits": _household_edit,
    "POST /api/v1/households/{household_id}/care/notes": _household_edit,
    "POST /api/v1/households/{household_id}/care/calls": _household_edit,
    "POST /api/v1/households/{household_id}/care/calls/{call_id}/done": _household_edit,
    "POST /api/v1/households/{household_id}/care/jobs": _household_edit,
    "POST /api/v1/households/{household_id}/care/children": _household_edit,
    "POST /api/v1/households/{household_id}/care/children/{child_id}/aid": _household_edit,
    "POST /api/v1/households/{household_id}/care/counselling": _household_edit,
    "POST /api/v1/households/{household_id}/care/{record}/{record_id}/reveal": RouteRule(
        Access.PERMISSION, P.SENSITIVE_REVEAL, Scope.HOUSEHOLD
    ),
    "POST /api/v1/households/{household_id}/ratings": _household_edit,
    "GET /api/v1/care/units/{unit_id}/overview": _unit_view,
    "GET /api/v1/care/units/{unit_id}/schedules": _unit_view,
    "GET /api/v1/care/units/{unit_id}/children": _unit_view,
    "GET /api/v1/care/units/{unit_id}/volunteers": _unit_view,
    "POST /api/v1/care/units/{unit_id}/volunteers": RouteRule(
        Access.PERMISSION, P.HOUSEHOLD_EDIT, Scope.UNIT
    ),
    "GET /api/v1/care/units/{unit_id}/activities": _unit_view,
    "POST /api/v1/care/units/{unit_id}/activities": RouteRule(
        Access.PERMISSION, P.HOUSEHOLD_EDIT, Scope.UNIT
    ),
    "GET /api/v1/care/units/{unit_id}/ratings": _unit_view,
    # Their Excel exports (transfer jobs, masked, audited): ``export`` in the unit's scope.
    **{
        f"POST /api/v1/care/units/{{unit_id}}/{what}/export": RouteRule(
            Access.PERMISSION, P.EXPORT, Scope.UNIT
        )
        for what in ("schedules", "children", "volunteers", "activities", "ratings")
    },
    "POST /api/v1/care/units/{unit_id}/building-ratings": RouteRule(
        Access.PERMISSION, P.HOUSEHOLD_EDIT, Scope.UNIT
    ),
    "POST /api/v1/care/ratings/{rating_id}/decision": RouteRule(Access.PERMISSION, P.UNIT_VIEW, Scope.UNIT),
    # The policy catalogue (lianbang.policies, docs/policies.md): read by everyone, edited by
    # configuration managers; the missed-entitlement list per unit for officials.
    "GET /api/v1/policies": RouteRule(Access.LOGIN),
    "GET /api/v1/policies/{policy_id}": RouteRule(Access.LOGIN),
    "POST /api/v1/policies": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "PATCH /api/v1/policies/{policy_id}": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "GET /api/v1/policies/missed": RouteRule(Access.PERMISSION, P.UNIT_VIEW),
    "POST /api/v1/policies/missed/export": RouteRule(Access.PERMISSION, P.EXPORT),
    "GET /api/v1/policies/suggestions": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW),
    "GET /api/v1/households/{household_id}/policies": _household_view,
    "POST /api/v1/households/{household_id}/policies/{policy_id}/receipts": _household_edit,
    "POST /api/v1/households/{household_id}/policies/{policy_id}/receipts/end": _household_edit,
    # The console's household file (lianbang/api/console.py).
    "GET /api/v1/households/{household_id}/file": _household_view,
    "GET /api/v1/security-notices": RouteRule(Access.LOGIN),
}


@dataclass(frozen=True)
class Route:
    key: str
    route: str  # Django's form: "units/<int:unit_id>/"
    namespace: str
    name: str
    method: str = ""  # set for API operations

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)


def all_routes(urlconf: str | None = None) -> list[Route]:
    """Every route the URL configuration serves, API operations one per method."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver(urlconf).url_patterns, "", ""):
        seen.setdefault(route.key, route)
    return list(seen.values())


def rule_for(route: Route, rules: dict[str, RouteRule] | None = None) -> RouteRule | None:
    rules = RULES if rules is None else rules
    return rules.get(route.key) or (rules.get(f"{route.namespace}:*") if route.namespace else None)


def routes_without_rule(urlconf: str | None = None, rules: dict[str, RouteRule] | None = None) -> list[str]:
    return sorted(route.key for route in all_routes(urlconf) if rule_for(route, rules) is None)


def _walk(patterns: Sequence[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield from _routes_of(pattern, prefix + str(pattern.pattern), namespace)


def _routes_of(pattern: URLPattern, route: str, namespace: str) -> Iterator[Route]:
    path_view = _ninja_path_view(pattern.callback)
    if path_view is None:
        key = f"{namespace}:{pattern.name}" if pattern.name and namespace else (pattern.name or f"/{route}")
        yield Route(key, route, namespace, pattern.name or "")
        return
    readable = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    for operation in path_view.operations:
        for method in operation.methods:
            yield Route(f"{method} /{readable}", route, namespace, pattern.name or "", method)


def _ninja_path_view(callback: Any) -> PathView | None:
    """Ninja serves each path through a closure over its PathView (all its operations)."""
    if not inspect.isfunction(callback):
        return None
    candidate = inspect.getclosurevars(callback).nonlocals.get("self")
    return candidate if isinstance(candidate, PathView) else None
