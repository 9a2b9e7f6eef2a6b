from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    return HttpResponse("")
