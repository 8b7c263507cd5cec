"""Links and anchors of the stamped record pages, checked as the engine checks the pages it renders: every link
inside the site leads to a page or file that is there (or that the build is about to write: boards, the handbook,
open data), and every ``#anchor`` to an id on that page."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

_HREF = re.compile(r'\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_OUTSIDE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # https:, mailto:, tel:, a scheme-relative address


def links_of(article: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The links (each once) and the ids of a page's article."""
    return (tuple(dict.fromkeys(html.unescape(h) for h in _HREF.findall(article))),
            frozenset(html.unescape(i) for i in _ID.findall(article)))


class LinkCheck:
    def __init__(self, site_dir: Path, coming: frozenset[str] = frozenset()) -> None:
        self.site_dir = site_dir
        self.coming = coming  # site paths the build writes after the pages (posters/…pdf, handbook.pdf, opendata/…)
        self._pages: dict[str, tuple[str, ...]] = {}  # page path (powers/X/) → its links
        self._ids: dict[str, frozenset[str]] = {}  # page path → the ids it holds

    def add(self, path: str, article: str) -> None:
        self.found(path, *links_of(article))

    def found(self, path: str, links: tuple[str, ...], ids: frozenset[str]) -> None:
        """A page's links and ids (``links_of`` its article)."""
        self._pages[path], self._ids[path] = links, ids

    def problems(self) -> list[str]:
        out = []
        for path, links in self._pages.items():
            for link in links:
                why = self._broken(path, link)
                if why:
                    out.append(f"{path}：“{link}” {why}")
        return out

    def _broken(self, here: str, link: str) -> str:
        if not link or _OUTSIDE.match(link):
            return ""
        target, _, anchor = link.partition("#")
        target = target.partition("?")[0]  # a list filtered by its address (../../powers/?部门=…) is the list
        path = posixpath.normpath(posixpath.join("/" + here, target)).lstrip("/") if target else here
        if target.endswith("/") or not target:
            path = path.rstrip("/") + "/" if path not in ("", ".") else ""
            if path.startswith(".."):
                return "指向网站以外"
            ids = self._page_ids(path)
            if ids is None:
                return "指向的页面不存在"
            return "" if not anchor or anchor in ids else f"指向的页面中没有“#{anchor}”"
        if path.startswith("..") or not ((self.site_dir / path).is_file() or path in self.coming):
            return "指向的文件不存在"
        return ""

    def _page_ids(self, path: str) -> frozenset[str] | None:
        if path not in self._ids:
            page = self.site_dir / path / "index.html"
            if not page.is_file():
                return None
            self._ids[path] = frozenset(html.unescape(i) for i in _ID.findall(page.read_text(encoding="utf-8")))
        return self._ids[path]
