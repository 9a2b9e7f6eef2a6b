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
    "GET /api/v1/labels": RouteRule(Access.LOGIN),
    "GET /api/v1/rule-sets/active": RouteRule(Access.LOGIN),
    "POST /api/v1/rules/preview": RouteRule(Access.PERMISSION, P.CONFIG_MANAGE),
    "POST /api/v1/evaluate": RouteRule(Access.PERMISSION, P.HOUSEHOLD_VIEW),
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
