"""The REST API root (/api/v1). Domain routers join it as they are built.

Every operation requires a bearer token or a logged-in session (see ``auth.py``) unless it
says ``auth=None``; each needs a rule in ``lianbang.accounts.routes`` (a test checks).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from lianbang.api.access import router as access_router
from lianbang.api.admin import router as admin_router
from lianbang.api.auth import API_AUTH
from lianbang.api.care import router as care_router
from lianbang.api.cases import router as cases_router
from lianbang.api.console import router as console_router
from lianbang.api.dashboards import router as dashboards_router
from lianbang.api.drill import router as drill_router
from lianbang.api.employment import router as employment_router
from lianbang.api.grids import router as grids_router
from lianbang.api.households import router as households_router
from lianbang.api.limits import TokenRateThrottle
from lianbang.api.monitoring import router as monitoring_router
from lianbang.api.org import router as org_router
from lianbang.api.policies import router as policies_router
from lianbang.api.sync import router as sync_router
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.mobile.api import router as mobile_router

api = NinjaAPI(
    title="Lianbang 链帮 API",
    version="1",
    urls_namespace="api-v1",
    auth=API_AUTH,
    throttle=[TokenRateThrottle(settings.LIANBANG_API_RATE)],
)
for router in (
    access_router,
    households_router,
    org_router,
    monitoring_router,
    sync_router,
    cases_router,
    care_router,
    policies_router,
    mobile_router,
):
    api.add_router("", router)
api.add_router("", admin_router)  # administration screens (lianbang/api/admin.py)
api.add_router("", grids_router)  # micro-grids of a building (lianbang/api/grids.py)
api.add_router("", dashboards_router)
api.add_router("", employment_router)
api.add_router("", console_router)
api.add_router("", drill_router)  # person, matter situation (lianbang/api/drill.py)


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", response=HealthOut, auth=None, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness: the service answers and its database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    error = ApplicationError(
        "unauthenticated", "请先登录或提供有效的接口令牌", "log in or present a valid API token", status=401
    )
    return api.create_response(request, error.as_dict(), status=401)


@api.exception_handler(NinjaValidationError)
def request_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = [
        FieldProblem(
            ".".join(str(p) for p in err.get("loc", [])),
            err.get("input"),
            "格式不正确：" + str(err.get("msg", "")),
            str(err.get("msg", "")),
        )
        for err in exc.errors
    ]
    error = ApplicationError("invalid", "请求数据有误", "the request is invalid", problems)
    return api.create_response(request, error.as_dict(), status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    error = ApplicationError("not_found", "找不到或无权访问", "not found or not in your scope", status=404)
    return api.create_response(request, error.as_dict(), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    error = ApplicationError("forbidden", "无此操作权限", "you may not do this", status=403)
    return api.create_response(request, error.as_dict(), status=403)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    error = ApplicationError(
        "too_large",
        f"请求体超过{limit // 1024} KB，请分批提交",
        f"the request body is over {limit // 1024} KB; send it in parts",
        status=413,
    )
    return api.create_response(request, error.as_dict(), status=413)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = int(exc.wait or 1)
    error = ApplicationError(
        "too_many_requests",
        f"请求过于频繁，请{wait}秒后再试",
        f"too many requests; retry in {wait} s",
        status=429,
    )
    response = api.create_response(request, error.as_dict(), status=429)
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not parse the body
        error = ApplicationError(
            "malformed", "请求体无法解析（应为有效的 JSON）", "the body is not valid JSON"
        )
    else:
        error = ApplicationError("http_error", str(exc), str(exc), status=exc.status_code)
    return api.create_response(request, error.as_dict(), status=exc.status_code)
