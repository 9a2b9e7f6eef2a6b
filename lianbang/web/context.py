"""Template context for every page: which menu entries the user may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from lianbang.accounts.models import Permission
from lianbang.accounts.scope import grants_with


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "demo_mode": settings.LIANBANG_DEMO_MODE}
    nav = {
        "break_glass": bool(grants_with(user, Permission.BREAK_GLASS)),
        "audit": bool(grants_with(user, Permission.AUDIT_VIEW)),
    }
    return {"nav": nav, "demo_mode": settings.LIANBANG_DEMO_MODE}
