"""Access checks for pages. Object scope is checked in the views (out of scope → 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from lianbang.accounts.scope import has_permission

View = Callable[..., HttpResponse]

login_required_page = login_required


def permission_page(permission: str) -> Callable[[View], View]:
    """Logged in and holding ``permission`` in at least one of the user's grants, else 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
