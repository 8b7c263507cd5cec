"""Bytes a visitor downloads for their first search from the header box, as a web server sends them (gzip).

    python scripts/firstsearch.py SITE [--query 培训] [--page powers/]

Serves SITE with scripts/gzip_server.py, opens a page in headless Chromium, waits until it is loaded, then types
the query into the header box and counts what the server sent from then until the results are shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gzip_server import GzipHandler, GzipServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


class _Counting(GzipHandler):
    sent: list[tuple[str, int]] = []

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.sent.append((self.path, int(value)))
        super().send_header(keyword, value)


def first_search_bytes(site: Path, query: str = "培训", page: str = "") -> tuple[int, list[tuple[str, int]]]:
    """A body's header box: the query typed on ``page``; what is sent until its short result list shows."""

    def search(pg) -> None:
        pg.locator(".ss-header-search input").focus()
        pg.keyboard.type(query)
        pg.wait_for_selector(".ss-header-results__link", timeout=60_000)

    return _sent_during_search(site, page, search)


def portal_search_bytes(site: Path, query: str) -> tuple[int, list[tuple[str, int]]]:
    """The portal's first search across every body (generator/portal): from its home page, the query typed into its
    box and sent; everything the server sends from then until the first results show (the search page, Pagefind's
    UI and every body's index files it merges)."""

    def search(pg) -> None:
        pg.fill("#pt-q", query)
        pg.press("#pt-q", "Enter")
        pg.wait_for_selector(".pagefind-ui__result-link", timeout=120_000)

    return _sent_during_search(site, "", search)


def _sent_during_search(site: Path, page: str, search) -> tuple[int, list[tuple[str, int]]]:
    """Bytes (and files) the server sends from the moment ``page`` has loaded until ``search`` has shown results
    and the network is quiet again."""
    from playwright.sync_api import sync_playwright

    _Counting.sent = []
    server = GzipServer(site.resolve(), handler_class=_Counting)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page()
            pg.goto(server.base + page)
            pg.wait_for_load_state("networkidle")
            before = len(_Counting.sent)
            search(pg)
            pg.wait_for_load_state("networkidle")
            browser.close()
        files = _Counting.sent[before:]
        return sum(n for _, n in files), files
    finally:
        server.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="培训")
    ap.add_argument("--page", default="")
    args = ap.parse_args()
    total, files = first_search_bytes(args.site, args.query, args.page)
    for path, n in files:
        print(f"{n / 1024:8.1f} KB  {path}")
    print(f"{total / 1024:8.1f} KB  合计")


if __name__ == "__main__":
    main()
