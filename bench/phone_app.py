"""Benchmark: the phone app's first screen, by size and on Chromium's slow-3G emulation (issue 9).

    make frontend
    .venv/bin/python bench/phone_app.py                      # sizes only
    make demo &   # or: LIANBANG_DEMO_MODE=1 .venv/bin/lianbang runserver 127.0.0.1:8000
    .venv/bin/python bench/phone_app.py --url http://127.0.0.1:8000 [--user grid0001]

It prints, in one process:
  (s) the gzipped bytes of the first screen (entry page, its scripts, preloads and CSS) against
      the 300 KB budget, the lazily loaded pages, and, for comparison, Vant imported whole
      (vant/lib/vant.es.js + vant/lib/index.css) instead of per component;
  (t) with --url: a grid worker's login → their grid listed, unthrottled and on slow 3G (2 s
      round trip, 400 kbit/s), then the app reopened with the network off (service worker +
      IndexedDB), each in a fresh browser context.
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
VANT = ROOT / "frontend" / "node_modules" / "vant" / "lib"
BUDGET = 300 * 1024
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def sizes() -> None:
    html = (DIST / "mobile" / "index.html").read_text(encoding="utf-8")
    first = [DIST / "mobile" / "index.html"] + [
        DIST / name for name in re.findall(r'(?:src|href)="/static/app/([^"]+\.(?:js|css))"', html)
    ]
    total = sum(gz(p) for p in first)
    print(
        f"(s) first screen: {total / 1024:.1f} KB gzipped in {len(first)} files (budget {BUDGET // 1024} KB)"
    )
    for path in first:
        print(f"      {path.name:40} {gz(path) / 1024:7.1f} KB")
    sw = (DIST / "mobile" / "sw.js").read_text(encoding="utf-8")
    precached = re.findall(r'"/static/app/(assets/[^"]+)"', sw)
    lazy = [DIST / name for name in precached if DIST / name not in first]
    lazy_kb = sum(gz(p) for p in lazy) / 1024
    print(
        f"    lazy pages and chunks (precached by the service worker): {lazy_kb:.1f} KB in {len(lazy)} files"
    )
    whole = gz(VANT / "vant.es.js") + gz(VANT / "index.css")
    print(f"    for comparison, Vant imported whole: {whole / 1024:.1f} KB gzipped (JS + CSS), no app code")


def timed_open(browser, url: str, user: str, password: str, throttle: bool) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, base_url=url
    )
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto("/login/?next=/m/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    started = time.monotonic()
    page.click("button[type=submit]")
    page.locator("[data-test=household]").first.wait_for(timeout=180_000)
    online = time.monotonic() - started
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.close()
    context.set_offline(True)
    page = context.new_page()
    started = time.monotonic()
    page.goto("/m/")
    page.locator("[data-test=household]").first.wait_for()
    offline = time.monotonic() - started
    context.close()
    return online, offline


def timings(url: str, user: str, password: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for label, throttle in (("unthrottled", False), ("slow 3G", True)):
            online, offline = timed_open(browser, url, user, password, throttle)
            print(f"(t) {label:12} login → grid listed {online:6.1f} s; reopened offline {offline:5.2f} s")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server (make demo) to time the app against")
    parser.add_argument("--user", default="grid0001")
    parser.add_argument("--password", default="Lianbang@2026")
    args = parser.parse_args()
    sizes()
    if args.url:
        timings(args.url, args.user, args.password)


if __name__ == "__main__":
    main()
