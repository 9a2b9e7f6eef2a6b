"""Browser tests: Playwright (Python) driving Debian's Chromium against a live test server.

Playwright's own browser download does not work here, so the browser is ``/usr/bin/chromium``
(``make browser`` installs it; ``LIANBANG_CHROMIUM`` points elsewhere). Screenshots go to
``var/test-artifacts/screenshots``. Use ``console_page`` (desktop) or ``phone_page``
(360 × 640, touch) with ``live_server``; log in with :func:`log_in`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LIANBANG_CHROMIUM", "/usr/bin/chromium")
# The flags a sandboxed, offline machine needs: no sandbox as root, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server answers one request at a time: SQLite's in-memory test database is one
    connection shared by the server's threads, and an app that sends requests in parallel (the
    phone app's service worker precaching while it syncs) would otherwise hit "table is locked".
    Connections stay threaded, so a browser's keep-alive connection never blocks another."""

    def set_app(self, application):  # type: ignore[no-untyped-def]
        lock = threading.Lock()

        def serial(environ, start_response):  # type: ignore[no-untyped-def]
            with _counted(), lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    _close(result)

        super().set_app(serial)


def _close(result: object) -> None:
    """Close the application's answer here, in the server's thread, as WSGI asks of a server.
    Django hands a file response over as its file with ``close`` pointing at the response's;
    left to the garbage collector, that file was closed in whichever thread collected it, and
    the response's ``request_finished`` then closed *that* thread's database connection: the
    test's own, inside its transaction ("the connection is closed" on PostgreSQL; found by
    lianbang.testing.diagnostics)."""
    close = getattr(result, "close", None)
    if callable(close):
        close()


# Requests the live server has received and not yet answered. A test's teardown waits for them:
# the server's thread shares the test's database connection, so a request still running when
# the next test empties and fills the database would interleave with it.
_in_flight = 0
_settled = threading.Condition()


@contextlib.contextmanager
def _counted() -> Iterator[None]:
    global _in_flight
    with _settled:
        _in_flight += 1
    try:
        yield
    finally:
        with _settled:
            _in_flight -= 1
            _settled.notify_all()


def wait_for_the_server(timeout: float = 15.0) -> None:
    """Return once no request is being served (a closed page may have left one running)."""
    time.sleep(0.2)  # a request the browser sent just before closing reaches the server
    with _settled:
        _settled.wait_for(lambda: _in_flight == 0, timeout=timeout)


LiveServerThread.server_class = _OneRequestAtATimeServer  # type: ignore[attr-defined]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 360, "height": 640}


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    if not (Path(settings.LIANBANG_FRONTEND_DIST) / "console" / "index.html").is_file():
        pytest.fail("the front end is not built: run `make frontend`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_page(chromium, live_server, transactional_db):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()
    wait_for_the_server()


@pytest.fixture
def phone_page(chromium, live_server, transactional_db):  # type: ignore[no-untyped-def]
    context = chromium.new_context(
        viewport=PHONE, locale="zh-CN", base_url=live_server.url, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()
    wait_for_the_server()


def log_in(page, username: str, password: str, next_path: str = "/console/") -> None:  # type: ignore[no-untyped-def]
    """The one server-rendered login (lockout, forced change and TOTP live there)."""
    page.goto(f"/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}**")


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Keep a picture of a main page among the test artefacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
