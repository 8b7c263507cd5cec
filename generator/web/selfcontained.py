"""What in a page the web team wrote (content/) would run a script or load something from another site.

The site must work on an intranet and send its readers to no third party (no CDN, web font, counter or embedded
map), and no script but the site's own may run. Generated pages are safe by construction (web/escape.py); the
Markdown pages under content/ may hold any HTML, so their converted HTML is read here, element by element, and
each finding located in the page's source.

Links to other sites (``<a href>``) are fine: following one is the reader's choice, and loads nothing until then.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from ..records.problems import Location, Report

# Attributes whose URL the browser fetches as the page loads (or as the element shows), by element where it matters.
_LOADING = {"src", "srcset", "poster", "data", "background", "imagesrcset"}
_LINK_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "prerender", "manifest",
               "apple-touch-icon", "dns-prefetch", "preconnect"}
# …and those whose href is fetched: SVG's images, and <base>, which would send every relative address elsewhere.
_HREF_LOADS = {"image", "use", "feimage", "script", "base"}
# Attributes holding a URL that a click or a form would open: a script URL there runs in the site's pages.
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application/xhtml")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme (java\tscript:)


def check_content_page(html: str, source: str, file: str, report: Report) -> None:
    """Adds an error to ``report`` for each script and each outside load in a content page's converted HTML;
    ``source`` is the page's Markdown, where each finding is located (file:line:column)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    lines = source.splitlines()
    for code, needles, message in finder.found:
        report.add(code, _locate(lines, needles, file), message)


def _locate(lines: list[str], needles: tuple[str, ...], file: str) -> Location:
    """The first line of the source holding the first of ``needles`` found there (the URL or attribute as written,
    then the element's tag: an entity in the source hides the decoded URL); else the file."""
    for needle in filter(None, needles):
        for number, line in enumerate(lines, start=1):
            column = line.lower().find(needle.lower())
            if column >= 0:
                return Location(file, number, column + 1)
    return Location(file)


def _is_outside(url: str) -> bool:
    """A URL that leaves the site: another host (``//host``, ``https://…``) or any scheme but data:."""
    url = _INVISIBLE.sub("", url)
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    scheme = urlsplit(url).scheme.lower()
    return bool(scheme) and scheme != "data"


def _is_script_url(url: str) -> bool:
    return _INVISIBLE.sub("", url).lower().startswith(_SCRIPT_SCHEMES)


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[str, ...], str]] = []  # (code, what to look for in the source, message)
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        if tag == "script":
            self._script(("<script",), "页面中有 <script> 脚本")
        values = {name: value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        for name, value in values.items():
            if name.startswith("on"):
                self._script((name, f"<{tag}"), f"<{tag}> 有事件处理属性 {name}，会在读者的浏览器中执行脚本")
            elif name in _URL_ATTRIBUTES and _is_script_url(value):
                self._script((value.strip()[:20], f"<{tag}"),
                             f"<{tag} {name}> 的地址是脚本（{value.strip()[:40]}），点击或加载时会执行")
            elif self._loads(tag, name, rel):
                for url in filter(_is_outside, _urls(name, value)):
                    self._outside(tag, url.strip())
                    break
            elif name == "style":
                self._css(tag, value)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and "url=" in values.get(
                "content", "").lower():
            self._script(("refresh", "<meta"), "<meta http-equiv=refresh> 会把读者自动转到别处")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._style:
            self._css("style", data)

    def handle_endtag(self, tag):
        self._style = False

    @staticmethod
    def _loads(tag: str, name: str, rel: set[str]) -> bool:
        if name in _LOADING:
            return True
        if name in ("href", "xlink:href"):
            return (tag == "link" and bool(rel & _LINK_LOADS)) or tag in _HREF_LOADS
        return False

    def _css(self, tag: str, css: str) -> None:
        for m in _CSS_URL.finditer(css):
            url = (m.group(2) or m.group(4) or "").strip()
            if _is_outside(url):
                self._outside(tag, url)

    def _script(self, needles: tuple[str, ...], message: str) -> None:
        self.found.append(("content-script", needles, message))

    def _outside(self, tag: str, url: str) -> None:
        self.found.append(("external-resource", (url, f"<{tag}"), f"<{tag}> 会从其他网站加载 {url[:80]}："
                           "在内部网络或断网时无法显示，还会把读者的访问告诉对方"))


def _urls(name: str, value: str) -> list[str]:
    """The URLs an attribute names: a srcset lists several, each before its width or density."""
    if "srcset" in name:
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value]
