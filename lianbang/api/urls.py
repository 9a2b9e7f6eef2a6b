"""The REST API root (/api/v1). Domain routers join it as they are built."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from lianbang.common.errors import ApplicationError, FieldProblem

api = NinjaAPI(title="Lianbang 链帮 API", version="1", urls_namespace="api-v1")


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
