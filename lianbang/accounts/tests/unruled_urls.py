"""The project's URLs plus a page and an API operation that have no access rule (for a test)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from lianbang.urls import urlpatterns as project_urlpatterns

extra_api = NinjaAPI(urls_namespace="extra-api")


@extra_api.get("/ping")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "yes"}


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("nobody wrote a rule for me")


urlpatterns = [
    *project_urlpatterns,
    path("forgotten/", forgotten, name="forgotten"),
    path("extra-api/", extra_api.urls),
]
