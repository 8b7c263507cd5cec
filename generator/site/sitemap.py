"""The sitemap: the engine's own (its pages, in its order) with the stamped record pages put where the engine would
have listed them, each dated by its record (``updated``). Written as MkDocs writes its sitemap, with the same gzip
copy, so a crawler sees the same file whichever made a page."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from pathlib import Path

_ENTRY = re.compile(r"<url>\s*<loc>([^<]*)</loc>\s*(?:<lastmod>([^<]*)</lastmod>)?\s*</url>")
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'


class Sitemap:
    def __init__(self, site_dir: Path, entries: list[tuple[str, str | None]]) -> None:
        self.site_dir, self.entries = site_dir, entries
        self._records: list[tuple[int, str, str | None]] = []  # (place in the page sources, path, lastmod)

    @classmethod
    def read(cls, site_dir: Path) -> Sitemap:
        path = site_dir / "sitemap.xml"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return cls(site_dir, _ENTRY.findall(text))

    def add(self, path: str, lastmod: str | None, place: int) -> None:
        self._records.append((place, path, lastmod))

    def write(self, base: str, order: dict[str, int], frames: set[str]) -> None:
        """``base``: the site's address (its pages' locations start with it); ``order``: each generated page's place
        among the page sources (src path → place); ``frames``: the page frames' folders, left out."""
        place_of = {_page_url(src): i for src, i in order.items()}
        records = sorted(self._records)
        entries: list[tuple[str, str | None]] = []
        for loc, lastmod in self.entries:
            path = loc.removeprefix(base.rstrip("/") + "/") if base else loc.lstrip("/")
            if any(path.startswith(f) for f in frames):
                continue
            place = place_of.get(path)
            while records and place is not None and records[0][0] < place:
                entries.append(self._entry(base, *records.pop(0)[1:]))
            entries.append((loc, lastmod or None))
        entries += [self._entry(base, path, lastmod) for _, path, lastmod in records]
        text = _HEAD + "".join(f"    <url>\n         <loc>{loc}</loc>\n         "
                               f"{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}\n    </url>\n"
                               for loc, lastmod in entries) + "</urlset>"
        (self.site_dir / "sitemap.xml").write_bytes(text.encode("utf-8"))
        dates = [lastmod for _, lastmod in entries if lastmod]
        when = dt.datetime.fromisoformat(max(dates)).replace(tzinfo=dt.UTC) if dates else dt.datetime(1970, 1, 1)
        buf = io.BytesIO()
        gz_name = str(self.site_dir / "sitemap.xml.gz")
        with gzip.GzipFile(fileobj=buf, filename=gz_name, mode="wb", mtime=int(when.timestamp())) as gz:
            gz.write(text.encode("utf-8"))
        (self.site_dir / "sitemap.xml.gz").write_bytes(buf.getvalue())

    @staticmethod
    def _entry(base: str, path: str, lastmod: str | None) -> tuple[str, str | None]:
        loc = f"{base.rstrip('/')}/{path}" if base else f"/{path}"
        return _escape(loc), lastmod


def _page_url(src: str) -> str:
    """A page's address from its source path, as the engine makes it (directory URLs)."""
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    return (stem.removesuffix("/index") if stem.endswith("/index") else stem) + "/"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'",
                                                                                                           "&#39;")
