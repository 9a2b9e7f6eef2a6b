"""How API callers prove who they are: a bearer token, or the browser session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lianbang.accounts.scope import restrict_to
from lianbang.accounts.tokens import token_authenticate


class BearerToken(HttpBearer):
    """``Authorization: Bearer lb_…``: the token's user, narrowed to the token's role and unit."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token.strip())
        if found is None:
            return None
        user, grant = found
        restrict_to(user, grant)
        request.user = user
        return user


# Session auth checks the CSRF token on unsafe methods (POST, PUT, PATCH, DELETE).
API_AUTH = [BearerToken(), SessionAuth(csrf=True)]
