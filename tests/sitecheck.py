"""Reading a built site back: its HTML files, their links and ids, and every text it contains."""

from __future__ import annotations

import contextlib
import gzip
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.fetched: list[str] = []  # what a browser loads: src=, stylesheets, icons, preloads
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & FETCHING_RELS:
            self.fetched.append(a["href"])
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src") or (tag == "form" and name == "action"):
                self.links.append((tag, name, value))


def parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def page_url(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return "http://site/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(site: Path, url: str, base_path: str = "/") -> Path | None:
    parsed = urlparse(url)
    if parsed.netloc != "site":
        return None
    path = parsed.path
    if base_path != "/" and path.startswith(base_path):  # absolute links of a site served below a path
        path = "/" + path[len(base_path):]
    p = site / unquote(path.lstrip("/"))
    if parsed.path.endswith("/") or p.is_dir():
        p = p / "index.html"
    return p


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    broken, ids_cache = [], {}
    for html in sorted(site.rglob("*.html")):
        here = page_url(site, html)
        for tag, attr, value in parse(html).links:
            if value.startswith(("mailto:", "tel:", "data:")) or urlparse(value).scheme in ("http", "https"):
                continue
            absolute = urljoin(here, value)
            target = target_file(site, absolute, base_path)
            if target is None or not target.exists():
                broken.append(f"{html.relative_to(site)}: {tag}[{attr}]={value}")
                continue
            fragment = urlparse(absolute).fragment
            if fragment and target.suffix == ".html":
                ids = ids_cache.setdefault(target, parse(target).ids)
                if unquote(fragment) not in ids:
                    broken.append(f"{html.relative_to(site)}: #{fragment} missing in {target.relative_to(site)}")
    return broken


def external_resources(site: Path) -> list[str]:
    """src/href of resources (not navigation links) that point outside the site."""
    found = []
    for html in sorted(site.rglob("*.html")):
        for value in parse(html).fetched:
            if value.startswith("//") or urlparse(value).scheme in ("http", "https"):
                found.append(f"{html.relative_to(site)}: {value}")
    return found


def all_text(site: Path) -> dict[Path, str]:
    """Every file's text: search-index fragments and gzip files decompressed, PDFs through pdftotext, workbooks'
    XML."""
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix.startswith(".pf_") or path.suffix == ".gz":
            with contextlib.suppress(OSError):
                data = gzip.decompress(data)
        if path.suffix == ".xlsx":  # the workbooks' XML parts: shared strings, sheets, comments
            with zipfile.ZipFile(path) as book:
                out[path] = "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                                      if n.endswith(".xml"))
            continue
        if path.suffix == ".pdf":
            out[path] = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                       text=True).stdout
            continue
        out[path] = data.decode("utf-8", errors="replace")
    return out


class _LiveMarkup(HTMLParser):
    """Elements and attributes that would run: <script> with the payload, on* handlers, javascript: URLs."""

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker, self.found, self._script = marker, [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and self.marker in value:
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value[:40]}>")
        self._script = tag == "script"

    def handle_data(self, data):
        if self._script and self.marker in data:
            self.found.append("<script> with payload")

    def handle_endtag(self, tag):
        self._script = False


def live_payloads(site: Path, marker: str = "x-") -> dict[str, list[str]]:
    """Every page, and every SVG file (the flow charts posts' pages show as images), where hostile data became live
    markup (the payload's alerts carry ``marker``)."""
    out = {}
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.svg")]):
        parser = _LiveMarkup(marker)
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.found:
            out[path.relative_to(site).as_posix()] = parser.found
    return out
