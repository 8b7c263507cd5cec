"""Screenshots of built pages in headless Chromium, to look at what a visitor sees.

    python scripts/screenshot.py SITE_DIR OUT_DIR PATH [PATH ...] [--width 1280] [--full]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--large", action="store_true", help="with the large-text switch on")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    server, base = serve(a.site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": a.width, "height": a.height})
        for path in a.paths:
            if a.large:
                page.add_init_script("localStorage.setItem('ss-large','1')")
            page.goto(base + path.lstrip("/"))
            page.wait_for_load_state("networkidle")
            name = (path.strip("/").replace("/", "_") or "home") + f"-{a.width}.png"
            page.screenshot(path=str(a.out / name), full_page=a.full)
            print(a.out / name)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
