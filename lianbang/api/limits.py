"""Request limits for the API: a rate per token (or session user, or address)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``rate`` requests per bearer token; sessions per user; anonymous callers per IP."""

    scope = "token"

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the rate at each request, so that a changed setting applies without a restart.
        self.rate = settings.LIANBANG_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": _caller(request, self)}


def _caller(request: HttpRequest, throttle: SimpleRateThrottle) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "t" + hashlib.sha256(header[7:].strip().encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{throttle.get_ident(request)}"
