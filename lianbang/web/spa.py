"""The two single-page apps built by Vite (frontend/): the officials' console and the phone app.

Vite writes ``frontend/dist``; its assets are served by WhiteNoise under ``/static/app/`` and its
HTML entry pages by the views here, so that Django decides who may open them. The console needs
a logged-in session (the server-rendered login keeps lockout, forced password change and TOTP);
the phone app's shell opens without one, because it must start offline and logs in itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

NOT_BUILT = (
    "<!doctype html><meta charset=utf-8><title>链帮</title>"
    "<p>前端尚未构建：请运行 make demo（或 make frontend）。"
    "<p>The front end is not built: run make demo (or make frontend)."
)


def _dist_file(*parts: str) -> Path:
    return Path(settings.LIANBANG_FRONTEND_DIST, *parts)


@cache
def _cached_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _read(path: Path) -> str | None:
    """The built file, cached in production; re-read in DEBUG so a rebuild shows at once."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8") if settings.DEBUG else _cached_text(path)


def _entry_page(name: str) -> HttpResponse:
    html = _read(_dist_file(name, "index.html"))
    return HttpResponse(NOT_BUILT if html is None else html)


@login_required
@ensure_csrf_cookie
def console(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every console route answers the same page; the Vue router takes the rest of the path."""
    return _entry_page("console")


@ensure_csrf_cookie
def mobile(request: HttpRequest, path: str = "") -> HttpResponse:
    return _entry_page("mobile")


def mobile_service_worker(request: HttpRequest) -> HttpResponse:
    """The phone app's service worker, served from /m/ so that its scope covers the app."""
    script = _read(_dist_file("mobile", "sw.js")) or "// the phone app is not built"
    response = HttpResponse(script, content_type="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


def mobile_manifest(request: HttpRequest) -> HttpResponse:
    manifest = _read(_dist_file("mobile", "manifest.webmanifest")) or "{}"
    return HttpResponse(manifest, content_type="application/manifest+json")
