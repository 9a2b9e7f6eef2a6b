"""Facts about the HTTP request that several apps need (the client's address)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when it is missing or malformed.

    Behind a reverse proxy (``LIANBANG_TRUST_X_FORWARDED_FOR``) the last X-Forwarded-For hop is
    the address our own proxy saw; earlier hops are whatever the client claimed and are ignored.
    """
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.LIANBANG_TRUST_X_FORWARDED_FOR:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        raw = next((hop for hop in reversed(hops) if hop), raw)
    return normalize_ip(raw)


def normalize_ip(raw: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((raw or "").strip()))
    except ValueError:
        return None
