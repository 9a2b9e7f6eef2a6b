"""Security headers Django's SecurityMiddleware does not send: CSP and Permissions-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# The server-rendered pages carry no inline script or style: keep it so, and this stays strict.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Swagger UI (served from our own static files) sets inline styles; scripts stay 'self' only.
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
API_DOCS_PATH = "/api/v1/docs"
# The phone app's icon font ships inside Vant's own CSS as a data: URL (no CDN): allowed for /m/.
MOBILE_POLICY = CONTENT_SECURITY_POLICY.replace("font-src 'self'", "font-src 'self' data:")
MOBILE_PATH = "/m/"
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path == API_DOCS_PATH else CONTENT_SECURITY_POLICY
        if request.path.startswith(MOBILE_PATH):
            policy = MOBILE_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages of personal data must not linger in shared browsers' or proxies' caches.
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response
