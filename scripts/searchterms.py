"""Does search find the pages that hold a word, and only those? Recall and precision of the header box and the
search page, in headless Chromium, against the pages whose text holds each word of a term table.

    python scripts/searchterms.py SITE [--terms tests/search_terms.yml] [--body 示例]

The ground truth is the text Pagefind is given: each page's parts marked ``data-pagefind-body``, without the parts
marked ``data-pagefind-ignore`` or hidden (the name's bigrams), read from the built HTML. A page holds a word when
that text holds it verbatim (what 查找 in a browser would find). ``make bench`` prints the same measures.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Not text a reader sees: code, and a chart's title and description (read to screen readers, not indexed).
SKIPPED = {"script", "style", "template", "noscript", "title", "desc"}
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _IndexedText(HTMLParser):
    """The text of the page's data-pagefind-body parts, less what is ignored or hidden."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, inside a body, skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside, skipped = self.stack[-1][1:] if self.stack else (False, False)
        inside = inside or "data-pagefind-body" in a
        classes = (a.get("class") or "").split()
        skipped = (skipped or "data-pagefind-ignore" in a or tag in SKIPPED or "ss-hidden" in classes
                   or "hidden" in a)
        if tag not in VOID:
            self.stack.append((tag, inside, skipped))
        elif tag in ("br", "hr", "img"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if any(t == tag for t, *_ in self.stack):
            while self.stack.pop()[0] != tag:
                pass
        self.parts.append(" ")  # a cell or a paragraph ends: words of two never join

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.parts.append(data)


def indexed_texts(site: Path) -> dict[str, str]:
    """Site path ("powers/BZB-001/") → the text Pagefind indexes of it, for every page it indexes."""
    texts = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        parser = _IndexedText()
        parser.feed(html)
        path = page.relative_to(site).as_posix()
        path = path[: -len("index.html")] if path.endswith("index.html") else path
        texts[path] = re.sub(r"\s+", " ", "".join(parser.parts)).strip()
    return texts


def holders(texts: dict[str, str], word: str) -> set[str]:
    return {path for path, text in texts.items() if word in text}


def load_terms(path: Path, body: str) -> list[dict]:
    import yaml

    return [t for t in yaml.safe_load(path.read_text(encoding="utf-8"))["terms"] if t["body"] == body]


# ------------------------------------------------------------------------------------------------ in the browser

@dataclass
class Measure:
    term: str
    truth: set[str]
    box_count: int | None = None  # the count the header box says
    box_shown: list[str] = field(default_factory=list)  # the results it lists (at most 8)
    page_count: int | None = None  # the count the search page says
    page_found: list[str] = field(default_factory=list)  # every result of the search page, all loaded

    @property
    def page_hits(self) -> int:
        return len(self.truth & set(self.page_found))


def _serve(site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


COUNT = re.compile(r"找到 (\d+) 条")


def _path(url: str, base: str) -> str:
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return path[len(urllib.parse.urlsplit(base).path):] if path.startswith(urllib.parse.urlsplit(base).path) else path


def header_box(page, base: str, term: str) -> tuple[int, list[str]]:
    """What the header box says for ``term``: its count and the results it lists."""
    page.goto(base)
    box = page.locator(".ss-header-search input")
    box.fill(term)
    summary = page.locator(".ss-header-results__summary")
    summary.wait_for(timeout=20_000)
    page.wait_for_function("t => { const s = document.querySelector('.ss-header-results__summary');"
                           " return s && s.textContent.includes('“' + t + '”'); }", arg=term, timeout=20_000)
    text = summary.inner_text()
    m = COUNT.search(text)
    count = int(m.group(1)) if m else 0
    shown = [_path(h, base) for h in page.locator(".ss-header-results__link").evaluate_all(
        "links => links.map(a => a.href)")]
    return count, shown


def search_page(page, base: str, term: str) -> tuple[int, list[str]]:
    """What /search/ says for ``term``: its count, and every result (「显示更多结果」 pressed until all show)."""
    page.goto(base + "search/?q=" + urllib.parse.quote(term))
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && /找到|没有找到/.test(m.textContent); }", timeout=20_000)
    message = page.locator(".pagefind-ui__message").inner_text()
    m = COUNT.search(message)
    count = int(m.group(1)) if m else 0
    for _ in range(200):
        more = page.locator(".pagefind-ui__button")
        if more.count() == 0 or not more.first.is_visible():
            break
        more.first.click()
        page.wait_for_timeout(150)
    page.wait_for_timeout(300)
    found = [_path(h, base) for h in page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.filter(a => !a.closest('.pagefind-ui__result-nested')).map(a => a.href)")]
    return count, found


def measure(site: Path, terms: list[str], browser=None) -> list[Measure]:
    """Each term searched in the header box and on the search page of ``site`` (in ``browser``, else a Chromium of
    its own), beside the pages that hold it."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return measure(site, terms, own)
            finally:
                own.close()
    texts = indexed_texts(site)
    server, base = _serve(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        out = []
        for term in terms:
            m = Measure(term, holders(texts, term))
            m.box_count, m.box_shown = header_box(page, base, term)
            m.page_count, m.page_found = search_page(page, base, term)
            out.append(m)
        return out
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def summary(measures: list[Measure]) -> dict[str, float]:
    """Recall and precision over the whole table (micro-averaged: every page of every term counts once), and the
    share of terms whose shown count is the number of pages that hold the word."""
    truth = sum(len(m.truth) for m in measures)
    page_hits = sum(m.page_hits for m in measures)
    page_found = sum(len(set(m.page_found)) for m in measures)
    box_right = sum(1 for m in measures for p in m.box_shown if p in m.truth)
    box_shown = sum(len(m.box_shown) for m in measures)
    box_wanted = sum(min(len(m.truth), 8) for m in measures)
    return {
        "search_recall": page_hits / truth if truth else 1.0,
        "search_precision": page_hits / page_found if page_found else 1.0,
        "box_recall": box_right / box_wanted if box_wanted else 1.0,
        "box_precision": box_right / box_shown if box_shown else 1.0,
        "counts_right": sum(1 for m in measures if m.box_count == len(m.truth) == m.page_count) / len(measures),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--terms", type=Path, default=Path(__file__).resolve().parent.parent / "tests/search_terms.yml")
    ap.add_argument("--body", default="示例")
    ap.add_argument("--word", action="append", help="measure these words instead of the table's")
    a = ap.parse_args()
    words = a.word or [t["term"] for t in load_terms(a.terms, a.body)]
    measures = measure(a.site, words)
    for m in measures:
        print(f"{m.term}\t真实 {len(m.truth)}\t搜索框 {m.box_count}（列出 {len(m.box_shown)}，其中含该词 "
              f"{sum(1 for p in m.box_shown if p in m.truth)}）\t搜索页 {m.page_count}（命中 {m.page_hits}，"
              f"多出 {len(set(m.page_found) - m.truth)}）")
    s = summary(measures)
    print("搜索页：召回率 {search_recall:.3f}，准确率 {search_precision:.3f}；搜索框：召回率 {box_recall:.3f}，"
          "准确率 {box_precision:.3f}；数目正确的词 {counts_right:.0%}".format(**s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
